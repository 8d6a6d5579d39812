"""The audit trail is append-only and hash-chained: tampering of any kind is detected."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from saring.accounts.scope import SYSTEM, Scope
from saring.audit.actions import Action
from saring.audit.chain import GENESIS
from saring.audit.models import AppendOnlyError, AuditEvent
from saring.audit.services import record, verify

pytestmark = pytest.mark.django_db

ANALYST = Scope(
    province_code="32",
    role="analyst",
    organisation_id=7,
    organisation_kind="kpu",
    organisation_name="KPU Jawa Barat",
    user_id=42,
    username="analis.jabar",
)


def _trail(n: int = 5) -> list[AuditEvent]:
    return [
        record(
            ANALYST if i % 2 else SYSTEM,
            Action.MATCH_REVIEWED,
            subject_type="factcheck.postmatch",
            subject_id=str(i),
            from_state="suggested",
            to_state="confirmed",
            reason=f"decision {i}",
            details={"score": i / 10},
        )
        for i in range(1, n + 1)
    ]


def _verify_json(capsys) -> dict:
    try:
        call_command("audit", "verify", "--json")
        code = 0
    except CommandError:
        code = 1
    out = capsys.readouterr().out.strip().splitlines()[-1]
    return {"exit": code, **json.loads(out)}


def test_events_chain_onto_each_other_from_the_genesis_hash():
    events = _trail(3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == GENESIS
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    assert events[0].actor == "analis.jabar" and events[0].organisation == "KPU Jawa Barat"
    assert events[0].actor_id == 42
    assert events[1].actor == "system" and events[1].actor_id is None


def test_an_intact_trail_verifies_and_the_command_exits_zero(capsys):
    _trail(4)
    result = verify()
    assert result.intact and result.events == 4
    assert _verify_json(capsys) == {
        "exit": 0,
        "intact": True,
        "events": 4,
        "head": result.head,
        "first_break": None,
    }


def test_an_empty_trail_is_intact():
    assert verify().intact


def test_an_edited_event_is_detected_at_that_event(capsys):
    events = _trail(5)
    AuditEvent.objects.filter(pk=events[2].pk).update(reason="nothing to see here")
    report = _verify_json(capsys)
    assert report["exit"] == 1
    assert report["first_break"] == {"seq": 3, "event_id": events[2].pk, "problem": "hash"}


def test_an_edit_that_also_recomputes_its_own_hash_breaks_the_next_link(capsys):
    from saring.audit.chain import HASHED_FIELDS, event_hash

    events = _trail(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.to_state = "rejected"
    fields = {name: getattr(forged, name) for name in HASHED_FIELDS}
    AuditEvent.objects.filter(pk=forged.pk).update(
        to_state="rejected", hash=event_hash(forged.prev_hash, fields)
    )
    report = _verify_json(capsys)
    assert report["first_break"] == {"seq": 3, "event_id": events[2].pk, "problem": "link"}


def test_a_deleted_event_is_detected(capsys):
    events = _trail(5)
    AuditEvent.objects.filter(pk=events[1].pk).delete()  # a queryset delete skips the model's
    report = _verify_json(capsys)
    assert report["exit"] == 1
    assert report["first_break"]["seq"] == 2
    assert report["first_break"]["problem"] == "missing"


def test_reordered_events_are_detected(capsys):
    events = _trail(5)
    a, b = events[1], events[3]
    with transaction.atomic():  # swap their numbers through a free one (seq is unique)
        AuditEvent.objects.filter(pk=a.pk).update(seq=10_000)
        AuditEvent.objects.filter(pk=b.pk).update(seq=a.seq)
        AuditEvent.objects.filter(pk=a.pk).update(seq=b.seq)
    report = _verify_json(capsys)
    assert report["exit"] == 1
    assert report["first_break"] == {"seq": 2, "event_id": b.pk, "problem": "link"}


def test_the_orm_refuses_to_change_or_delete_an_event():
    event = _trail(1)[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert verify().intact


def test_the_chain_cannot_fork_two_events_on_one_tail():
    first = _trail(1)[0]
    fork = AuditEvent(
        seq=2, prev_hash=first.prev_hash, hash="f" * 64, at=first.at, action=first.action
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)


def test_a_writer_that_loses_the_race_chains_onto_the_new_tail(monkeypatch):
    """Two writers read the same tail; the second insert fails on the unique link and retries."""
    _trail(1)
    from saring.audit import services

    real_first = services.AuditEvent.objects.order_by
    calls = {"n": 0}

    def stale_tail(*fields):
        calls["n"] += 1
        if calls["n"] == 1:  # another process appends between our read and our insert
            record(SYSTEM, Action.IMPORT_FINISHED, subject_type="monitoring.importrun")
        return real_first(*fields)

    monkeypatch.setattr(services.AuditEvent.objects, "order_by", stale_tail)
    event = record(ANALYST, Action.LABEL_SET, subject_type="harms.postlabel", subject_id="9")
    monkeypatch.undo()
    assert event.seq == 3
    assert verify().intact


def test_an_unknown_action_is_refused():
    with pytest.raises(ValueError):
        record(SYSTEM, "something.else", subject_type="x")
    assert not AuditEvent.objects.exists()
