"""Aggregate reads for the dashboard, over any selection of posts (a PostFilterForm queryset)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q, QuerySet

from saring.accounts.scope import Scope
from saring.monitoring.models import Post, PostFlag, PostHashtag, QuarantinedRecord
from saring.text.stopwords import STOPWORDS

TERM_SAMPLE = 5000


@dataclass(frozen=True)
class Totals:
    posts: int
    election: int
    flagged: int
    first: object
    last: object


def _ids(posts: QuerySet[Post]) -> QuerySet:
    return posts.order_by().values("id")


def totals(posts: QuerySet[Post], scope: Scope) -> Totals:
    agg = posts.order_by().aggregate(
        posts=Count("id"),
        election=Count("id", filter=Q(election_relevance__gte=0.5)),
        first=Min("created_at"),
        last=Max("created_at"),
    )
    flagged = (
        PostFlag.objects.visible_to(scope)
        .filter(post__in=_ids(posts))
        .values("post_id")
        .distinct()
        .count()
    )
    return Totals(agg["posts"], agg["election"], flagged, agg["first"], agg["last"])


def volume_by_day(posts: QuerySet[Post]) -> dict:
    """Chart.js-ready series: one line per platform, posts per day (local time)."""
    return posts.volume_by_day()


def top_hashtags(posts: QuerySet[Post], limit: int = 15) -> list[tuple[str, int]]:
    rows = (
        PostHashtag.objects.filter(post__in=_ids(posts))
        .values("tag")
        .annotate(n=Count("id"))
        .order_by("-n", "tag")[:limit]
    )
    return [(r["tag"], r["n"]) for r in rows]


def top_terms(posts: QuerySet[Post], limit: int = 20) -> tuple[list[tuple[str, int]], int]:
    """Most frequent content words in the newest TERM_SAMPLE posts of the selection.

    A sample keeps the dashboard fast on millions of posts; the page says how many were read.
    """
    texts = posts.order_by("-created_at").values_list("normalized_text", flat=True)[:TERM_SAMPLE]
    counts: Counter[str] = Counter()
    read = 0
    for text in texts:
        read += 1
        counts.update(
            {w for w in text.split() if len(w) > 2 and w not in STOPWORDS and not w.isdigit()}
        )
    return counts.most_common(limit), read


def flags_by_category(posts: QuerySet[Post], scope: Scope, language: str) -> list[dict]:
    rows = (
        PostFlag.objects.visible_to(scope)
        .filter(post__in=_ids(posts))
        .values("category__code", "category__name_id", "category__name_en")
        .annotate(n=Count("post_id", distinct=True))
        .order_by("-n")
    )
    return [
        {
            "code": r["category__code"],
            "n": r["n"],
            "name": r["category__name_en"] if language == "en" else r["category__name_id"],
        }
        for r in rows
    ]


def fastest_growing(posts: QuerySet[Post], limit: int = 10) -> list[Post]:
    return list(posts.order_by("-virality", "-id").select_related("province")[:limit])


def by_region(posts: QuerySet[Post], scope: Scope, province: str | None) -> list[dict]:
    """Posts and flagged posts per province, or per regency/city inside one province."""
    flagged_ids = PostFlag.objects.visible_to(scope).values("post_id")
    level = "regency" if province else "province"
    rows = (
        posts.order_by()
        .values(f"{level}_id", f"{level}__name")
        .annotate(n=Count("id"), flagged=Count("id", filter=Q(id__in=flagged_ids)))
        .order_by("-n")
    )
    return [
        {
            "code": r[f"{level}_id"],
            "name": r[f"{level}__name"],
            "n": r["n"],
            "flagged": r["flagged"],
            "level": level,
        }
        for r in rows
    ]


def open_quarantine(scope: Scope) -> int:
    return QuarantinedRecord.objects.visible_to(scope).open().count()
