"""The command line: `saring ingest`, `saring quarantine`, `saring demo`."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from saring.accounts.models import Membership
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from tests.factories import post_line, write_jsonl

pytestmark = pytest.mark.django_db


def test_ingest_json_prints_the_summary_keys(tmp_path, capsys):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line("1"), "{broken"])
    call_command("ingest", str(path), "--format", "generic-jsonl", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert {"read", "created", "updated", "quarantined", "seconds"} <= summary.keys()
    assert (summary["read"], summary["created"], summary["quarantined"]) == (2, 1, 1)


def test_ingest_of_a_directory_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match=str(tmp_path)):
        call_command("ingest", str(tmp_path), "--format", "generic-jsonl")


def test_an_unknown_format_is_refused_by_name(tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("ingest", str(tmp_path / "a.json"), "--format", "facebook-magic")


def test_quarantine_list_and_retry_after_a_fix(tmp_path, capsys):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line("1", created_at="2024-13-01")])
    call_command("ingest", str(path), "--format", "generic-jsonl")
    record = QuarantinedRecord.objects.get()
    call_command("quarantine", "list")
    assert "created_at" in capsys.readouterr().out
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(post_line("1")), encoding="utf-8")
    call_command("quarantine", "retry", "--id", str(record.id), "--payload-file", str(fixed))
    assert Post.objects.filter(platform_id="1").exists()
    assert QuarantinedRecord.objects.get().status == "resolved"


def test_quarantine_discard_needs_a_target():
    with pytest.raises(CommandError):
        call_command("quarantine", "discard")


def test_demo_loads_accounts_and_posts_and_is_idempotent(capsys):
    call_command("demo", "--posts", "300")
    call_command("demo", "--posts", "300")
    from saring.demo.speakers import speaker_lines  # impostors and campaign accounts

    assert Post.objects.count() == 300 + len(speaker_lines())
    assert Membership.objects.filter(
        user__username="analis.jabar", organisation__province_id="32"
    ).exists()
    assert "saring-demo-2024" in capsys.readouterr().out


def test_ingest_of_a_file_that_cannot_be_read_is_a_clear_error_and_a_failed_run(tmp_path):
    path = tmp_path / "capture.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(CommandError, match="PNG image"):
        call_command("ingest", str(path), "--format", "zeeschuimer")
    run = ImportRun.objects.get()
    assert run.status == "failed" and "PNG image" in run.error


def test_ingest_twice_adds_nothing_the_second_time(tmp_path, capsys):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line("1"), "{broken"])
    call_command("ingest", str(path), "--format", "generic-jsonl", "--json")
    capsys.readouterr()
    call_command("ingest", str(path), "--format", "generic-jsonl", "--json")
    again = json.loads(capsys.readouterr().out)
    assert (again["created"], again["quarantined"], again["already_quarantined"]) == (0, 0, 1)
    assert QuarantinedRecord.objects.count() == 1
