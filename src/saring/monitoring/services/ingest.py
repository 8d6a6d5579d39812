"""Ingestion: a file of any supported format becomes Posts, observations, hashtags and flags.

Rules:
- One Post per (platform, platform_id). Seeing it again (in the same file or a later import)
  adds an engagement observation at its `observed_at` instead of a duplicate; the same
  observation twice changes nothing, so re-running an import is idempotent.
- A record without its own observation time is taken as observed when the export was captured,
  as the uploader states it (`captured_at`: upload form, `saring ingest --captured-at`), else
  when the file was last modified: re-importing the same file cannot invent growth, and an old
  export imported today keeps the virality it had when captured (not ~0 for its age today).
- A malformed item never aborts the file: it is quarantined with its location, field and reason
  and can be fixed and retried (services.quarantine). Whatever the reader raises on one item
  (a bug, a recursion error) quarantines that item; a record the database refuses is retried
  alone and quarantined, its batch written without it. A file that cannot be read as the
  format at all raises SourceError before anything is written.
- A run always ends, done or failed with the reason (services.runs), with one audit event.
- Re-running the same file (same bytes, wherever it is stored) adds nothing: its records get
  the observation time of the first run, and a bad item already in the quarantine from an
  earlier run of that file (same place, same raw text) is not added again.
- Work is committed in batches so memory stays flat and progress can be shown; the text
  analysis runs before a batch's transaction opens, so the database write lock is held only
  for the inserts themselves (the web process keeps answering during a big import).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from saring.kernel.files import file_sha256
from saring.kernel.hooks import AFTER_IMPORT
from saring.monitoring.models import (
    EngagementObservation,
    ImportRun,
    Post,
    PostFlag,
    PostHashtag,
    QuarantinedRecord,
)
from saring.monitoring.search import index_new_posts
from saring.monitoring.services import runs
from saring.monitoring.services.analysis import AnalysisContext, build_context
from saring.monitoring.services.rows import RowWriter
from saring.monitoring.services.speakers import SpeakerReader
from saring.monitoring.services.stages import stage_finder
from saring.sources import http_url, mentions_in_text, tags_in_text
from saring.sources.records import PostRecord, RawItem, RecordError, SourceError, parse_item
from saring.sources.registry import check_file, detect_format, get_format
from saring.text.virality import Observation, virality

logger = logging.getLogger("saring.ingest")

POST_COLUMNS = (
    "platform",
    "platform_id",
    "url",
    "author_handle",
    "author_name",
    "author_location",
    "text",
    "hashtags",
    "mentions",
    "created_at",
    "media_type",
    "in_reply_to",
    "source_region_code",
    "extra",
    "views",
    "likes",
    "shares",
    "comments",
    "observed_at",
    "virality",
    "virality_per_hour",
    "virality_basis",
    "normalized_text",
    "language",
    "language_score",
    "election_relevance",
    "election_terms",
    "province",
    "regency",
    "region_source",
    "region_evidence",
    "stage",
    "first_run",
    "ingested_at",
    "speaker",
    "known_account",
    "account_flag",
)
OBSERVATION_COLUMNS = ("post", "observed_at", "views", "likes", "shares", "comments", "run")
GROWTH_COLUMNS = (
    "views",
    "likes",
    "shares",
    "comments",
    "observed_at",
    "virality",
    "virality_per_hour",
    "virality_basis",
)


BATCH_SIZE = 1000
MAX_COUNT = 2**63 - 1  # a BIGINT column

ProgressCallback = Callable[[int, int, "IngestSummary"], None]


@dataclass
class IngestSummary:
    file: str = ""
    format: str = ""
    run_id: int | None = None
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    already_quarantined: int = 0  # bad items this file had the last time: not added again
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    def add(self, other: IngestSummary) -> None:
        """Add the counts of a batch that committed."""
        for name in ("read", "created", "updated", "unchanged", "quarantined"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.already_quarantined += other.already_quarantined

    @property
    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in runs.COUNTS}


@dataclass(slots=True)
class _Prepared:
    """A batch grouped by post, with the analysis of the posts that are new."""

    pending: dict[tuple[str, str], _Pending]
    fresh_keys: list[tuple[str, str]]
    analyses: dict = field(default_factory=dict)
    existing: dict[tuple[str, str], int] = field(default_factory=dict)  # stored before


@dataclass(slots=True)
class _Pending:
    """What one batch knows about one post key while it is being written."""

    record: PostRecord
    observations: dict[datetime, PostRecord] = field(default_factory=dict)
    sightings: int = 0  # records with this key in the batch (duplicates included)


def _clean(value: str, limit: int) -> str:
    # PostgreSQL rejects NUL characters; column limits are hard on PostgreSQL.
    return value.replace("\x00", "")[:limit]


def _unique_lower(values: Iterable[str], strip: str) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip().lstrip(strip).lower()[:100]
        if value:
            seen.setdefault(value, None)
    return list(seen)


def _hashtags(record: PostRecord) -> list[str]:
    """The source's hashtags and those written in the text, lower-case, once each."""
    return _unique_lower([*record.hashtags, *tags_in_text(record.text)], "#")


