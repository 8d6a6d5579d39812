"""Reads for the monitoring context. Views, API and exports read through these methods."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Count, F, Func, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from saring.elections.querysets import stage_filter_q
from saring.monitoring.search import (
    fts5_any,
    fts5_query,
    matching_ids_sql,
    tsquery,
    tsquery_any,
)

if TYPE_CHECKING:
    from saring.accounts.scope import Scope


# How a selection may be ordered: the search page's sort choices and /api/v1/posts' `sort`.
POST_ORDERS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "viral": ("-virality", "-id"),
    "engagement": ("-shares", "-likes", "-id"),
}


# Who speaks for the election bodies: their watchlist hits and model scores are counter-messages
# ("Tolak politik uang!" names money politics to fight it). Kept as evidence, never counted as
# harms: every count, list and filter of harms reads through `PostFlagQuerySet.harms()` /
# `PostQuerySet.harm_readable()`, both this one rule (decision 0013).
COUNTER_SPEAKERS = ("official",)


def counter_message_q(prefix: str = "") -> Q:
    """Posts (or, with prefix "post__", their flags/scores) by an official account."""
    return Q(**{f"{prefix}speaker__in": COUNTER_SPEAKERS})


@dataclass(frozen=True, slots=True)
class PostSelection:
    """What the search page, its exports, the dashboard and /api/v1/posts select: one
    definition, so a page and an API call with the same filters return the same posts.

    `province`/`regency` None: national. `category` "": flagged or not; "any": any flag the
    scope sees; else that category's code. `start`/`end` are whole days in the current time
    zone, both included. `q` is full-text (see `matching`)."""

    q: str = ""
    province: str | None = None
    regency: str | None = None
    platform: str = ""
    language: str = ""
    election: bool = False
    category: str = ""
    start: date | None = None
    end: date | None = None
    sort: str = "newest"
    stage: str = ""  # an elections stage filter key (saring.elections.querysets), "" any
    speaker: str = ""  # "", or one of SPEAKER_FILTERS: who speaks (saring.registry)


# Who speaks, as the search form and /api/v1/posts filter it: a registered account's posts, or
# the posts the registry flags (a campaign account in the quiet period, an impostor).
SPEAKER_FILTERS: dict[str, Q] = {
    "official": Q(speaker="official"),
    "campaign": Q(speaker="campaign"),
    "quiet_period": Q(account_flag="quiet_period"),
    "impostor": Q(account_flag="impostor"),
    "flagged": ~Q(account_flag=""),
}

# A post is about the election from this relevance on (saring.text.relevance: one strong term
# such as "pemilu" or "tps" alone scores 0.9, a party name 0.5, "partai" alone 0.3).
ELECTION_RELEVANCE = 0.5


def _day_start(day: date | None, plus_days: int = 0) -> datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=plus_days), time.min))


def _fixed_utc_offset_minutes() -> int | None:
    """The current time zone's UTC offset in minutes when it never changes (Indonesia's WIB,
    WITA and WIT have no daylight saving), else None."""
    zone = timezone.get_current_timezone()
    offsets = {
        zone.utcoffset(datetime(year, month, 1)) for year in (2019, 2024) for month in (1, 7)
    }
    if len(offsets) != 1 or None in offsets:
        return None
    return int(next(iter(offsets)).total_seconds() // 60)


def _local_day(field: str):
    """The local calendar day of a datetime column. On SQLite, Django's TruncDate calls a
    Python function per row (0.5 s for the demo's 50,000 posts); with a fixed UTC offset the
    built-in date(column, '+420 minutes') gives the same day in C."""
    if connection.vendor == "sqlite":
        offset = _fixed_utc_offset_minutes()
        if offset is not None:
            return Func(
                F(field),
                Value(f"{offset:+d} minutes"),
                function="date",
                output_field=models.CharField(),
            )
    return TruncDate(field)


class PostQuerySet(models.QuerySet):
    def selected(self, selection: PostSelection, scope: Scope):
        """The posts of `selection`, ordered by its sort (public posts; flags filtered by what
        `scope` may see)."""
        qs = self.in_region(selection.province, selection.regency)
        if selection.platform:
            qs = qs.filter(platform=selection.platform)
        if selection.language:
            qs = qs.filter(language=selection.language)
        if selection.election:
            qs = qs.filter(election_relevance__gte=ELECTION_RELEVANCE)
        if selection.stage:
            qs = qs.filter(stage_filter_q(selection.stage))
        if selection.speaker:
            qs = qs.filter(SPEAKER_FILTERS[selection.speaker])
        if selection.category:
            code = None if selection.category == "any" else selection.category
            qs = qs.flagged(scope, code)
        qs = qs.between(_day_start(selection.start), _day_start(selection.end, plus_days=1))
        qs = qs.matching(selection.q)
        return qs.order_by(*POST_ORDERS.get(selection.sort, POST_ORDERS["newest"]))

    def in_region(self, province_code: str | None, regency_code: str | None = None):
        if regency_code:
            return self.filter(regency_id=regency_code)
        if province_code:
            return self.filter(province_id=province_code)
        return self

    def between(self, start: datetime | None, end: datetime | None):
        qs = self
        if start:
            qs = qs.filter(created_at__gte=start)
        if end:
            qs = qs.filter(created_at__lt=end)
        return qs

    def volume_by_day(self) -> dict:
        """Chart.js-ready series: one line per platform, posts per day (local time)."""
        rows = (
            self.order_by()
            .annotate(day=_local_day("created_at"))
            .values("day", "platform")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        days: list[str] = []
        series: dict[str, dict[str, int]] = {}
        for row in rows:
            day = row["day"] if isinstance(row["day"], str) else row["day"].isoformat()
            if not days or days[-1] != day:
                days.append(day)
            series.setdefault(row["platform"], {})[day] = row["n"]
        return {
            "labels": days,
            "datasets": [
                {"label": platform, "data": [counts.get(d, 0) for d in days]}
                for platform, counts in sorted(series.items())
            ],
        }

    def harm_readable(self):
        """The posts whose flags and scores may be read as harms (not official accounts')."""
        return self.exclude(counter_message_q())

    def flagged(self, scope: Scope, category_code: str | None = None):
        """Posts with a harm flag the scope may see (optionally of one category); an official
        account's flags are counter-messages, not harms."""
        from saring.monitoring.models import PostFlag

        flags = PostFlag.objects.visible_to(scope).harms()
        if category_code:
            flags = flags.filter(category__code=category_code)
        return self.filter(id__in=flags.values("post_id"))

    def matching(self, query: str):
        """Full-text search (normalised text, author, mentions); one interface, two engines."""
        if not query.strip():
            return self
        sqlite = connection.vendor == "sqlite"
        return self._full_text(fts5_query(query) if sqlite else tsquery(query))

    def matching_any(self, words: list[str], limit: int = 1000):
        """The `limit` posts most relevant to any of the (already normalised) words: BM25 rank
        on SQLite FTS5, ts_rank on PostgreSQL. Used to shortlist candidates, not for display."""
        sqlite = connection.vendor == "sqlite"
        return self._full_text(fts5_any(words) if sqlite else tsquery_any(words), limit=limit)

    def _full_text(self, engine_query: str, limit: int | None = None):
        if not engine_query:
            return self.none()
        ranked = limit is not None
        params = [engine_query]
        if ranked:
            params += ([] if connection.vendor == "sqlite" else [engine_query]) + [limit]
        # The SQL is built from constants (the PostgreSQL document expression equals the GIN
        # index's, migration 0002); the user's words only ever travel as parameters.
        sql = matching_ids_sql(connection.vendor, ranked)
        return self.filter(id__in=RawSQL(sql, params))  # noqa: S611


class WatchlistQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q())


class PostFlagQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q("watchlist__"))

    def harms(self):
        """The flags read as harms: not those on an official account's post."""
        return self.exclude(counter_message_q("post__"))

    def counter_messages(self):
        """The flags on an official account's post: evidence of what it counters."""
        return self.filter(counter_message_q("post__"))


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q())


class QuarantineQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q("run__"))

    def open(self):
        return self.filter(status="open")
