"""Explicit hook lists that contexts register in their AppConfig.ready().

No business logic runs in signals or `save()`: a context that wants to act after another's event
appends a function here, and the context that owns the event calls the list.

- `AFTER_IMPORT`: called with a finished import run once its posts are stored; each hook must
  only queue work (it runs inside the import's request or job).
- `RETRY_HANDLERS`: how to re-run a quarantined record of an import format that another context
  owns (e.g. clarification files), keyed by the run's `format`; called with the run and the
  fixed payload, returns (stored, still quarantined).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AFTER_IMPORT: list[Callable[[Any], None]] = []
RETRY_HANDLERS: dict[str, Callable[[Any, str], tuple[int, int]]] = {}


def after_import(hook: Callable[[Any], None]) -> None:
    """Register `hook` once (AppConfig.ready() may run more than once in tests)."""
    if hook not in AFTER_IMPORT:
        AFTER_IMPORT.append(hook)


def retry_handler(run_format: str, handler: Callable[[Any, str], tuple[int, int]]) -> None:
    RETRY_HANDLERS[run_format] = handler