def _mentions(record: PostRecord) -> list[str]:
    return _unique_lower([*record.mentions, *mentions_in_text(record.text)], "@")


def _when(observation: Observation) -> datetime:
    return observation.observed_at


def _observation(when: datetime, rec: PostRecord) -> Observation:
    return Observation(when, rec.views, rec.likes, rec.shares, rec.comments)


class BatchWriter:
    """Writes parsed records in batches; shared by file imports and quarantine retries."""

    def __init__(
        self,
        run: ImportRun | None,
        observed_default: datetime,
        context: AnalysisContext | None = None,
    ) -> None:
        self.run = run
        self.observed_default = observed_default
        self.context = context or build_context()
        self.max_text = settings.MAX_TEXT_CHARS
        # Who speaks (the known-accounts registry), read once per import.
        self.speakers = SpeakerReader.load()
        # Two workers importing overlapping files may insert the same post at once: the loser's
        # row is skipped and its sighting becomes an observation of the winner's post.
        self.post_insert = RowWriter(Post, POST_COLUMNS, ignore_conflicts=True)
        self.growth_update = RowWriter(Post, GROWTH_COLUMNS, update=True)
        self.observation_insert = RowWriter(
            EngagementObservation, OBSERVATION_COLUMNS, ignore_conflicts=True
        )
        self.hashtag_insert = RowWriter(PostHashtag, ("post", "tag"), ignore_conflicts=True)
        self.flag_insert = RowWriter(
            PostFlag, ("post", "watchlist", "category", "evidence"), ignore_conflicts=True
        )

    def check(self, record: PostRecord) -> None:
        """Record-level limits the database imposes; raise RecordError to quarantine."""
        if not record.platform_id.strip():
            raise RecordError("the platform id is empty", "platform_id")
        if "\x00" in record.platform_id:
            raise RecordError("the platform id contains a NUL character", "platform_id")
        for name in ("views", "likes", "shares", "comments"):
            value = getattr(record, name)
            if value is not None and value > MAX_COUNT:
                raise RecordError(f"the count {value} is too large to be real", name)
        if len(record.platform_id) > 100:
            raise RecordError(
                f"the platform id has {len(record.platform_id)} characters; the limit is 100",
                "platform_id",
            )
        if len(record.text) > self.max_text:
            raise RecordError(
                f"the text has {len(record.text):,} characters; the limit is "
                f"{self.max_text:,} (SARING_MAX_TEXT_CHARS)",
                "text",
            )

    def write(self, records: list[PostRecord], summary: IngestSummary) -> None:
        self.write_prepared(self.prepare(records), summary)

    def prepare(self, records: list[PostRecord]) -> _Prepared:
        """Group the batch by post and analyse the posts not stored yet: no write, so it runs
        before the batch's transaction opens."""
        pending: dict[tuple[str, str], _Pending] = {}
        fresh_keys: list[tuple[str, str]] = []  # keys whose first sighting in this batch
        for rec in records:
            key = (rec.platform, rec.platform_id)
            when = rec.observed_at or self.observed_default
            when = max(when, rec.created_at)  # counts cannot be observed before the post existed
            item = pending.get(key)
            if item is None:
                item = pending[key] = _Pending(rec)
                fresh_keys.append(key)
            item.observations[when] = rec
            item.sightings += 1
        prepared = _Prepared(pending, fresh_keys)
        if pending:
            prepared.existing = self._existing(pending)
            self._analyse(prepared, [k for k in fresh_keys if k not in prepared.existing])
        return prepared

    def _analyse(self, prepared: _Prepared, keys: list[tuple[str, str]]) -> None:
        analyzer = self.context.analyzer
        for key in keys:
            if key not in prepared.analyses:
                rec = prepared.pending[key].record
                prepared.analyses[key] = analyzer.analyse(
                    rec.text, rec.hashtags, rec.author_location, rec.region_code
                )

    def write_prepared(self, prepared: _Prepared, summary: IngestSummary) -> None:
        pending = prepared.pending
        if not pending:
            return
        with transaction.atomic():
            existing = dict(prepared.existing)
            new_posts = [k for k in prepared.fresh_keys if k not in existing]
            # Another worker may have stored some of these posts since `prepare`: those are
            # seen again here, not created.
            existing.update(self._create_posts(new_posts, pending, summary, prepared.analyses))
            known_obs = self._known_observations(existing.values())
            self._add_observations(pending, existing, known_obs, summary)

    # -- steps -------------------------------------------------------------------------------

    def _existing(self, pending: dict[tuple[str, str], _Pending]) -> dict[tuple[str, str], int]:
        by_platform: dict[str, list[str]] = {}
        for platform, pid in pending:
            by_platform.setdefault(platform, []).append(pid)
        found: dict[tuple[str, str], int] = {}
        for platform, ids in by_platform.items():
            rows = Post.objects.filter(platform=platform, platform_id__in=ids).values_list(
                "platform_id", "id"
            )
            found.update({(platform, pid): post_id for pid, post_id in rows})
        return found

    def _known_observations(self, post_ids: Iterable[int]) -> dict[int, list[Observation]]:
        known: dict[int, list[Observation]] = {}
        rows = EngagementObservation.objects.filter(post_id__in=list(post_ids)).values_list(
            "post_id", "observed_at", "views", "likes", "shares", "comments"
        )
        for post_id, when, views, likes, shares, comments in rows:
            known.setdefault(post_id, []).append(Observation(when, views, likes, shares, comments))
        return known

    def _create_posts(
        self,
        keys: list[tuple[str, str]],
        pending: dict[tuple[str, str], _Pending],
        summary: IngestSummary,
        analyses: dict,
    ) -> dict[tuple[str, str], int]:
        """Insert the new posts; returns those another writer inserted first (key -> id)."""
        if not keys:
            return {}
        now = timezone.now()
        stage_of = stage_finder()  # the calendar, checked once a batch
        rows: list[tuple] = []
        for key in keys:
            item = pending[key]
            rec = item.record
            obs = sorted((_observation(w, r) for w, r in item.observations.items()), key=_when)
            latest = obs[-1]
            vir = virality(obs, rec.created_at)
            analysis = analyses[key]
            rows.append(
                (
                    _clean(rec.platform, 30),
                    rec.platform_id,
                    _clean(http_url(rec.url), 2000),  # whatever a format built: http(s) only
                    _clean(rec.author_handle, 200),
                    _clean(rec.author_name, 300),
                    _clean(rec.author_location, 300),
                    _clean(rec.text, self.max_text),
                    [_clean(t, 100) for t in rec.hashtags],
                    [_clean(m, 100) for m in _mentions(rec)],
                    rec.created_at,
                    _clean(rec.media_type, 20),
                    _clean(rec.in_reply_to, 100),
                    _clean(rec.region_code, 13),
                    {k: _clean(str(v), 500) for k, v in rec.extra.items()},
                    latest.views,
                    latest.likes,
                    latest.shares,
                    latest.comments,
                    latest.observed_at,
                    vir.score,
                    vir.per_hour,
                    vir.basis[:200],
                    _clean(analysis.normalized, self.max_text * 2),
                    analysis.language,
                    analysis.language_score,
                    analysis.election_relevance,
                    list(analysis.election_terms),
                    analysis.province_code or None,
                    analysis.regency_code or None,
                    analysis.region_source,
                    _clean(analysis.region_evidence, 200),
                    stage_of(
                        analysis.province_code or None,
                        analysis.regency_code or None,
                        rec.created_at,
                    ),
                    self.run.id if self.run else None,
                    now,
                    *self.speakers.read(
                        rec.platform, rec.author_handle, rec.author_name, rec.created_at
                    ),
                )
            )
        inserted = self.post_insert.write(rows)
        ids = self._existing({key: pending[key] for key in keys})
        raced: dict[tuple[str, str], int] = {}
        if inserted < len(rows) and self.run is not None:
            mine = set(
                Post.objects.filter(id__in=ids.values(), first_run=self.run).values_list(
                    "id", flat=True
                )
            )
            raced = {key: ids[key] for key in keys if ids[key] not in mine}
            keys = [key for key in keys if key not in raced]
        index_new_posts([ids[key] for key in keys])
        observations: list[tuple] = []
        hashtags: list[tuple] = []
        flags: list[PostFlag] = []
        for key in keys:
            item, post_id = pending[key], ids[key]
            # The first sighting creates; later ones add growth or repeat what is known.
            summary.created += 1
            summary.updated += len(item.observations) - 1
            summary.unchanged += item.sightings - len(item.observations)
            for when, rec in item.observations.items():
                observations.append(self._observation_row(post_id, when, rec))
            hashtags.extend((post_id, tag) for tag in _hashtags(item.record))
            flags.extend(self.context.flags_for(post_id, analyses[key].hits))
        self.observation_insert.write(observations)
        self.hashtag_insert.write(hashtags)
        self.flag_insert.write(
            (f.post_id, f.watchlist_id, f.category_id, f.evidence) for f in flags
        )
        return raced

    def _add_observations(
        self,
        pending: dict[tuple[str, str], _Pending],
        existing: dict[tuple[str, str], int],
        known: dict[int, list[Observation]],
        summary: IngestSummary,
    ) -> None:
        if not existing:
            return
        new_rows: list[tuple] = []
        touched: set[int] = set()
        for key, post_id in existing.items():
            item = pending[key]
            have = {o.observed_at for o in known.get(post_id, [])}
            added = 0
            for when, rec in item.observations.items():
                if when in have:
                    continue
                new_rows.append(self._observation_row(post_id, when, rec))
                known.setdefault(post_id, []).append(_observation(when, rec))
                added += 1
                touched.add(post_id)
            summary.updated += min(added, item.sightings)
            summary.unchanged += item.sightings - min(added, item.sightings)
        if not new_rows:
            return
        self.observation_insert.write(new_rows)
        created = dict(Post.objects.filter(id__in=touched).values_list("id", "created_at"))
        updates = []
        for post_id in touched:
            obs = sorted(known[post_id], key=_when)
            latest = obs[-1]
            vir = virality(obs, created[post_id])
            updates.append(
                (
                    latest.views,
                    latest.likes,
                    latest.shares,
                    latest.comments,
                    latest.observed_at,
                    vir.score,
                    vir.per_hour,
                    vir.basis[:200],
                    post_id,
                )
            )
        self.growth_update.write(updates)

    def _observation_row(self, post_id: int, when: datetime, rec: PostRecord) -> tuple:
        return (
            post_id,
            when,
            rec.views,
            rec.likes,
            rec.shares,
            rec.comments,
            self.run.id if self.run else None,
        )


