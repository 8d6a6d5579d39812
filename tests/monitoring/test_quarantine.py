"""Quarantine: nothing lost, fixable, re-runnable."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from saring.monitoring.services import quarantine
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_with_bad_line(tmp_path):
    path = write_jsonl(tmp_path / "f.jsonl", [post_line("1"), post_line("2", created_at="kemarin")])
    run = ImportRun.objects.create(format="generic-jsonl", file_name="f.jsonl")
    ingest_file(path, "generic-jsonl", run=run)
    return run


def test_a_fixed_payload_is_imported_and_the_record_resolved(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    fixed = json.dumps(post_line("2"))
    summary = quarantine.retry([record], payload=fixed, scope=SYSTEM)
    record.refresh_from_db()
    run_with_bad_line.refresh_from_db()
    assert summary.quarantined == 0
    assert record.status == "resolved"
    assert Post.objects.filter(platform_id="2").exists()
    assert (run_with_bad_line.created, run_with_bad_line.quarantined) == (2, 0)


def test_a_retry_that_still_fails_keeps_the_record_with_the_new_reason(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    assert record.reason_detail == {"code": "unreadable_date", "params": {"value": "kemarin"}}
    summary = quarantine.retry([record], payload='{"platform": "x"', scope=SYSTEM)
    record.refresh_from_db()
    assert summary.quarantined == 1
    assert (record.status, record.attempts) == ("open", 2)
    assert record.payload == '{"platform": "x"'
    assert (
        record.reason.startswith("invalid JSON") and record.reason_detail["code"] == "invalid_json"
    )


def test_the_reason_reads_in_the_readers_language(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    assert "kemarin" in record.reason  # the stored, technical text stays the parser's
    with translation.override("id"):
        assert record.reason_text == "Tanggal kemarin mustahil atau tidak terbaca."
    with translation.override("en"):
        assert record.reason_text == "The date kemarin is impossible or unreadable."
    record.reason_detail = {"code": "a_code_from_a_newer_version", "params": {}}
    # an unknown code: a sentence in the reader's language, the parser's words as its detail
    assert record.reason in record.reason_text


def test_retrying_twice_never_duplicates(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    quarantine.retry([record], payload=json.dumps(post_line("2")), scope=SYSTEM)
    quarantine.retry(QuarantinedRecord.objects.all(), scope=SYSTEM)
    assert Post.objects.filter(platform_id="2").count() == 1


def test_discard_only_marks_the_record(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    assert quarantine.discard([record], scope=SYSTEM) == 1
    record.refresh_from_db()
    assert record.status == "discarded"


# -- who may retry and discard (issue 9): enforced in the service ------------------------------


def _bad_run(tmp_path, name: str, **owner) -> ImportRun:
    """An import run owned by `owner` (uploaded_by, organisation, province_id, regency_id) with
    one quarantined record."""
    path = write_jsonl(tmp_path / f"{name}.jsonl", [post_line(name, created_at="kemarin")])
    run = ImportRun.objects.create(format="generic-jsonl", file_name=path.name, **owner)
    ingest_file(path, "generic-jsonl", run=run)
    return run


def _owned_by(user) -> dict:
    org = user.membership.organisation
    return {
        "uploaded_by": user,
        "organisation": org,
        "province_id": org.province_id,
        "regency_id": org.regency_id,
    }


def test_an_analyst_retries_and_discards_the_quarantine_of_their_own_region(tmp_path):
    analyst = member("analyst", province="32")
    run = _bad_run(tmp_path, "jabar", **_owned_by(analyst))
    record = run.quarantine.get()
    fixed = json.dumps(post_line("jabar"))
    summary = quarantine.retry([record], payload=fixed, scope=scope_for(analyst))
    assert summary.created == 1
    record.refresh_from_db()
    assert record.status == "resolved"
    [event] = AuditEvent.objects.filter(action="quarantine.retried")
    assert event.actor == analyst.username and event.details["ids"] == [record.id]


@pytest.mark.parametrize(
    "owner",
    [
        pytest.param(lambda: {}, id="a national command-line run (a region above)"),
        pytest.param(lambda: _owned_by(member("analyst", province="33")), id="another province"),
        pytest.param(
            lambda: _owned_by(member("analyst", province="32", kind=Organisation.Kind.BAWASLU)),
            id="another organisation kind in the same province",
        ),
    ],
)
def test_nobody_retries_or_discards_a_region_above_or_another_organisation(tmp_path, owner):
    run = _bad_run(tmp_path, "lain", **owner())
    record = run.quarantine.get()
    scope = scope_for(member("admin", province="32", regency="32.73"))
    kpu_jabar = scope_for(member("admin", province="32"))
    for acting in (scope, kpu_jabar):
        with pytest.raises(ScopeError):
            quarantine.retry([record], payload=json.dumps(post_line("lain")), scope=acting)
        with pytest.raises(ScopeError):
            quarantine.discard([record], scope=acting)
    record.refresh_from_db()
    assert (record.status, record.attempts) == ("open", 1)
    assert not Post.objects.filter(platform_id="lain").exists()


def test_a_viewer_retries_nothing(tmp_path):
    viewer = member("viewer", province="32")
    run = _bad_run(tmp_path, "v", **_owned_by(viewer))
    with pytest.raises(ScopeError):
        quarantine.retry(run.quarantine.all(), scope=scope_for(viewer))


# -- the page keeps the raw record whole ------------------------------------------------------


@pytest.fixture
def analyst_client(client):
    user = member("analyst", province="32")
    assert client.login(username=user.username, password=PASSWORD)
    client.user = user
    return client


def test_the_quarantine_page_shows_the_whole_raw_record_for_editing(tmp_path, analyst_client):
    long_text = "panjang " * 5000  # 40,000 characters: the page used to cut at 20,000
    line = json.dumps(post_line("p1", long_text, created_at="kemarin"))
    path = write_jsonl(tmp_path / "p.jsonl", [line])
    run = ImportRun.objects.create(
        format="generic-jsonl", file_name="p.jsonl", **_owned_by(analyst_client.user)
    )
    ingest_file(path, "generic-jsonl", run=run)
    page = analyst_client.get(reverse("web:quarantine")).content.decode()
    assert escape(line) in page


def test_retrying_an_unedited_record_from_the_page_retries_the_stored_payload(
    tmp_path, analyst_client, settings
):
    settings.MAX_TEXT_CHARS = 100_000
    record_text = json.dumps(post_line("p2", "x" * 30_000)).replace("2024", "2O24", 1)
    run = ImportRun.objects.create(
        format="generic-jsonl", file_name="p.jsonl", **_owned_by(analyst_client.user)
    )
    ingest_file(write_jsonl(tmp_path / "p.jsonl", [record_text]), "generic-jsonl", run=run)
    record = run.quarantine.get()
    url = reverse("web:quarantine_retry", args=[record.pk])
    # what a browser sends back for an unchanged textarea: CRLF line breaks
    analyst_client.post(url, {"payload": record.payload.replace("\n", "\r\n")})
    record.refresh_from_db()
    assert record.payload == record_text and record.attempts == 2  # the stored one, whole
    fixed = record_text.replace("2O24", "2024", 1)
    analyst_client.post(url, {"payload": fixed})
    record.refresh_from_db()
    assert record.status == "resolved"
    assert len(Post.objects.get(platform_id="p2").text) == 30_000


def test_a_record_too_large_to_edit_is_retried_as_stored(tmp_path, analyst_client, settings):
    settings.MAX_TEXT_CHARS = 1_000
    run = ImportRun.objects.create(
        format="generic-jsonl", file_name="big.jsonl", **_owned_by(analyst_client.user)
    )
    big = json.dumps(post_line("big", "y" * (QuarantinedRecord.EDIT_LIMIT + 10)))
    ingest_file(write_jsonl(tmp_path / "big.jsonl", [big]), "generic-jsonl", run=run)
    record = run.quarantine.get()
    page = analyst_client.get(reverse("web:quarantine")).content.decode()
    assert 'name="payload" rows' not in page
    assert "terlalu besar untuk disunting di sini" in page  # the Indonesian page says why
    settings.MAX_TEXT_CHARS = QuarantinedRecord.EDIT_LIMIT + 100
    analyst_client.post(reverse("web:quarantine_retry", args=[record.pk]), {})
    record.refresh_from_db()
    assert record.status == "resolved" and record.payload == big
    assert len(Post.objects.get(platform_id="big").text) == QuarantinedRecord.EDIT_LIMIT + 10


def test_the_page_offers_no_retry_for_a_region_above(tmp_path, analyst_client):
    _bad_run(tmp_path, "nasional")  # a command-line run: national, no organisation
    page = analyst_client.get(reverse("web:quarantine"))
    assert page.context["page"].paginator.count == 1  # visible: a region above
    record = QuarantinedRecord.objects.get()
    content = page.content.decode()
    assert reverse("web:quarantine_retry", args=[record.pk]) not in content
    assert reverse("web:quarantine_discard", args=[record.pk]) not in content
    response = analyst_client.post(reverse("web:quarantine_discard", args=[record.pk]), {})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == "open"
