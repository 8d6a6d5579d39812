"""Writing and checking the audit trail.

`record()` is the one way in: it appends an event at the tail of the chain inside the caller's
transaction, so an action and its event commit or roll back together. `verify()` walks the chain
and names the first event whose hash, link or number does not fit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.audit.chain import GENESIS, HASHED_FIELDS, event_hash
from saring.audit.models import AuditEvent

ATTEMPTS = 20  # another writer took the tail this many times in a row: give up loudly


def subject_of(obj: Any) -> tuple[str, str, str]:
    """(type, id, label) of a model instance, e.g. ("harms.harmmodel", "3", "v3 (ready)")."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk or ""), str(obj)[:300]


def record(
    scope: Scope,
    action: Action | str,
    subject: Any = None,
    *,
    subject_type: str = "",
    subject_id: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for what `scope`'s user did to `subject` (a model instance, or name it
    with `subject_type`/`subject_id`)."""
    label = ""
    if subject is not None:
        subject_type, subject_id, label = subject_of(subject)
    fields: dict[str, Any] = {
        "at": timezone.now().astimezone(UTC),
        "actor_id": scope.user_id,
        "actor": scope.username[:150],
        "organisation_id": scope.organisation_id,
        "organisation": scope.organisation_name[:200],
        "action": Action(action).value,  # an unknown action is a bug: ValueError
        "subject_type": subject_type[:60],
        "subject_id": str(subject_id)[:64],
        "subject": label,
        "from_state": str(from_state)[:40],
        "to_state": str(to_state)[:40],
        "reason": reason,
        "details": dict(details or {}),
    }
    for _ in range(ATTEMPTS):
        tail = AuditEvent.objects.order_by("-seq").values("seq", "hash").first()
        seq, prev = (tail["seq"] + 1, tail["hash"]) if tail else (1, GENESIS)
        event = AuditEvent(seq=seq, prev_hash=prev, **fields)
        event.hash = event_hash(prev, {**fields, "seq": seq})
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the caller's work intact
                event.save(force_insert=True)
            return event
        except IntegrityError:
            continue  # another writer appended first: chain onto the new tail
    raise RuntimeError("could not append to the audit trail: the tail kept moving")


@dataclass(frozen=True)
class Break:
    seq: int
    event_id: int | None
    problem: str  # "hash" (edited), "link" (an event before it removed or moved), "missing"

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "event_id": self.event_id, "problem": self.problem}


@dataclass(frozen=True)
class Verification:
    events: int
    head: str
    first_break: Break | None

    @property
    def intact(self) -> bool:
        return self.first_break is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "events": self.events,
            "head": self.head,
            "first_break": self.first_break.as_dict() if self.first_break else None,
        }


def _events() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("seq").iterator(chunk_size=2000)


def verify() -> Verification:
    """Recompute every hash in order. An edited event fails its own hash; a deleted one leaves
    a gap in `seq` and a link that points nowhere; a reordered one breaks the links around it."""
    prev, expected_seq, count = GENESIS, 1, 0
    for event in _events():
        count += 1
        fields = {name: getattr(event, name) for name in HASHED_FIELDS}
        if event.seq != expected_seq:
            return Verification(count, prev, Break(expected_seq, None, "missing"))
        if event.prev_hash != prev:
            return Verification(count, prev, Break(event.seq, event.pk, "link"))
        if event_hash(event.prev_hash, fields) != event.hash:
            return Verification(count, prev, Break(event.seq, event.pk, "hash"))
        prev, expected_seq = event.hash, expected_seq + 1
    return Verification(count, prev, None)
