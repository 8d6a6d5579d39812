"""Escalating a case: who may, which cases (state, validity, a legal basis), the deadline
(Komdigi's urgent takedown order vs the channel's own answer time), the case's move, the
delivery queued after the commit, and batches for upload portals (CSV/XLSX)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError
from saring.audit.models import AuditEvent
from saring.cases.models import Case, Channel, Escalation, LegalBasis
from saring.cases.services import escalation as service
from saring.cases.services.escalation import EscalationError, escalate, take_batch
from tests.cases.conftest import make_case, scope
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_packet(monkeypatch):
    """A tiny signed-looking ZIP instead of the real builder (PDF rendering is slow); records
    each call so tests can check what the escalation asked for."""
    from saring.cases import packets

    calls = []

    def build_packet(case, *, scope, include_personal=False):
        calls.append({"case": case.pk, "include_personal": include_personal, "scope": scope})
        folder = Path(settings.MEDIA_ROOT) / "packets"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{case.reference}-{len(calls)}.zip"
        manifest = {"case": case.reference, "key_id": "test-key-1", "files": []}
        path = folder / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps(manifest))
            archive.writestr("evidence.json", json.dumps({"case": case.reference}))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        return packets.Packet(path=path, sha256=digest, manifest=manifest, file_name=name)

    monkeypatch.setattr(packets, "build_packet", build_packet)
    return calls


def ready_case(**fields) -> Case:
    """A valid, triaged case with a legal basis, in Kota Bandung."""
    case = make_case(state=fields.pop("state", Case.State.TRIAGED), is_valid=True, **fields)
    case.bases.add(LegalBasis.objects.order_by("order", "code").first())
    return case


def email_channel(**fields) -> Channel:
    org = Organisation.objects.create(name=fields.pop("org", "Meta Liaison"), kind="platform")
    defaults = {
        "name": "Meta",
        "platform": "facebook",
        "kind": Channel.Kind.EMAIL,
        "organisation": org,
        "email_to": "escalations@meta.example",
        "answer_hours": 24,
        "answer_source": "Meta's trusted partner agreement: 24 hours",
    }
    return Channel.objects.create(**{**defaults, **fields})


def batch_channel() -> Channel:
    org = Organisation.objects.create(name="YouTube Liaison", kind="platform")
    return Channel.objects.create(
        name="YouTube portal",
        platform="youtube",
        kind=Channel.Kind.BATCH,
        organisation=org,
        answer_hours=72,
    )


# ------------------------------------------------------------------------------- the rules


def test_a_handler_escalates_a_triaged_case_with_its_deadline_and_packet(
    bawaslu_bandung, tiktok_channel, fake_packet
):
    case = ready_case()
    before = timezone.now()
    made = escalate(scope(bawaslu_bandung), case, tiktok_channel, note="Mohon segera")
    made.refresh_from_db()
    case.refresh_from_db()
    assert made.reference == f"ESC-{made.created_at:%Y}-{made.pk:06d}"
    assert made.state == Escalation.State.QUEUED and not made.urgent
    # TikTok's own answer time (48 hours), named in the source
    assert before + timedelta(hours=48) <= made.due_at <= timezone.now() + timedelta(hours=48)
    assert "48" in made.due_source and "TikTok" in made.due_source
    assert made.packet and made.packet_sha256 == hashlib.sha256(made.packet.read()).hexdigest()
    assert fake_packet[-1]["include_personal"] is False
    assert case.state == Case.State.ESCALATED
    assert case.escalated_at is not None and case.platform_due == made.due_at
    event = AuditEvent.objects.filter(action="case.escalated", subject_id=str(case.pk)).get()
    assert event.details["escalation"] == made.reference and event.from_state == "triaged"


def test_references_are_unique_and_follow_the_year(bawaslu_bandung, tiktok_channel, fake_packet):
    first = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    second = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    assert first.reference != second.reference
    assert all(e.reference.startswith(f"ESC-{timezone.now():%Y}-") for e in (first, second))


def test_urgent_box_and_komdigi_channel_give_the_four_hour_takedown_deadline(
    bawaslu_bandung, tiktok_channel, fake_packet
):
    komdigi_org = Organisation.objects.create(name="Komdigi", kind="komdigi")
    komdigi = Channel.objects.create(
        name="Komdigi aduan",
        platform="komdigi",
        kind=Channel.Kind.EMAIL,
        organisation=komdigi_org,
        email_to="aduan@komdigi.example",
        answer_hours=72,
    )
    now = timezone.now()
    urgent = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel, urgent=True)
    ordered = escalate(scope(bawaslu_bandung), ready_case(), komdigi)
    for made in (urgent, ordered):
        assert made.urgent
        assert abs(made.due_at - (now + timedelta(hours=4))) < timedelta(minutes=1)
        assert "4" in made.due_source


def test_the_case_keeps_the_earliest_open_deadline_across_platforms(
    bawaslu_bandung, tiktok_channel, fake_packet
):
    case = ready_case()
    meta = email_channel()  # 24 hours, before TikTok's 48
    escalate(scope(bawaslu_bandung), case, tiktok_channel)
    second = escalate(scope(bawaslu_bandung), case, meta)  # escalated -> escalated
    case.refresh_from_db()
    assert case.state == Case.State.ESCALATED and case.platform_due == second.due_at
    assert second.due_source == "Meta's trusted partner agreement: 24 hours"
    assert case.escalations.count() == 2


@pytest.mark.parametrize("state", ["answered", "appealed"])
def test_answered_and_appealed_cases_can_be_escalated_again(
    state, bawaslu_bandung, tiktok_channel, fake_packet
):
    case = ready_case(state=state)
    escalate(scope(bawaslu_bandung), case, tiktok_channel)
    case.refresh_from_db()
    assert case.state == Case.State.ESCALATED


@pytest.mark.parametrize("state", ["received", "closed", "rejected", "merged", "draft"])
def test_cases_in_other_states_cannot_be_escalated(
    state, bawaslu_bandung, tiktok_channel, fake_packet
):
    case = ready_case(state=state)
    with pytest.raises(EscalationError):
        escalate(scope(bawaslu_bandung), case, tiktok_channel)
    assert not Escalation.objects.exists() and not fake_packet


@pytest.mark.parametrize("valid", [None, False])
def test_only_a_valid_case_is_escalated(valid, bawaslu_bandung, tiktok_channel, fake_packet):
    case = ready_case()
    Case.objects.filter(pk=case.pk).update(is_valid=valid)
    case.refresh_from_db()
    with pytest.raises(EscalationError):
        escalate(scope(bawaslu_bandung), case, tiktok_channel)
    assert not Escalation.objects.exists()


def test_a_legal_basis_is_required(bawaslu_bandung, tiktok_channel, fake_packet):
    case = ready_case()
    case.bases.clear()
    with pytest.raises(EscalationError):
        escalate(scope(bawaslu_bandung), case, tiktok_channel)
    assert not Escalation.objects.exists()
    case.refresh_from_db()
    assert case.state == Case.State.TRIAGED


def test_an_inactive_channel_is_refused(bawaslu_bandung, tiktok_channel, fake_packet):
    tiktok_channel.is_active = False
    tiktok_channel.save()
    with pytest.raises(EscalationError):
        escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)


def test_only_handlers_of_the_region_with_the_analyst_role_escalate(
    bawaslu_bogor, bawaslu_jabar, tiktok_liaison, tiktok_channel, fake_packet
):
    case = ready_case()
    viewer = member("viewer", "32", "32.73", kind=Organisation.Kind.BAWASLU)
    kpu = member("analyst", "32", "32.73", kind=Organisation.Kind.KPU)
    for outsider in (bawaslu_bogor, tiktok_liaison, viewer, kpu):
        with pytest.raises(ScopeError):
            escalate(scope(outsider), case, tiktok_channel)
    assert not Escalation.objects.exists()
    # the province above handles its regencies' cases
    assert escalate(scope(bawaslu_jabar), case, tiktok_channel).state == "queued"


def test_personal_data_goes_into_the_packet_only_when_ticked(
    bawaslu_bandung, tiktok_channel, fake_packet
):
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel, include_personal=True)
    assert made.include_personal and fake_packet[-1]["include_personal"] is True


def test_the_real_packet_builder_is_used_when_not_faked(bawaslu_bandung, tiktok_channel):
    pytest.importorskip("weasyprint")
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    made.refresh_from_db()
    assert made.packet.name.startswith("packets/")
    assert made.packet_sha256 == hashlib.sha256(made.packet.read()).hexdigest()
    from saring.cases.channels.base import packet_key_id

    assert packet_key_id(made)


# --------------------------------------------------------------------- delivery is queued


def test_delivery_is_queued_after_the_commit_not_inside_the_request(
    bawaslu_bandung, tiktok_channel, fake_packet, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
        assert callbacks and not default_task_backend.results  # nothing yet
        for callback in callbacks:
            callback()
        (queued,) = [r for r in default_task_backend.results if r.task.name.startswith("deliver")]
        assert queued.args == [made.pk]
    made.refresh_from_db()
    assert made.attempts == 0 and made.state == "queued"  # the worker has not run


def test_with_immediate_tasks_delivery_runs_at_once(
    bawaslu_bandung, tiktok_channel, fake_packet, django_capture_on_commit_callbacks
):
    # The fixture's webhook points at a closed port: the attempt fails and is rescheduled.
    with django_capture_on_commit_callbacks(execute=True):
        made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    made.refresh_from_db()
    assert made.attempts == 1 and made.state == "queued" and made.last_error
    assert made.next_attempt_at > timezone.now()


def test_batch_channels_queue_nothing(
    bawaslu_bandung, fake_packet, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            escalate(scope(bawaslu_bandung), ready_case(), batch_channel())
        assert not [r for r in default_task_backend.results if r.task.name.startswith("deliver")]


# ------------------------------------------------------------------------------- batches


def test_a_csv_batch_has_one_row_per_content_item_and_marks_them_sent(bawaslu_bandung, fake_packet):
    channel = batch_channel()
    first, second = ready_case(title="Video satu"), ready_case(title="Video dua")
    second.items.create(
        url="https://youtu.be/abc123XYZ00",
        canonical_url="https://www.youtube.com/watch?v=abc123XYZ00",
        platform="youtube",
        content_id="abc123XYZ00",
        key="youtube:abc123XYZ00",
    )
    e1 = escalate(scope(bawaslu_bandung), first, channel)
    e2 = escalate(scope(bawaslu_bandung), second, channel)
    batch = take_batch(scope(bawaslu_bandung), channel, "csv")
    rows = list(csv.DictReader(io.StringIO(batch.content.decode("utf-8-sig"))))
    assert [r["reference"] for r in rows] == [e1.reference, e2.reference, e2.reference]
    assert rows[2]["canonical_url"] == "https://www.youtube.com/watch?v=abc123XYZ00"
    e2.refresh_from_db()
    basis = first.bases.get()
    assert rows[0]["legal_bases"] == basis.citation and rows[0]["category"].startswith("hoax")
    assert rows[1]["packet_sha256"] == e2.packet_sha256 and rows[1]["deadline"]
    assert "Video dua" in rows[1]["explanation"]
    assert "Siti Pelapor" not in batch.content.decode("utf-8-sig")
    for e in (e1, e2):
        e.refresh_from_db()
        assert e.state == "sent" and e.batch == batch.batch_id and e.sent_at
    # each escalation is in one batch only
    with pytest.raises(EscalationError):
        take_batch(scope(bawaslu_bandung), channel, "csv")


def test_an_xlsx_batch_holds_the_same_rows(bawaslu_bandung, fake_packet):
    import openpyxl

    channel = batch_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(title="=HYPERLINK(1)"), channel)
    batch = take_batch(scope(bawaslu_bandung), channel, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(batch.content)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    assert header[:3] == ["reference", "url", "canonical_url"] and row[0] == made.reference
    assert sheet.max_row == 2 and row[header.index("packet_sha256")] == made.packet_sha256
    assert sheet.cell(2, header.index("explanation") + 1).data_type == "s"  # never a formula


def test_a_batch_holds_only_the_handlers_region(bawaslu_bandung, bawaslu_bogor, fake_packet):
    channel = batch_channel()
    escalate(scope(bawaslu_bandung), ready_case(), channel)
    with pytest.raises(EscalationError):
        take_batch(scope(bawaslu_bogor), channel, "csv")


def test_the_batch_command_writes_the_file(bawaslu_bandung, fake_packet, tmp_path):
    channel = batch_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(), channel)
    out = tmp_path / "batch.csv"
    stdout = io.StringIO()
    call_command(
        "cases", "batch", channel.name, "--format", "csv", "--out", str(out), stdout=stdout
    )
    assert made.reference in out.read_text(encoding="utf-8-sig")
    made.refresh_from_db()
    assert made.batch and made.batch in stdout.getvalue()


def test_the_deliver_command_sends_what_is_due(bawaslu_bandung, tiktok_channel, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    later = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    Escalation.objects.filter(pk=later.pk).update(
        attempts=1, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    stdout = io.StringIO()
    call_command("cases", "deliver", "--json", stdout=stdout)
    summary = json.loads(stdout.getvalue())
    assert summary["due"] == 1 and summary["retrying"] == 1  # the closed port fails again
    made.refresh_from_db()
    later.refresh_from_db()
    assert made.attempts == 1 and later.attempts == 1  # the back-off of `later` holds


def test_service_helpers(bawaslu_bandung, tiktok_liaison, tiktok_channel, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    assert service.may_download_packet(scope(bawaslu_bandung), made)
    assert service.may_download_packet(scope(tiktok_liaison), made)
    assert not service.may_download_packet(SYSTEM.__class__(role="viewer"), made)


def test_the_reporter_is_told_once_when_the_case_is_escalated(
    bawaslu_bandung, tiktok_channel, fake_packet, monkeypatch, django_capture_on_commit_callbacks
):
    from saring.cases.services import notify

    told = []
    monkeypatch.setattr(notify, "case_changed", lambda case, event: told.append((case.pk, event)))
    case = ready_case()
    with django_capture_on_commit_callbacks(execute=True):
        escalate(scope(bawaslu_bandung), case, tiktok_channel)
        escalate(scope(bawaslu_bandung), case, email_channel())  # a second platform
    assert told == [(case.pk, "escalated")]