def file_observed_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)


def _batches(items: Iterator[RawItem], size: int) -> Iterator[list[RawItem]]:
    batch: list[RawItem] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def open_source(path: Path, format_name: str):
    """Validate the path and the format before a run is started: SourceError says why not."""
    fmt = get_format(format_name)
    check_file(path)
    return fmt


def _as_uploaded(message: str, path: Path, run: ImportRun) -> str:
    """An upload's reason names the file as its uploader knows it, not where it is stored."""
    if run.uploaded_by_id and run.file_name:
        return message.replace(str(path), run.file_name)
    return message


def observed_default(
    run: ImportRun, sha256: str, path: Path, captured_at: datetime | None = None
) -> datetime:
    """When a record without its own observation time was seen: what an earlier run of the same
    bytes used (so an upload of the same file again, stored anew, cannot invent growth), else
    the capture time the uploader stated, else the file's modification time (for an upload that
    is the upload time, which makes an old export look dead: the form asks for the capture)."""
    earlier = (
        ImportRun.objects.filter(sha256=sha256, format=run.format, observed_default__isnull=False)
        .exclude(id=run.id)
        .order_by("id")
        .values_list("observed_default", flat=True)
        .first()
    )
    return earlier or captured_at or file_observed_at(path)


def _capture_warning(name: str, stated: datetime | None, used: datetime) -> list[str]:
    """A stated capture time that an earlier run of the same bytes overrides is said, not lost."""
    if stated is None or stated == used:
        return []
    return [
        f"{name}: this file was imported before with the capture time {used.isoformat()}; "
        f"that time was kept (not {stated.isoformat()}) so the re-import adds nothing"
    ]


