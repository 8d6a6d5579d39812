"""When to rebuild: after each publication (debounced) and when a validity window opens or
closes (helper: site)."""

from __future__ import annotations


def request_build(*, reason: str) -> None:
    """Queue a rebuild of the public site (coalesced with one already waiting)."""
