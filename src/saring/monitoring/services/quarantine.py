"""Quarantine: inspect, fix and retry, or discard records an import could not take.

Rules:
- Retrying and discarding need the analyst role on the record's import run: a run of the
  scope's own region or below and of its own kind of organisation (never of a region above,
  never another organisation's kind). The service checks it, whatever the caller (page,
  command, API): a refusal is ScopeError and changes nothing.
- The stored payload is the raw record, whole. A retry parses it again, or the user's fix of
  a single record; a record that now parses is written like any import (idempotent) and
  marked resolved, one that still fails keeps its place with the new reason.
- Each retry or discard call is one audit event per import run, naming the records.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record as audit
from saring.kernel.hooks import RETRY_HANDLERS
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services.ingest import BatchWriter, IngestSummary
from saring.sources.records import RecordError
from saring.sources.registry import get_format

AUDITED_IDS = 200  # record ids listed in one audit event


def may_handle(scope: Scope, record: QuarantinedRecord) -> bool:
    """Whether `scope` may retry or discard `record` (analyst on its run's region and kind)."""
    return scope.edits_record(record.run, role="analyst")


def _require(scope: Scope, records: list[QuarantinedRecord]) -> None:
    for record in records:
        require(
            scope,
            may_handle(scope, record),
            _(
                "This record belongs to an import of a region above yours, another region or "
                "another organisation: you can read it but not retry or discard it."
            ),
        )


def _open(records: Iterable[QuarantinedRecord]) -> list[QuarantinedRecord]:
    return [r for r in records if r.status == QuarantinedRecord.Status.OPEN]


def retry(
    records: Iterable[QuarantinedRecord], payload: str | None = None, *, scope: Scope
) -> IngestSummary:
    """Parse each record's stored payload again (or `payload`, a user's fix of a single
    record), as `scope`; ScopeError before anything is done if any record is not the scope's."""
    todo = _open(records)
    _require(scope, todo)
    summary = IngestSummary()
    writers: dict[int, BatchWriter] = {}
    by_run: dict[int, list[int]] = {}
    for record in todo:
        run = record.run
        by_run.setdefault(run.id, []).append(record.id)
        text = payload if payload is not None else record.payload
        handler = RETRY_HANDLERS.get(run.format)
        if handler is not None:
            _retry_with(handler, record, text, summary)
            continue
        writer = writers.get(run.id)
        if writer is None:
            writer = writers[run.id] = BatchWriter(run, run.observed_default or run.queued_at)
        with transaction.atomic():
            try:
                parsed = get_format(run.format).parse(text)
                for rec in parsed:
                    writer.check(rec)
            except RecordError as error:
                _keep_failed(record, text, error)
                summary.quarantined += 1
                continue
            summary.read += len(parsed)
            created_before = summary.created
            writer.write(parsed, summary)
            _mark_resolved(record, text, summary.created - created_before)
    _audit(scope, Action.QUARANTINE_RETRIED, todo, by_run, edited=payload is not None)
    return summary


def _keep_failed(record: QuarantinedRecord, text: str, error: RecordError) -> None:
    record.payload = text.replace("\x00", "")
    record.set_error(error)
    record.attempts += 1
    record.save(
        update_fields=["payload", "field", "reason", "reason_detail", "attempts", "updated_at"]
    )


def _retry_with(handler, record: QuarantinedRecord, text: str, summary: IngestSummary) -> None:
    with transaction.atomic():
        try:
            read, created = handler(record.run, text)
        except RecordError as error:
            _keep_failed(record, text, error)
            summary.quarantined += 1
            return
        summary.read += read
        summary.created += created
        _mark_resolved(record, text, created)


def _mark_resolved(record: QuarantinedRecord, text: str, created: int) -> None:
    """The record imported: keep the payload that worked and move it out of the run's count."""
    record.payload, record.status = text.replace("\x00", ""), QuarantinedRecord.Status.RESOLVED
    record.save(update_fields=["payload", "status", "updated_at"])
    ImportRun.objects.filter(id=record.run_id).update(
        quarantined=F("quarantined") - 1, created=F("created") + created
    )


def discard(records: Iterable[QuarantinedRecord], *, scope: Scope) -> int:
    """Mark open records discarded, as `scope` (ScopeError if any is not the scope's)."""
    todo = _open(records)
    _require(scope, todo)
    ids = [r.id for r in todo]
    with transaction.atomic():
        count = QuarantinedRecord.objects.filter(id__in=ids, status="open").update(
            status=QuarantinedRecord.Status.DISCARDED
        )
        by_run: dict[int, list[int]] = {}
        for record in todo:
            by_run.setdefault(record.run_id, []).append(record.id)
        _audit(scope, Action.QUARANTINE_DISCARDED, todo, by_run)
    return count


def _audit(
    scope: Scope,
    action: Action,
    records: list[QuarantinedRecord],
    by_run: dict[int, list[int]],
    **details: object,
) -> None:
    runs = {record.run_id: record.run for record in records}
    for run_id, ids in by_run.items():
        audit(
            scope,
            action,
            runs[run_id],
            details={"records": len(ids), "ids": ids[:AUDITED_IDS], **details},
        )
