"""Explicit hook lists that contexts register in their AppConfig.ready().

No business logic runs in signals or `save()`: a context that wants to act after another's event
appends a function here, and the context that owns the event calls the list.

- `AFTER_IMPORT`: called with a finished import run once its posts are stored; each hook must
  only queue work (it runs inside the import's request or job).
- `RETRY_HANDLERS`: how to re-run a quarantined record of an import format that another context
  owns (e.g. clarification files), keyed by the run's `format`; called with the run and the
  fixed payload, returns (stored, still quarantined).
- `CALENDAR_CHANGED`: called with the ids of the elections whose stages an admin changed, after
  the change commits (MONITOR re-reads the stage of the posts written in them).
- `REGISTRY_CHANGED`: called with the (platform, handle) pairs of known accounts that were added,
  edited or removed, after the change commits (MONITOR re-reads who speaks in their posts);
  `None` means "the whole registry" (an import).
- `PUBLISHED`: called with (kind, ids) after public content commits: `"clarification"` when
  factcheck publishes or changes a published clarification (the guide rebuilds its site and
  notifies webhook subscribers); contexts that publish call `published()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

AFTER_IMPORT: list[Callable[[Any], None]] = []
RETRY_HANDLERS: dict[str, Callable[[Any, str], tuple[int, int]]] = {}
CALENDAR_CHANGED: list[Callable[[list[str]], None]] = []
REGISTRY_CHANGED: list[Callable[[list[tuple[str, str]] | None], None]] = []


def after_import(hook: Callable[[Any], None]) -> None:
    """Register `hook` once (AppConfig.ready() may run more than once in tests)."""
    if hook not in AFTER_IMPORT:
        AFTER_IMPORT.append(hook)


def retry_handler(run_format: str, handler: Callable[[Any, str], tuple[int, int]]) -> None:
    RETRY_HANDLERS[run_format] = handler


def on_calendar_changed(hook: Callable[[list[str]], None]) -> None:
    if hook not in CALENDAR_CHANGED:
        CALENDAR_CHANGED.append(hook)


def on_registry_changed(hook: Callable[[list[tuple[str, str]] | None], None]) -> None:
    if hook not in REGISTRY_CHANGED:
        REGISTRY_CHANGED.append(hook)


PUBLISHED: list[Callable[[str, list[Any]], None]] = []


def on_published(hook: Callable[[str, list[Any]], None]) -> None:
    if hook not in PUBLISHED:
        PUBLISHED.append(hook)


def published(kind: str, ids: list[Any]) -> None:
    """Tell every PUBLISHED hook, once the current transaction commits."""
    from django.db import transaction

    def run() -> None:
        for hook in list(PUBLISHED):
            hook(kind, list(ids))

    transaction.on_commit(run)
