"""Which stage of the elections calendar each post was written in (`Post.stage`).

Set at import from the post's region and time (saring.elections.services.Calendar: the most
specific election of the region, local date), and recomputed by `restage` when an admin moves a
stage (the `CALENDAR_CHANGED` hook queues it) or by `saring posts restage`.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from django.db.models import Max, Min, Q, QuerySet

from saring.elections.models import Election, Stage
from saring.elections.services import Calendar, calendar
from saring.kernel.jobs import JobResult, Progress, for_each_chunk
from saring.monitoring.models import Post

logger = logging.getLogger("saring.stages")
RESTAGE_CHUNK = 5000

StageFinder = Callable[[str | None, str | None, datetime], int | None]


def stage_finder() -> StageFinder:
    """`(province, regency, created_at) -> stage id`, from the current calendar: take it once
    per batch (loading checks whether the calendar changed), call it per post."""
    return calendar().stage_for


def assign_stages(posts: Iterable[Post]) -> None:
    """Set `stage_id` on (unsaved) posts from their region and `created_at`."""
    find = stage_finder()
    for post in posts:
        post.stage_id = find(post.province_id, post.regency_id, post.created_at)


@dataclass
class RestageResult(JobResult):
    elections: list[str] | None = None  # None: every post was looked at
    posts: int = 0  # posts looked at
    changed: int = 0  # posts whose stage changed
    by_stage: dict[str, int] = field(default_factory=dict)  # changed posts by their new kind

    def __str__(self) -> str:
        scope = "every post" if self.elections is None else f"{len(self.elections):,} elections"
        return (
            f"posts restage ({scope}): {self.posts:,} posts looked at, {self.changed:,} changed "
            f"in {self.seconds:.1f} s"
        )


def _affected(election_ids: list[str]) -> QuerySet:
    """Posts whose stage may differ after these elections changed: those now in one of their
    stages, and those of their regions written within their calendar's (new) span."""
    elections = list(
        Election.objects.filter(pk__in=election_ids).values_list("pk", "province_id", "regency_id")
    )
    span = Stage.objects.filter(election_id__in=election_ids).aggregate(
        first=Min("starts_on"), last=Max("ends_on")
    )
    wanted = Q(stage__election_id__in=election_ids)
    if span["first"] is not None:
        # Local days run from UTC+7 to UTC+9: a day's margin on each side covers every zone.
        start = datetime.combine(span["first"] - timedelta(days=1), time(), tzinfo=UTC)
        end = datetime.combine(span["last"] + timedelta(days=2), time(), tzinfo=UTC)
        regions = Q(pk__in=[])
        for _pk, province, regency in elections:
            if regency:
                regions |= Q(regency_id=regency)
            elif province:
                regions |= Q(province_id=province)
            else:
                regions = Q()  # a national election: posts of every region
                break
        wanted |= Q(created_at__gte=start, created_at__lt=end) & regions
    return Post.objects.filter(wanted)


def restage(
    election_ids: list[str] | None = None,
    *,
    progress: Progress | None = None,
    chunk: int = RESTAGE_CHUNK,
) -> RestageResult:
    """Recompute `Post.stage` for the posts these elections may concern (None: every post),
    in id chunks; only posts whose stage changes are written. Election.DoesNotExist names the
    first unknown id."""
    result = RestageResult(elections=election_ids)
    if election_ids is not None:
        found = set(Election.objects.filter(pk__in=election_ids).values_list("pk", flat=True))
        missing = [pk for pk in election_ids if pk not in found]
        if missing:
            raise Election.DoesNotExist(f"there is no election {missing[0]}")
        posts = _affected(election_ids)
    else:
        posts = Post.objects.all()
    cal = Calendar.load()  # fresh: this process's cached calendar may predate the edit
    by_stage: dict[int | None, int] = defaultdict(int)

    def work(ids: list[int]) -> str:
        rows = Post.objects.filter(id__in=ids).values_list(
            "id", "province_id", "regency_id", "created_at", "stage_id"
        )
        moves: dict[int | None, list[int]] = defaultdict(list)
        for post_id, province, regency, created_at, current in rows:
            new = cal.stage_for(province, regency, created_at)
            if new != current:
                moves[new].append(post_id)
        changed = 0
        for stage_id, post_ids in moves.items():
            Post.objects.filter(id__in=post_ids).update(stage_id=stage_id)
            changed += len(post_ids)
            by_stage[stage_id] += len(post_ids)
        result.changed += changed
        return f": {changed:,} changed"

    result.posts = for_each_chunk(posts, chunk, work, progress)
    for stage_id, count in by_stage.items():
        kind = cal.kind_of(stage_id) or "none"
        result.by_stage[kind] = result.by_stage.get(kind, 0) + count
    logger.info("%s", result.stop())
    return result


def queue_restage(election_ids: list[str]) -> None:
    """The `CALENDAR_CHANGED` hook (called after the edit committed): restage in the background."""
    from saring.monitoring.tasks import restage_task

    restage_task.enqueue(list(election_ids))