def ingest_file(
    path: Path | str,
    format_name: str,
    *,
    run: ImportRun | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
    captured_at: datetime | None = None,
) -> IngestSummary:
    """Import one file; returns the counts. Raises SourceError when the file is unusable, or
    when reading it stopped (the run is then failed with the reason, what was read is kept).
    `captured_at`: when the export was taken, for records that do not say (an upload states it
    in the run's `observed_default` before the run starts)."""
    path = Path(path)
    if captured_at is None and run is not None and run.status == ImportRun.Status.QUEUED:
        captured_at = run.observed_default
    started = time.perf_counter()
    try:
        fmt = open_source(path, format_name)
    except SourceError as error:  # a queued upload's run ends here, with the reason
        if run is not None:
            reason = _as_uploaded(str(error), path, run)
            runs.finish(run, ImportRun.Status.FAILED, error=reason, from_state=run.status)
        raise
    total = path.stat().st_size
    if run is None:  # command-line imports are recorded too, so their quarantine is visible
        run = ImportRun.objects.create(
            format=format_name, file_name=path.name[:255], stored_path=str(path.resolve())[:500]
        )
    summary = IngestSummary(file=str(path), format=format_name, run_id=run.id)
    runs.start(run, total)
    try:
        sha256 = file_sha256(path)
        observed = observed_default(run, sha256, path, captured_at)
        summary.warnings.extend(_capture_warning(run.file_name, captured_at, observed))
        ImportRun.objects.filter(id=run.id).update(sha256=sha256, observed_default=observed)
        writer = BatchWriter(run, observed)
        _ingest_items(
            fmt, path, format_name, run, writer, summary, total, batch_size, progress, sha256
        )
    except SourceError as error:
        reason = _as_uploaded(str(error), path, run)
        runs.finish(run, ImportRun.Status.FAILED, error=reason, counts=summary.counts)
        raise
    except Exception as error:  # whatever the reader or the database raised: the run ends
        logger.exception("import run %s of %s stopped", run.id, path)
        message = (
            f"reading stopped after {summary.read:,} records ({type(error).__name__}: {error})"
        )
        reason = _as_uploaded(f"{path}: {message}", path, run)
        runs.finish(run, ImportRun.Status.FAILED, error=reason[:2000], counts=summary.counts)
        raise SourceError(str(path), message) from error
    except BaseException:  # Ctrl+C, the worker told to stop: no one will come back to it
        runs.finish(run, ImportRun.Status.FAILED, error=runs.INTERRUPTED, counts=summary.counts)
        raise
    summary.seconds = round(time.perf_counter() - started, 3)
    _report(run, summary, total, total, progress)
    runs.finish(
        run, ImportRun.Status.DONE, error="\n".join(summary.warnings), counts=summary.counts
    )
    for hook in AFTER_IMPORT:
        hook(run)
    logger.info(
        "ingested %s as %s: %s",
        path.name,
        format_name,
        {k: v for k, v in summary.as_dict().items() if k != "warnings"},
    )
    return summary


