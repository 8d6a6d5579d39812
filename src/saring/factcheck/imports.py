"""Clarification files in: ClaimReview JSON-LD, CSV, TurnBackHoax-style articles.

Rules:
- Every file import is an `ImportRun` (it shows on the imports page beside post uploads).
- A malformed item never stops the file and is never lost: it goes to the quarantine with its
  location, field and the raw item, where it can be fixed and retried (`saring quarantine`,
  or the quarantine page) like a bad post record.
- Importing again updates by external id, never duplicates. Newly published clarifications are
  matched backwards against existing posts in the background.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.factcheck.services import save_record
from saring.kernel.hooks import retry_handler
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.sources import claimreview
from saring.sources.claimreview import ClarificationRecord
from saring.sources.records import RecordError, SourceError
from saring.sources.registry import check_file

FORMATS = ("claimreview", "csv", "article")
RUN_FORMAT_PREFIX = "clarifications-"  # ImportRun.format of clarification files
# Above this many newly published clarifications, one pass over all posts is cheaper than a
# backwards search per clarification.
BACKWARD_ONE_BY_ONE = 50
EMBED_CHUNK = 250  # clarifications per embedding job (~25 s), shared among workers


@dataclass
class ClarificationImport:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0
    errors: list[str] = field(default_factory=list)
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Item:
    location: str
    payload: str  # the raw item, re-parseable on its own (what the quarantine keeps)
    parsed: ClarificationRecord | RecordError
    line: int | None = None  # the file's line, for CSV rows


def _parse_item_payload(fmt: str, payload: str) -> ClarificationRecord:
    """One quarantined item, as stored or as fixed by a user."""
    if fmt == "claimreview":
        item = claimreview.load_json(payload)
        if not isinstance(item, dict):
            raise RecordError("a ClaimReview item must be a JSON object")
        return claimreview.parse_claimreview(item)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(payload)))
        if len(rows) != 1:
            raise RecordError(f"expected a header line and one row, found {len(rows)} rows")
        return claimreview.parse_csv_row(rows[0])
    return claimreview.parse_article(payload)


def _csv_payload(header: list[str], row: dict[str, str | None]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([row.get(name) or "" for name in header])
    return out.getvalue()


def _items(path: Path, fmt: str) -> list[_Item]:
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    out: list[_Item] = []
    if fmt == "claimreview":
        try:
            found = list(claimreview.read_claimreview(text))
        except RecordError as error:
            raise SourceError(str(path), error.message) from error
        for location, item in found:
            payload = json.dumps(item, ensure_ascii=False)
            try:
                out.append(_Item(location or "item", payload, claimreview.parse_claimreview(item)))
            except RecordError as error:
                out.append(_Item(location or "item", payload, error))
    elif fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames:
            raise SourceError(str(path), "the CSV has no header row")
        header = list(reader.fieldnames)
        for row in reader:
            line = reader.line_num  # the file's line, as an editor shows it
            payload = _csv_payload(header, row)
            try:
                parsed: ClarificationRecord | RecordError = claimreview.parse_csv_row(row)
            except RecordError as error:
                parsed = error
            out.append(_Item(f"line {line}", payload, parsed, line))
    elif fmt == "article":
        try:
            out.append(_Item("article", text, claimreview.parse_article(text)))
        except RecordError as error:
            out.append(_Item("article", text, error))
    else:
        raise SourceError(str(path), f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return out


def import_clarifications(
    path: Path | str,
    fmt: str,
    *,
    scope: Scope | None = None,
    user=None,
    publish: bool = False,
    display_name: str | None = None,
) -> ClarificationImport:
    """Import one file; SourceError when the file as a whole is unusable (nothing written)."""
    path = Path(path)
    name = display_name or path.name
    try:
        check_file(path)
        items = _items(path, fmt)
    except SourceError as error:  # name the file as the user knows it
        raise SourceError(name, error.message) from error
    scope = scope or Scope()
    run = ImportRun.objects.create(
        format=RUN_FORMAT_PREFIX + fmt,
        file_name=name[:255],
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        organisation_id=scope.organisation_id,
        province_id=scope.province_code,
        regency_id=scope.regency_code,
        status=ImportRun.Status.RUNNING,
        started_at=timezone.now(),
        bytes_total=path.stat().st_size,
    )
    summary = ClarificationImport(run_id=run.id)
    published: list[int] = []
    for item in items:
        summary.read += 1
        if isinstance(item.parsed, RecordError):
            error = item.parsed
            summary.rejected += 1
            where = f"{name}, {item.location}" + (f", field {error.field}" if error.field else "")
            summary.errors.append(f"{where}: {error.message}")
            QuarantinedRecord.for_error(run, item, error).save()
            continue
        clarification, created = save_record(item.parsed, scope=scope, user=user, publish=publish)
        summary.created += created
        summary.updated += not created
        if publish:
            published.append(clarification.id)
    ImportRun.objects.filter(id=run.id).update(
        status=ImportRun.Status.DONE,
        finished_at=timezone.now(),
        read=summary.read,
        created=summary.created,
        updated=summary.updated,
        quarantined=summary.rejected,
        bytes_done=run.bytes_total,
    )
    queue_backward_matching(published)
    return summary


def queue_backward_matching(clarification_ids: list[int]) -> None:
    """Match existing posts against newly published clarifications, in the background."""
    if not clarification_ids:
        return
    from saring.factcheck.tasks import (
        embed_clarifications_task,
        match_all_posts_task,
        match_clarification_task,
    )

    def enqueue() -> None:
        for start in range(0, len(clarification_ids), EMBED_CHUNK):
            embed_clarifications_task.enqueue(clarification_ids[start : start + EMBED_CHUNK])
        if len(clarification_ids) > BACKWARD_ONE_BY_ONE:
            match_all_posts_task.enqueue()
        else:
            for cid in clarification_ids:
                match_clarification_task.enqueue(cid)

    transaction.on_commit(enqueue)


def retry_quarantined(run: ImportRun, payload: str) -> tuple[int, int]:
    """Quarantine retry of one clarification item: (read, created); RecordError if still bad."""
    fmt = run.format.removeprefix(RUN_FORMAT_PREFIX)
    record = _parse_item_payload(fmt, payload)
    owner = Scope(
        province_code=run.province_id,
        regency_code=run.regency_id,
        organisation_id=run.organisation_id,
    )
    _, created = save_record(record, scope=owner, user=run.uploaded_by)
    return 1, int(created)


def register_retry_handlers() -> None:
    for fmt in FORMATS:
        retry_handler(RUN_FORMAT_PREFIX + fmt, retry_quarantined)
