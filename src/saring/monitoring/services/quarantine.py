"""Quarantine: inspect, fix and retry, or discard records an import could not take."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F

from saring.kernel.hooks import RETRY_HANDLERS
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services.ingest import BatchWriter, IngestSummary
from saring.sources.records import RecordError
from saring.sources.registry import get_format


def retry(records: Iterable[QuarantinedRecord], payload: str | None = None) -> IngestSummary:
    """Parse each record's payload again (or `payload`, a user's fix of a single record).

    A record that now parses is written like any import (idempotent) and marked resolved; one
    that still fails keeps its place with the new reason, so nothing is lost either way.
    """
    summary = IngestSummary()
    writers: dict[int, BatchWriter] = {}
    for record in records:
        if record.status != QuarantinedRecord.Status.OPEN:
            continue
        run = record.run
        text = payload if payload is not None else record.payload
        handler = RETRY_HANDLERS.get(run.format)
        if handler is not None:
            _retry_with(handler, record, text, summary)
            continue
        writer = writers.get(run.id)
        if writer is None:
            writer = writers[run.id] = BatchWriter(run, run.queued_at)
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
    return summary


def _keep_failed(record: QuarantinedRecord, text: str, error: RecordError) -> None:
    record.payload = text
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
    record.payload, record.status = text, QuarantinedRecord.Status.RESOLVED
    record.save(update_fields=["payload", "status", "updated_at"])
    ImportRun.objects.filter(id=record.run_id).update(
        quarantined=F("quarantined") - 1, created=F("created") + created
    )


def discard(records: Iterable[QuarantinedRecord]) -> int:
    ids = [r.id for r in records if r.status == QuarantinedRecord.Status.OPEN]
    return QuarantinedRecord.objects.filter(id__in=ids).update(
        status=QuarantinedRecord.Status.DISCARDED
    )
