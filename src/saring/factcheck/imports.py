"""Clarification files in: ClaimReview JSON-LD (and Fact Check API responses), CSV, and
TurnBackHoax-style articles.

Rules:
- Every file import is an `ImportRun` (it shows on the imports page beside post uploads) and
  always ends, done or failed with the reason, with one audit event (monitoring's
  `services.runs`, shared with post imports).
- The file is read by the formats of the one registry (`saring.sources`, kind
  "clarifications"), like a post export: UTF-16 and cp1252/latin-1 decode as written, NUL
  characters are dropped, a 10 MB cell passes, every item is split out on its own.
- A malformed item never stops the file and is never lost: it goes to the quarantine with its
  location, field and the raw item, where it can be fixed and retried (`saring quarantine`,
  or the quarantine page) like a bad post record. Running the same file again adds no second
  copy of its quarantined items.
- Importing again updates by external id, never duplicates; but only a record the importer
  may edit: an external id that belongs to another region's or organisation's clarification
  (or to one of a region above) is quarantined with that reason, never merged into it.
- Newly published clarifications are matched backwards against existing posts in the
  background.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, require
from saring.factcheck.models import Clarification
from saring.factcheck.services import ClarificationPermissionError, save_record
from saring.kernel.files import file_sha256
from saring.kernel.hooks import retry_handler
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services import runs
from saring.sources.claimreview import ClarificationRecord
from saring.sources.records import RawItem, RecordError, SourceError, parse_item
from saring.sources.registry import CLARIFICATION_FORMATS, CLARIFICATIONS, check_file, get_format

logger = logging.getLogger("saring.ingest")

FORMATS = tuple(CLARIFICATION_FORMATS)  # ("claimreview", "csv", "article")
RUN_FORMAT_PREFIX = "clarifications-"  # ImportRun.format of clarification files
# Above this many newly published clarifications, one pass over all posts is cheaper than a
# backwards search per clarification.
BACKWARD_ONE_BY_ONE = 50
EMBED_CHUNK = 250  # clarifications per embedding job (~25 s), shared among workers
HEARTBEAT_EVERY = 100  # items between progress updates of the run
FOREIGN_ID = "external id belongs to a record of another region/organisation"


@dataclass
class ClarificationImport:
    read: int = 0
    created: int = 0
    updated: int = 0
    rejected: int = 0  # items put in the quarantine by this run
    already_quarantined: int = 0  # bad items an earlier run of the same file quarantined
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    run_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "quarantined": self.rejected,
        }


def _refusal(record: ClarificationRecord, scope: Scope) -> RecordError | None:
    """Why `scope` may not write this record over an existing one (None: it may)."""
    existing = (
        Clarification.objects.filter(external_id=record.external_id[:500])
        .select_related("organisation")
        .first()
    )
    if existing is None:
        return None
    if not scope.edits_record(existing, role="analyst"):
        return RecordError(
            f"{FOREIGN_ID}: {record.external_id[:200]!r} is already used by a clarification "
            "you may not change; give this one its own id",
            "external_id",
            code="foreign_external_id",
        )
    if existing.status == Clarification.Status.PUBLISHED and not scope.can("admin"):
        return RecordError(
            "the clarification with this external id is published: only administrators change it",
            "external_id",
            code="published_record",
        )
    return None


def save_records(
    records: list[ClarificationRecord], scope: Scope, *, publish: bool
) -> list[tuple[Clarification, bool]]:
    """Write the records of one item (all or none); RecordError when one may not be written."""
    saved = []
    with transaction.atomic():
        for record in records:
            refused = _refusal(record, scope)
            if refused is not None:
                raise refused
            try:
                saved.append(save_record(record, scope=scope, publish=publish))
            except ClarificationPermissionError as error:
                raise RecordError(str(error), "external_id", code="not_allowed") from None
    return saved


def _read(fmt, item: RawItem) -> tuple[list[ClarificationRecord], RecordError | None]:
    return parse_item(fmt, item)


def import_clarifications(
    path: Path | str,
    fmt: str,
    *,
    scope: Scope | None = None,
    user=None,
    publish: bool = False,
    display_name: str | None = None,
) -> ClarificationImport:
    """Import one file; SourceError when the file as a whole is unusable (the run is then
    failed with the reason; nothing of the file is written). Commands act as the system."""
    path = Path(path)
    name = display_name or path.name
    scope = scope or SYSTEM
    require(scope, scope.can("analyst"), _("Writing clarifications needs the analyst role."))
    require(
        scope, not publish or scope.can("admin"), _("Only administrators publish clarifications.")
    )
    try:
        source = get_format(fmt, CLARIFICATIONS)
        check_file(path)
        items = source.iter_items(path)
        first = next(items, None)  # a file unusable as a whole says so before a run exists
    except ValueError as error:  # an unknown format name
        raise SourceError(name, str(error)) from error
    except SourceError as error:  # name the file as the user knows it
        raise SourceError(name, error.message) from error
    run = ImportRun.objects.create(
        format=RUN_FORMAT_PREFIX + fmt,
        file_name=name[:255],
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        organisation_id=scope.organisation_id,
        province_id=scope.province_code,
        regency_id=scope.regency_code,
        bytes_total=path.stat().st_size,
    )
    runs.start(run, run.bytes_total, file_sha256(path))
    summary = ClarificationImport(run_id=run.id)
    published: list[int] = []
    try:
        for item in chain([first] if first is not None else [], items):
            _import_item(source, item, run, scope, publish, name, summary, published)
            if summary.read % HEARTBEAT_EVERY == 0:
                _report(run, summary, item.offset)
    except SourceError as error:
        runs.finish(run, ImportRun.Status.FAILED, error=error.message, counts=summary.counts)
        raise SourceError(name, error.message) from error
    except Exception as error:
        logger.exception("clarification import run %s of %s stopped", run.id, path)
        message = f"reading stopped after {summary.read:,} items ({type(error).__name__}: {error})"
        runs.finish(run, ImportRun.Status.FAILED, error=message[:2000], counts=summary.counts)
        raise SourceError(name, message) from error
    except BaseException:
        runs.finish(run, ImportRun.Status.FAILED, error=runs.INTERRUPTED, counts=summary.counts)
        raise
    if summary.already_quarantined:
        summary.warnings.append(
            f"{name}: {summary.already_quarantined:,} bad item(s) were already in the quarantine "
            "from an earlier import of this file; they were not added again"
        )
    runs.finish(
        run, ImportRun.Status.DONE, error="\n".join(summary.warnings), counts=summary.counts
    )
    queue_backward_matching(published)
    return summary


def _import_item(
    source,
    item: RawItem,
    run: ImportRun,
    scope: Scope,
    publish: bool,
    name: str,
    summary: ClarificationImport,
    published: list[int],
) -> None:
    summary.read += 1
    records, error = _read(source, item)
    if error is None:
        for record in records:
            summary.warnings.extend(f"{name}, {item.location}: {w}" for w in record.warnings)
        try:
            saved = save_records(records, scope, publish=publish)
        except RecordError as refused:
            error = refused
        except DatabaseError as failed:
            error = RecordError(
                f"the database refused this item ({(str(failed).strip() or 'error')[:300]})",
                "",
                code="database_refused",
                detail=type(failed).__name__,
            )
        else:
            for clarification, created in saved:
                summary.created += created
                summary.updated += not created
                if publish:
                    published.append(clarification.id)
            return
    where = f"{name}, {item.location}" + (f", field {error.field}" if error.field else "")
    summary.errors.append(f"{where}: {error.message}")
    record = QuarantinedRecord.for_error(run, item, error, run.sha256)
    if QuarantinedRecord.objects.filter(identity=record.identity).exists():
        summary.already_quarantined += 1
        return
    QuarantinedRecord.objects.bulk_create([record], ignore_conflicts=True)
    summary.rejected += 1


def _report(run: ImportRun, summary: ClarificationImport, offset: int) -> None:
    ImportRun.objects.filter(id=run.id).update(
        **summary.counts, bytes_done=offset, heartbeat_at=timezone.now()
    )


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


def run_owner(run: ImportRun) -> Scope:
    """Who a retry of the run's items writes as: its uploader's region and organisation, as
    an analyst (the person retrying was checked by the quarantine service)."""
    return Scope(
        province_code=run.province_id,
        regency_code=run.regency_id,
        role="analyst",
        organisation_id=run.organisation_id,
        organisation_kind=run.organisation.kind if run.organisation_id else None,
        user_id=run.uploaded_by_id,
    )


def retry_quarantined(run: ImportRun, payload: str) -> tuple[int, int]:
    """Quarantine retry of one clarification item: (read, created); RecordError if still bad."""
    source = get_format(run.format.removeprefix(RUN_FORMAT_PREFIX), CLARIFICATIONS)
    records = source.parse(payload)
    saved = save_records(records, run_owner(run), publish=False)
    return len(records), sum(int(created) for _, created in saved)


def register_retry_handlers() -> None:
    for fmt in FORMATS:
        retry_handler(RUN_FORMAT_PREFIX + fmt, retry_quarantined)