class _Dropped:
    """Values a reader dropped (an address that is not http(s)), counted per field."""

    def __init__(self) -> None:
        self.fields: dict[str, list] = {}  # field -> [count, first location]

    def add(self, records: list[PostRecord], location: str) -> None:
        for rec in records:
            for warning in rec.warnings:
                name = warning.split(":", 1)[0]
                entry = self.fields.setdefault(name, [0, location])
                entry[0] += 1

    def warnings(self, name: str) -> list[str]:
        return [
            f"{name}: {count:,} record(s) had a {field} that is not an http(s) address; it was "
            f"left empty and the record kept (first: {where})"
            for field, (count, where) in self.fields.items()
        ]


def _parse(fmt, writer: BatchWriter, item: RawItem) -> tuple[list[PostRecord], RecordError | None]:
    """The records of one item, or why it goes to quarantine."""
    return parse_item(fmt, item, writer.check)


def _ingest_items(
    fmt,
    path: Path,
    format_name: str,
    run: ImportRun,
    writer: BatchWriter,
    summary: IngestSummary,
    total: int,
    batch_size: int,
    progress: ProgressCallback | None,
    sha256: str,
) -> None:
    parsed_any = False
    failures_at_start: list[str] = []
    dropped = _Dropped()
    for batch in _batches(fmt.iter_items(path), batch_size):
        good: list[tuple[RawItem, list[PostRecord]]] = []
        bad: list[QuarantinedRecord] = []
        for item in batch:
            parsed, error = _parse(fmt, writer, item)
            if error is not None:
                bad.append(QuarantinedRecord.for_error(run, item, error, sha256))
                if not parsed_any and len(failures_at_start) < 20:
                    failures_at_start.append(f"{item.location}: {error}")
                continue
            parsed_any = parsed_any or bool(parsed)
            dropped.add(parsed, item.location)
            good.append((item, parsed))
        if not parsed_any and len(failures_at_start) >= 20:
            _raise_wrong_format(path, format_name, failures_at_start)
        _write_batch(run, writer, good, bad, summary, sha256)
        _report(run, summary, batch[-1].offset, total, progress)
    if not parsed_any and failures_at_start and summary.read == summary.quarantined:
        hint = detect_format(path)
        if hint and hint != format_name:
            summary.warnings.append(
                f"{path.name}: no record could be read as {format_name}; it looks like {hint}"
            )
    summary.warnings.extend(dropped.warnings(path.name))
    if summary.already_quarantined:
        summary.warnings.append(
            f"{path.name}: {summary.already_quarantined:,} bad record(s) were already in the "
            "quarantine from an earlier import of this file; they were not added again"
        )


