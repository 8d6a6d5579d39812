"""An import run always ends, with its reason and one audit event (issue 9, section 2)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from saring.audit.models import AuditEvent
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from saring.monitoring.services import ingest, runs
from saring.monitoring.services.ingest import BatchWriter, ingest_file
from saring.sources.records import SourceError
from saring.sources.registry import get_format
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_followups(monkeypatch):
    monkeypatch.setattr(ingest, "AFTER_IMPORT", [])


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def test_a_finished_import_is_one_audit_event_with_its_counts_by_the_system(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(str(i)) for i in range(40)] + ["{"])
    summary = ingest_file(path, "generic-jsonl")
    [event] = events("import.finished")
    assert (event.subject_type, event.subject_id) == ("monitoring.importrun", str(summary.run_id))
    assert (event.actor, event.from_state, event.to_state) == ("system", "running", "done")
    assert event.details["created"] == 40 and event.details["quarantined"] == 1
    assert AuditEvent.objects.count() == 1, "one event per run, never one per post"


def test_an_upload_is_audited_as_its_uploader(tmp_path):
    user = member("analyst", province="32")
    path = write_jsonl(tmp_path / "a.jsonl", [post_line("1")])
    run = ImportRun.objects.create(
        format="generic-jsonl", file_name="a.jsonl", uploaded_by=user, province_id="32"
    )
    ingest_file(path, "generic-jsonl", run=run)
    [event] = events("import.finished")
    assert event.actor == user.username
    assert event.organisation == user.membership.organisation.name


def test_a_file_refused_fails_its_run_with_the_reason_and_one_event(tmp_path):
    path = tmp_path / "kosong.jsonl"
    path.write_text("")
    run = ImportRun.objects.create(format="generic-jsonl", file_name="kosong.jsonl")
    with pytest.raises(SourceError):
        ingest_file(path, "generic-jsonl", run=run)
    run.refresh_from_db()
    assert (run.status, "file is empty" in run.error) == ("failed", True)
    [event] = events("import.failed")
    assert event.to_state == "failed" and "file is empty" in event.reason


def test_whatever_the_reader_raises_the_run_ends_failed_and_what_was_read_is_kept(
    tmp_path, monkeypatch
):
    fmt = get_format("generic-jsonl")
    real = fmt.iter_items

    def breaks(path):
        for number, item in enumerate(real(path)):
            if number == 2:
                raise RecursionError("maximum recursion depth exceeded")
            yield item

    monkeypatch.setattr(fmt, "iter_items", breaks)
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(str(i)) for i in range(5)])
    with pytest.raises(SourceError, match="RecursionError"):
        ingest_file(path, "generic-jsonl", batch_size=1)
    run = ImportRun.objects.get()
    assert run.status == "failed" and "RecursionError" in run.error
    assert Post.objects.count() == 2, "the batches written before stay"
    assert len(events("import.failed")) == 1


def test_an_interrupted_import_is_not_left_running(tmp_path, monkeypatch):
    fmt = get_format("generic-jsonl")

    def interrupted(path):
        raise KeyboardInterrupt
        yield  # a generator

    monkeypatch.setattr(fmt, "iter_items", interrupted)
    path = write_jsonl(tmp_path / "a.jsonl", [post_line("1")])
    with pytest.raises(KeyboardInterrupt):
        ingest_file(path, "generic-jsonl")
    run = ImportRun.objects.get()
    assert (run.status, run.error) == ("failed", "interrupted")


def test_a_reader_bug_on_one_item_quarantines_that_item_only(tmp_path, monkeypatch):
    fmt = get_format("generic-jsonl")
    real = fmt.parse

    def parse(payload):
        if '"2"' in payload:
            raise ZeroDivisionError("division by zero")
        return real(payload)

    monkeypatch.setattr(fmt, "parse", parse)
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(str(i)) for i in range(1, 4)])
    summary = ingest_file(path, "generic-jsonl")
    assert (summary.created, summary.quarantined) == (2, 1)
    record = QuarantinedRecord.objects.get()
    assert record.reason_detail["code"] == "reader_failed"
    assert "ZeroDivisionError" in record.reason and '"2"' in record.payload
    assert ImportRun.objects.get().status == "done"


def test_a_record_the_database_refuses_is_quarantined_and_its_batch_still_written(
    tmp_path, monkeypatch
):
    real_prepared, real_write = BatchWriter.write_prepared, BatchWriter.write

    def refuse(records):
        if any(r.platform_id == "2" for r in records):
            raise IntegrityError("value too long for type character varying(100)")

    def write_prepared(self, prepared, summary):
        refuse([item.record for item in prepared.pending.values()])
        real_prepared(self, prepared, summary)

    def write(self, records, summary):
        refuse(records)
        real_write(self, records, summary)

    monkeypatch.setattr(BatchWriter, "write_prepared", write_prepared)
    monkeypatch.setattr(BatchWriter, "write", write)
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(str(i)) for i in range(1, 5)])
    summary = ingest_file(path, "generic-jsonl")
    assert sorted(Post.objects.values_list("platform_id", flat=True)) == ["1", "3", "4"]
    record = QuarantinedRecord.objects.get()
    assert record.reason_detail["code"] == "database_refused" and "too long" in record.reason
    assert (summary.read, summary.created, summary.quarantined) == (4, 3, 1)


def test_the_same_bytes_uploaded_again_under_another_name_add_no_observation(tmp_path):
    lines = [post_line(str(i)) for i in range(3)]
    first = write_jsonl(tmp_path / "a.jsonl", lines)
    ingest_file(first, "generic-jsonl")
    copy = tmp_path / "upload-2" / "a.jsonl"
    copy.parent.mkdir()
    copy.write_bytes(first.read_bytes())
    os.utime(copy, (first.stat().st_mtime + 86400,) * 2)  # stored a day later
    again = ingest_file(copy, "generic-jsonl")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Post.objects.get(platform_id="1").observations.count() == 1


# -- stranded runs ----------------------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _running(**fields) -> ImportRun:
    now = timezone.now()
    values = {
        "format": "generic-jsonl",
        "file_name": "x.jsonl",
        "status": "running",
        "started_at": now,
        "heartbeat_at": now,
        "worker": runs.this_worker(),
    }
    values.update(fields)
    return ImportRun.objects.create(**values)


def test_close_stranded_ends_runs_whose_process_is_gone_or_that_stopped_moving():
    host = runs.this_worker().rsplit(":", 1)[0]
    long_ago = timezone.now() - timedelta(hours=2)
    gone = _running(worker=f"{host}:{_dead_pid()}")
    idle = _running(worker="elsewhere:123", heartbeat_at=long_ago)
    started_queued = _running(status="queued", started_at=long_ago, heartbeat_at=None, worker="")
    alive = _running()
    waiting = ImportRun.objects.create(format="generic-jsonl", file_name="w.jsonl")
    on_another_host = _running(worker="elsewhere:123")

    closed = runs.close_stranded(idle_minutes=30)

    assert sorted(closed.runs) == sorted([gone.id, idle.id, started_queued.id])
    for run in (gone, idle, started_queued):
        run.refresh_from_db()
        assert run.status == "failed" and run.error.startswith("interrupted")
        assert run.finished_at is not None
    for run in (alive, waiting, on_another_host):
        run.refresh_from_db()
        assert run.status in ("running", "queued")
    closing = events("import.closed")
    assert sorted(int(e.subject_id) for e in closing) == sorted(closed.runs)
    assert {e.actor for e in closing} == {"system"}
    assert runs.close_stranded(idle_minutes=30).runs == [], "closing twice closes nothing"


def test_the_command_closes_stranded_runs_and_prints_them(capsys):
    stale = _running(worker="elsewhere:1", heartbeat_at=timezone.now() - timedelta(minutes=20))
    call_command("imports", "close-stranded", "--idle-minutes", "10", "--json")
    assert json.loads(capsys.readouterr().out) == {
        "closed": [stale.id],
        "rescores": [],
        "registry_imports": [],
    }


def test_a_worker_closes_stranded_runs_when_it_starts(monkeypatch):
    host = runs.this_worker().rsplit(":", 1)[0]
    stranded = _running(worker=f"{host}:{_dead_pid()}")
    started = []
    monkeypatch.setattr(
        "saring.monitoring.management.commands.worker.call_command",
        lambda *args, **kwargs: started.append(args),
    )
    call_command("worker", "--batch")
    stranded.refresh_from_db()
    assert stranded.status == "failed" and started == [("db_worker",)]
