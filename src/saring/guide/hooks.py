"""What the guide registers on the kernel's hook lists (called from GuideConfig.ready())."""

from __future__ import annotations

from saring.kernel import hooks


def _clarifications_published(kind: str, ids: list) -> None:
    from saring.guide.services import events

    events.published(kind, ids)


def _calendar_changed(election_ids: list[str]) -> None:
    from saring.guide.services import events

    events.published("election", election_ids)


def register() -> None:
    hooks.on_published(_clarifications_published)
    hooks.on_calendar_changed(_calendar_changed)