def _write_batch(
    run: ImportRun,
    writer: BatchWriter,
    good: list[tuple[RawItem, list[PostRecord]]],
    bad: list[QuarantinedRecord],
    summary: IngestSummary,
    sha256: str,
) -> None:
    """One commit for the batch (posts, quarantine, progress); when the database refuses it,
    each item alone, so that only the item it refuses is quarantined."""
    records = [rec for _, recs in good for rec in recs]
    prepared = writer.prepare(records)
    batch = IngestSummary(read=len(records) + len(bad))
    try:
        with transaction.atomic():
            writer.write_prepared(prepared, batch)
            _store_quarantine(bad, batch)
    except (DatabaseError, OverflowError):  # a value the database cannot hold
        logger.warning(
            "run %s: a batch was refused; writing it item by item", run.id, exc_info=True
        )
        batch = IngestSummary(read=len(records) + len(bad))
        for item, recs in good:
            one = IngestSummary()
            try:
                with transaction.atomic():
                    writer.write(recs, one)
            except (DatabaseError, OverflowError) as error:
                refused = RecordError(
                    f"the database refused this record ({_first_line(error)})",
                    "",
                    code="database_refused",
                    detail=type(error).__name__,
                )
                batch.read += 1 - len(recs)
                bad.append(QuarantinedRecord.for_error(run, item, refused, sha256))
                continue
            batch.add(one)
        with transaction.atomic():
            _store_quarantine(bad, batch)
    summary.add(batch)


def _first_line(error: BaseException) -> str:
    return (str(error).strip() or type(error).__name__).splitlines()[0][:300]


def _store_quarantine(records: list[QuarantinedRecord], summary: IngestSummary) -> None:
    """Insert the bad items not already quarantined from an earlier run of the same file."""
    if not records:
        return
    identities = [r.identity for r in records if r.identity]
    known = set(
        QuarantinedRecord.objects.filter(identity__in=identities).values_list("identity", flat=True)
        if identities
        else ()
    )
    fresh: list[QuarantinedRecord] = []
    for record in records:
        if record.identity and record.identity in known:
            summary.already_quarantined += 1
            continue
        known.add(record.identity)
        fresh.append(record)
    QuarantinedRecord.objects.bulk_create(fresh, ignore_conflicts=True)
    summary.quarantined += len(fresh)


def _raise_wrong_format(path: Path, format_name: str, failures: list[str]) -> None:
    hint = detect_format(path)
    suggestion = f" It looks like --format {hint}." if hint and hint != format_name else ""
    raise SourceError(
        str(path),
        f"the first {len(failures)} records could not be read as {format_name} "
        f"(first: {failures[0]}).{suggestion} Nothing was imported.",
    )


def _report(
    run: ImportRun, summary: IngestSummary, done: int, total: int, progress: ProgressCallback | None
) -> None:
    ImportRun.objects.filter(id=run.id).update(
        read=summary.read,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        quarantined=summary.quarantined,
        bytes_done=done,
        bytes_total=total,
        heartbeat_at=timezone.now(),
    )
    if progress is not None:
        progress(done, total, summary)
