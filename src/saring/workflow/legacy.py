"""For data migrations: the JSON `history` columns the workflows kept before the engine.

Each entry becomes an audit event appended at the tail of the chain (oldest first, with its
original time), so a workflow's whole history reads from one place. Migrations pass their
historical models; nothing here imports the live ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from saring.audit.chain import GENESIS, event_hash

MIGRATED = {"migrated_from": "history column"}


@dataclass(frozen=True)
class OldEntry:
    """One entry of a JSON history, already named as an event."""

    at: datetime
    actor_id: int | None
    action: str
    subject_type: str
    subject_id: str
    subject: str
    from_state: str
    to_state: str
    reason: str = ""


def parse_time(value: Any) -> datetime:
    """An entry's ISO time in UTC (naive times were written in UTC); now when unreadable."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return timezone.now().astimezone(UTC)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def append_entries(audit_event_model, user_model, entries: Iterable[OldEntry]) -> int:
    """Append `entries` (sorted by time) to the audit chain; returns how many."""
    ordered = sorted(entries, key=lambda e: e.at)
    if not ordered:
        return 0
    names: Mapping[int, str] = dict(
        user_model.objects.filter(pk__in={e.actor_id for e in ordered if e.actor_id}).values_list(
            "pk", "username"
        )
    )
    tail = audit_event_model.objects.order_by("-seq").values("seq", "hash").first()
    seq, prev = (tail["seq"], tail["hash"]) if tail else (0, GENESIS)
    for entry in ordered:
        seq += 1
        fields = {
            "seq": seq,
            "at": entry.at,
            "actor_id": entry.actor_id,
            "actor": names.get(entry.actor_id, "") if entry.actor_id else "system",
            "organisation_id": None,
            "organisation": "",
            "action": entry.action,
            "subject_type": entry.subject_type,
            "subject_id": entry.subject_id,
            "subject": entry.subject[:300],
            "from_state": entry.from_state[:40],
            "to_state": entry.to_state[:40],
            "reason": entry.reason,
            "details": dict(MIGRATED),
        }
        digest = event_hash(prev, fields)
        audit_event_model.objects.create(prev_hash=prev, hash=digest, **fields)
        prev = digest
    return len(ordered)
