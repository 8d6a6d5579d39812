"""Intake rules (saring.cases.services.intake): validation naming fields, one case per content
(through URL forms and merges), idempotency, rate limits, receipts after commit, no personal
data in logs, the reporter's notes and the public status."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from saring.accounts.scope import SYSTEM
from saring.audit.models import AuditEvent
from saring.cases.models import Case, CaseItem, Report, ReportNote
from saring.cases.services import intake
from saring.cases.services.offices import Regime
from saring.cases.workflow import CASE_WORKFLOW
from saring.workflow import transition
from tests.cases.conftest import BANDUNG, JABAR, make_case, scope
from tests.factories import member

VIDEO = "7301234567890123456"
TIKTOK = f"https://www.tiktok.com/@someone/video/{VIDEO}?is_from_webapp=1&sender_device=pc"
TIKTOK_OTHER_FORM = f"m.tiktok.com/@another.handle/video/{VIDEO}"


def data(**fields) -> intake.ReportInput:
    values = {
        "urls": [TIKTOK],
        "category": "hoax",
        "description": "Video ini mengaku TPS di Bandung ditutup pada hari pemungutan suara.",
        "seen_at": timezone.now() - timedelta(hours=2),
        "seen_where": "TikTok, beranda",
        "region_code": BANDUNG,
        "reporter_name": "Siti Pelapor",
        "reporter_email": "siti.pelapor@example.org",
        "reporter_phone": "0812 3456 7890",
        "good_faith": True,
        "consent": True,
        "notify": "email",
    }
    values.update(fields)
    return intake.ReportInput(**values)


def submit(**fields) -> intake.Receipt:
    key = fields.pop("idempotency_key", None)
    address = fields.pop("address", "203.0.113.7")
    return intake.submit(
        data(**fields), channel=Report.Channel.PUBLIC, address=address, idempotency_key=key
    )


def fields_of(excinfo) -> dict[str, str]:
    return {e.field: e.code for e in excinfo.value.errors}


# --- validation -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_missing_field_is_named_at_once():
    empty = intake.ReportInput()
    with pytest.raises(intake.IntakeErrors) as excinfo:
        intake.submit(empty, channel=Report.Channel.PUBLIC)
    assert fields_of(excinfo) == {
        "urls": "required",
        "category": "invalid",
        "description": "required",
        "reporter_email": "contact_required",
        "good_faith": "required",
        "consent": "required",
    }
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_url_is_named_by_its_index_and_the_reason():
    with pytest.raises(intake.IntakeErrors) as excinfo:
        submit(urls=[TIKTOK, "javascript:alert(1)", "bukan alamat"])
    errors = {e.field: e for e in excinfo.value.errors}
    assert set(errors) == {"urls[1]", "urls[2]"}
    assert errors["urls[1]"].code == "scheme"
    assert "javascript:alert(1)" in errors["urls[1]"].message
    assert errors["urls[2]"].code == "not_a_url"


@pytest.mark.django_db
def test_limits_of_urls_description_time_region_and_contact():
    with pytest.raises(intake.IntakeErrors) as excinfo:
        submit(
            urls=[f"https://example.org/{n}" for n in range(11)],
            description="x" * 5001,
            seen_at=timezone.now() + timedelta(days=1),
            region_code="99.99",
            reporter_email="bukan-email",
            reporter_phone="12",
            good_faith=False,
        )
    assert fields_of(excinfo) == {
        "urls": "too_many",
        "description": "too_long",
        "seen_at": "future",
        "region_code": "unknown",
        "reporter_email": "invalid",
        "reporter_phone": "invalid",
        "good_faith": "required",
    }


@pytest.mark.django_db
def test_a_non_platform_site_is_accepted_as_other_and_the_phone_is_e164():
    receipt = submit(urls=["https://example.org/berita/1?utm_source=wa"], notify="sms")
    item = receipt.case.items.get()
    assert (item.platform, item.key) == ("other", "other:https://example.org/berita/1")
    assert receipt.report.reporter_phone == "+6281234567890"
    assert receipt.report.notify == "sms"


@pytest.mark.django_db
def test_partners_need_no_contact_nor_consent_but_good_faith():
    partner = scope(member("analyst"))
    receipt = intake.submit(
        data(reporter_email="", reporter_phone="", consent=False, description="", notify=""),
        channel=Report.Channel.PARTNER,
        scope=partner,
    )
    assert receipt.report.organisation_id == partner.organisation_id
    assert receipt.report.notify == "none"
    assert receipt.case.origin == Case.Origin.PARTNER
    with pytest.raises(intake.IntakeErrors) as excinfo:
        intake.submit(
            data(good_faith=False, urls=["https://example.org/x"]),
            channel=Report.Channel.PARTNER,
            scope=partner,
        )
    assert fields_of(excinfo) == {"good_faith": "required"}


# --- a new case, and attaching to an existing one ---------------------------------------------


@pytest.mark.django_db
def test_a_new_report_opens_a_case_at_the_regions_office(bawaslu_bandung):
    receipt = submit()
    case, report = receipt.case, receipt.report
    assert receipt.created and not receipt.attached_to_existing
    assert (case.province_id, case.regency_id) == (JABAR, BANDUNG)
    assert case.organisation_id == bawaslu_bandung.membership.organisation_id
    assert case.state == Case.State.RECEIVED and case.origin == Case.Origin.PUBLIC
    assert case.title.startswith("Video ini mengaku TPS")
    assert case.follow_up_due is not None and case.follow_up_due > case.created_at
    assert case.discovered_at == report.seen_at
    assert report.first_case_id == case.pk and not report.late
    assert len(report.tracking_code) == 11 and report.tracking_code.startswith("LP-")
    assert set(report.tracking_code[3:]) <= set(intake.CODE_ALPHABET)
    actions = list(
        AuditEvent.objects.filter(action__in=["case.opened", "report.received"]).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["case.opened", "report.received"]


@pytest.mark.django_db
def test_another_url_form_of_the_same_video_attaches_to_its_case():
    first = submit(seen_at=timezone.now() - timedelta(hours=1))
    earlier = timezone.now() - timedelta(days=2)
    second = submit(
        urls=[TIKTOK_OTHER_FORM, "https://example.org/hoaks"],
        seen_at=earlier,
        reporter_email="budi@example.org",
        address="198.51.100.9",
    )
    assert second.attached_to_existing and second.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert sorted(second.case.items.values_list("key", flat=True)) == [
        "other:https://example.org/hoaks",
        f"tiktok:{VIDEO}",
    ]
    second.case.refresh_from_db()
    assert second.case.discovered_at == earlier
    event = AuditEvent.objects.get(action="report.received", subject_id=str(second.report.pk))
    assert event.details["attached"] is True


@pytest.mark.django_db
def test_a_report_of_a_merged_case_goes_to_the_case_it_lives_in():
    target = make_case()
    merged = make_case(state=Case.State.MERGED, merged_into=target)
    content_id = merged.items.get().content_id
    receipt = submit(urls=[f"https://www.tiktok.com/@x/video/{content_id}"])
    assert receipt.attached_to_existing
    assert receipt.case.pk == target.pk
    assert receipt.report.case_id == target.pk


@pytest.mark.django_db
def test_quiet_period_raises_priority_and_an_old_sighting_is_late(monkeypatch):
    monkeypatch.setattr(intake, "regime_at", lambda *a: Regime("pemilu", None, True))
    receipt = submit(seen_at=timezone.now() - timedelta(days=30))
    assert receipt.case.in_quiet_period and receipt.case.priority == Case.Priority.HIGH
    assert receipt.report.late


# --- idempotency, rate limits -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_same_idempotency_key_returns_the_same_receipt():
    first = submit(idempotency_key="form-nonce-1")
    again = submit(idempotency_key="form-nonce-1", description="diubah")
    assert again.created is False
    assert again.report.pk == first.report.pk and again.case.pk == first.case.pk
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_partner_keys_are_per_organisation():
    a, b = scope(member("analyst")), scope(member("analyst"))
    one = intake.submit(data(), channel=Report.Channel.PARTNER, scope=a, idempotency_key="k")
    two = intake.submit(data(), channel=Report.Channel.PARTNER, scope=b, idempotency_key="k")
    assert one.report.pk != two.report.pk and two.attached_to_existing


@pytest.mark.django_db
def test_a_race_on_the_key_answers_with_the_stored_report(monkeypatch):
    first = submit(idempotency_key="race")
    # The twin passed the replay check before the first one committed.
    original, calls = intake._replay, []

    def late_replay(key):
        calls.append(key)
        return None if len(calls) == 1 else original(key)

    monkeypatch.setattr(intake, "_replay", late_replay)
    again = submit(idempotency_key="race")
    assert again.report.pk == first.report.pk and not again.created
    assert Report.objects.count() == 1 and Case.objects.count() == 1


@pytest.mark.django_db
def test_a_flood_from_one_address_is_limited_with_retry_after(settings):
    settings.SARING_REPORTS_PER_ADDRESS_10_MIN = 2
    for n in range(2):
        submit(urls=[f"https://example.org/{n}"], reporter_email=f"r{n}@example.org")
    with pytest.raises(intake.RateLimited) as excinfo:
        submit(urls=["https://example.org/3"], reporter_email="r3@example.org")
    assert 0 < excinfo.value.retry_after_seconds <= 600
    # Another address is not affected; nothing stored holds the address itself.
    submit(urls=["https://example.org/4"], reporter_email="r4@example.org", address="192.0.2.1")
    assert not Report.objects.filter(address_hash__contains="203.0.113.7").exists()
    assert (
        Report.objects.filter(address_hash=intake.fingerprint("address", "203.0.113.7")).count()
        == 2
    )


@pytest.mark.django_db
def test_one_contact_is_limited_whatever_the_address(settings):
    settings.SARING_REPORTS_PER_CONTACT_DAY = 1
    submit(urls=["https://example.org/a"], address="192.0.2.1")
    with pytest.raises(intake.RateLimited):
        submit(urls=["https://example.org/b"], address="192.0.2.2", reporter_email="")
    # Only a phone, e-mail chosen: messages go by SMS rather than the report being refused.
    settings.SARING_REPORTS_PER_CONTACT_DAY = 10
    receipt = submit(urls=["https://example.org/c"], address="192.0.2.3", reporter_email="")
    assert receipt.report.notify == "sms"


# --- after commit, logs -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_receipt_is_sent_after_commit_and_a_failing_mailer_keeps_the_report(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    sent = []
    monkeypatch.setattr(intake.notify, "report_received", lambda report: sent.append(report.pk))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        receipt = submit()
    assert sent == [] and len(callbacks) == 1  # nothing before the commit
    callbacks[0]()
    assert sent == [receipt.report.pk]

    def broken(report):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(intake.notify, "report_received", broken)
    with (
        caplog.at_level(logging.INFO, logger="saring"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        other = submit(urls=["https://example.org/z"], reporter_email="z@example.org")
    assert Report.objects.filter(pk=other.report.pk).exists()
    assert "could not be queued" in caplog.text


@pytest.mark.django_db
def test_no_personal_data_in_logs_or_audit(caplog):
    with caplog.at_level(logging.DEBUG):
        receipt = submit()
    for secret in ("Siti Pelapor", "siti.pelapor@example.org", "6281234567890", "203.0.113.7"):
        assert secret not in caplog.text
        for event in AuditEvent.objects.all():
            assert secret not in str(event.details) and secret not in event.subject
    assert f"report {receipt.report.pk} stored" in caplog.text


# --- codes, status, notes ---------------------------------------------------------------------


@pytest.mark.django_db
def test_codes_are_found_whatever_the_case_spaces_and_dashes():
    code = submit().report.tracking_code
    body = code[3:]
    assert intake.find_report(code.lower()).tracking_code == code
    assert intake.find_report(f" lp {body[:4]} {body[4:]} ").tracking_code == code
    assert intake.find_report("LP-" + body.replace("0", "O")).tracking_code == code
    assert intake.find_report("LP-ZZZZZZZZ" if body != "ZZZZZZZZ" else "LP-00000000") is None
    assert intake.find_report("") is None


@pytest.mark.django_db
def test_public_status_follows_the_case_and_says_nothing_personal(bawaslu_bandung):
    receipt = submit()
    case = receipt.case
    transition(case, CASE_WORKFLOW, "triaged", scope=scope(bawaslu_bandung), why="valid")
    transition(case, CASE_WORKFLOW, "escalated", scope=scope(bawaslu_bandung), why="to TikTok")
    Case.objects.filter(pk=case.pk).update(outcome="removed")
    status = intake.public_status(Report.objects.get(pk=receipt.report.pk))
    assert status.state == "escalated" and status.outcome == "removed"
    assert [step.state for step in status.timeline] == ["received", "triaged", "escalated"]
    assert "Siti" not in repr(status) and "example.org" not in repr(status)


@pytest.mark.django_db
def test_the_reporter_adds_information_within_limits(settings):
    settings.SARING_REPORT_NOTES_PER_DAY = 2
    report = submit().report
    note = intake.add_note(report, "  Tautan lain: https://example.org/salinan  ")
    assert note.by_reporter and note.text.startswith("Tautan lain")
    event = AuditEvent.objects.get(action="report.note_added")
    assert event.actor == SYSTEM.username and event.details["chars"] == len(note.text)
    with pytest.raises(intake.IntakeErrors) as excinfo:
        intake.add_note(report, "x" * 2001)
    assert fields_of(excinfo) == {"text": "too_long"}
    intake.add_note(report, "kedua")
    with pytest.raises(intake.RateLimited):
        intake.add_note(report, "ketiga")
    assert ReportNote.objects.count() == 2
    assert CaseItem.objects.count() == 1
