"""Aggregate reads for the dashboard, over any selection of posts (a PostFilterForm queryset)."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Min, Q, QuerySet

from saring.accounts.scope import Scope
from saring.monitoring.models import Post, PostFlag, PostHashtag, QuarantinedRecord
from saring.monitoring.querysets import ELECTION_RELEVANCE
from saring.regions.models import Province, Regency
from saring.text.stopwords import STOPWORDS

TERM_SAMPLE = 5000
ELECTION_Q = Q(election_relevance__gte=ELECTION_RELEVANCE)


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
        election=Count("id", filter=Q(election_relevance__gte=ELECTION_RELEVANCE)),
        first=Min("created_at"),
        last=Max("created_at"),
    )
    flagged = (
        PostFlag.objects.visible_to(scope)
        .harms()
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
    Hashtag tokens ("#viral") are left out: the normaliser already wrote the hashtag's words
    ("viral") before it, so counting both listed one word twice, and the hashtags have their
    own panel.
    """
    texts = posts.order_by("-created_at").values_list("normalized_text", flat=True)[:TERM_SAMPLE]
    counts: Counter[str] = Counter()
    read = 0
    for text in texts:
        read += 1
        counts.update(
            {
                w
                for w in text.split()
                if len(w) > 2 and w[0] not in "#<" and w not in STOPWORDS and not w.isdigit()
            }
        )
    return counts.most_common(limit), read


def flags_by_category(posts: QuerySet[Post], scope: Scope, language: str) -> list[dict]:
    rows = (
        PostFlag.objects.visible_to(scope)
        .harms()
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
    flagged_ids = PostFlag.objects.visible_to(scope).harms().values("post_id")
    level = "regency" if province else "province"
    column = f"{level}_id"
    # Three small reads beat one grouped join: the names come from the region table (38 or a
    # few dozen rows) and the flagged posts are counted among the flagged only.
    counts = (
        posts.order_by()
        .values(column)
        .annotate(n=Count("id"), election=Count("id", filter=ELECTION_Q))
        .order_by("-n")
    )
    flagged = dict(
        posts.filter(id__in=flagged_ids)
        .order_by()
        .values(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )
    regions = Regency.objects.filter(province_id=province) if province else Province.objects.all()
    names = dict(regions.values_list("code", "name"))
    return [
        {
            "code": r[column],
            "name": names.get(r[column]),
            "n": r["n"],
            "flagged": flagged.get(r[column], 0),
            "election": r["election"],
            "level": level,
        }
        for r in counts
    ]


def open_quarantine(scope: Scope) -> int:
    return QuarantinedRecord.objects.visible_to(scope).open().count()


# The dashboard's aggregates of one selection are kept this long, keyed by the selection, the
# reader's visibility and a data version (the newest post and flag ids), so a new import or a
# re-scoring shows at once while officers reopening the same screen cost a cache read: each
# aggregate scans every post of the selection (about 0.3 s together for 50,000 posts).
FIGURES_SECONDS = 120


def _totals_of(regions: list[dict], volume: dict) -> Totals:
    """The totals from the region rows (every post is in exactly one row, "unknown" included)
    and the volume's first and last local day: two scans of the selection fewer."""
    days = volume["labels"]
    return Totals(
        posts=sum(r["n"] for r in regions),
        election=sum(r["election"] for r in regions),
        flagged=sum(r["flagged"] for r in regions),
        first=date.fromisoformat(days[0]) if days else None,
        last=date.fromisoformat(days[-1]) if days else None,
    )


def data_version() -> tuple:
    """Changes whenever posts or flags are added or re-made (two primary-key lookups, no
    COUNT: a watchlist switched off, whose flags only go, shows within FIGURES_SECONDS). The
    newest post's import time as well as its id: ids of a rolled-back import are reused."""
    last_post = Post.objects.order_by("-id").values_list("id", "ingested_at").first()
    last_flag = PostFlag.objects.order_by("-id").values_list("id", "post_id").first()
    return last_post, last_flag


def dashboard_figures(
    posts: QuerySet[Post],
    scope: Scope,
    language: str,
    province: str | None,
    selection_key: str | None,
) -> dict:
    """Totals, volume, hashtags, terms, categories and regions of the selection; cached when
    `selection_key` (what selects the posts) is given, computed afresh when it is None."""
    from django.core.cache import cache

    def compute() -> dict:
        terms, terms_read = top_terms(posts)
        regions = by_region(posts, scope, province)
        volume = volume_by_day(posts)
        return {
            "totals": _totals_of(regions, volume),
            "volume": volume,
            "hashtags": top_hashtags(posts),
            "terms": terms,
            "terms_read": terms_read,
            "categories": flags_by_category(posts, scope, language),
            "regions": regions,
        }

    if selection_key is None:
        return compute()
    visibility = (scope.province_code, scope.regency_code, scope.organisation_id)
    raw = repr((selection_key, visibility, scope.organisation_kind, language, data_version()))
    key = "saring:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()
    figures = cache.get(key)
    if figures is None:
        figures = compute()
        cache.set(key, figures, FIGURES_SECONDS)
    return figures
