"""Ingestion: a file of any supported format becomes Posts, observations, hashtags and flags.

Rules:
- One Post per (platform, platform_id). Seeing it again (in the same file or a later import)
  adds an engagement observation at its `observed_at` instead of a duplicate; the same
  observation twice changes nothing, so re-running an import is idempotent.
- A record without its own observation time is taken as observed when the file was last
  modified: re-importing the same file cannot invent growth.
- A malformed item never aborts the file: it is quarantined with its location, field and reason
  and can be fixed and retried (services.quarantine). A file that cannot be read as the format
  at all raises SourceError before anything is written.
- Work is committed in batches so memory stays flat and progress can be shown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

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
from saring.monitoring.services.analysis import AnalysisContext, build_context
from saring.monitoring.services.rows import RowWriter
from saring.sources import mentions_in_text, tags_in_text
from saring.sources.records import PostRecord, RawItem, RecordError, SourceError
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
    "first_run",
    "ingested_at",
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
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


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
        if not records:
            return
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
        with transaction.atomic():
            existing = self._existing(pending)
            known_obs = self._known_observations(existing.values())
            new_posts = [k for k in fresh_keys if k not in existing]
            self._create_posts(new_posts, pending, summary)
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
    ) -> None:
        if not keys:
            return
        analyzer = self.context.analyzer
        now = timezone.now()
        rows: list[tuple] = []
        analyses = {}
        for key in keys:
            item = pending[key]
            rec = item.record
            obs = sorted((_observation(w, r) for w, r in item.observations.items()), key=_when)
            latest = obs[-1]
            vir = virality(obs, rec.created_at)
            analysis = analyzer.analyse(
                rec.text, rec.hashtags, rec.author_location, rec.region_code
            )
            analyses[key] = analysis
            rows.append(
                (
                    _clean(rec.platform, 30),
                    rec.platform_id,
                    _clean(rec.url, 2000),
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
                    self.run.id if self.run else None,
                    now,
                )
            )
        self.post_insert.write(rows)
        ids = self._existing({key: pending[key] for key in keys})
        index_new_posts(list(ids.values()))
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


def ingest_file(
    path: Path | str,
    format_name: str,
    *,
    run: ImportRun | None = None,
    progress: ProgressCallback | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestSummary:
    """Import one file; returns the counts. Raises SourceError when the file is unusable."""
    path = Path(path)
    started = time.perf_counter()
    fmt = open_source(path, format_name)
    total = path.stat().st_size
    if run is None:  # command-line imports are recorded too, so their quarantine is visible
        run = ImportRun.objects.create(
            format=format_name, file_name=path.name[:255], stored_path=str(path.resolve())[:500]
        )
    summary = IngestSummary(file=str(path), format=format_name, run_id=run.id)
    writer = BatchWriter(run, file_observed_at(path))
    ImportRun.objects.filter(id=run.id).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), bytes_total=total
    )
    try:
        _ingest_items(fmt, path, format_name, run, writer, summary, total, batch_size, progress)
    except SourceError as error:
        ImportRun.objects.filter(id=run.id).update(
            status=ImportRun.Status.FAILED, finished_at=timezone.now(), error=str(error)
        )
        raise
    summary.seconds = round(time.perf_counter() - started, 3)
    _report(run, summary, total, total, progress)
    ImportRun.objects.filter(id=run.id).update(
        status=ImportRun.Status.DONE, finished_at=timezone.now(), error="\n".join(summary.warnings)
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
) -> None:
    parsed_any = False
    failures_at_start: list[str] = []
    for batch in _batches(fmt.iter_items(path), batch_size):
        records: list[PostRecord] = []
        quarantine: list[QuarantinedRecord] = []
        for item in batch:
            try:
                parsed = fmt.parse(item.payload)
                for rec in parsed:
                    writer.check(rec)
            except RecordError as error:
                quarantine.append(QuarantinedRecord.for_error(run, item, error))
                if not parsed_any and len(failures_at_start) < 20:
                    failures_at_start.append(f"{item.location}: {error}")
                continue
            parsed_any = parsed_any or bool(parsed)
            records.extend(parsed)
        if not parsed_any and len(failures_at_start) >= 20:
            _raise_wrong_format(path, format_name, failures_at_start)
        summary.read += len(records) + len(quarantine)
        summary.quarantined += len(quarantine)
        with transaction.atomic():  # one commit per batch: posts, quarantine and progress
            writer.write(records, summary)
            if quarantine:
                QuarantinedRecord.objects.bulk_create(quarantine)
            _report(run, summary, batch[-1].offset, total, progress)
    if not parsed_any and failures_at_start and summary.read == summary.quarantined:
        hint = detect_format(path)
        if hint and hint != format_name:
            summary.warnings.append(
                f"{path.name}: no record could be read as {format_name}; it looks like {hint}"
            )


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
    )
    if progress is not None:
        progress(done, total, summary)
