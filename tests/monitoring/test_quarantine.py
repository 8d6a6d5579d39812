"""Quarantine: nothing lost, fixable, re-runnable."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from saring.monitoring.services import quarantine
from saring.monitoring.services.ingest import ingest_file
from tests.factories import post_line, write_jsonl

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
    summary = quarantine.retry([record], payload=fixed)
    record.refresh_from_db()
    run_with_bad_line.refresh_from_db()
    assert summary.quarantined == 0
    assert record.status == "resolved"
    assert Post.objects.filter(platform_id="2").exists()
    assert (run_with_bad_line.created, run_with_bad_line.quarantined) == (2, 0)


def test_a_retry_that_still_fails_keeps_the_record_with_the_new_reason(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    assert record.reason_detail == {"code": "unreadable_date", "params": {"value": "kemarin"}}
    summary = quarantine.retry([record], payload='{"platform": "x"')
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
    assert record.reason_text == record.reason  # unknown codes fall back to the parser's words


def test_retrying_twice_never_duplicates(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    quarantine.retry([record], payload=json.dumps(post_line("2")))
    quarantine.retry(QuarantinedRecord.objects.all())
    assert Post.objects.filter(platform_id="2").count() == 1


def test_discard_only_marks_the_record(run_with_bad_line):
    record = QuarantinedRecord.objects.get()
    assert quarantine.discard([record]) == 1
    record.refresh_from_db()
    assert record.status == "discarded"
