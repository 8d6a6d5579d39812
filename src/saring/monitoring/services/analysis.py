"""The bridge between the database and `saring.text`: builds an Analyzer from active watchlists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from saring.monitoring.models import PostFlag, Watchlist
from saring.text.analyze import Analyzer
from saring.text.places import Gazetteer
from saring.text.watchlist import WatchlistHit, WatchlistSpec


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Built once per process from the packaged region list (~0.1 s)."""
    return Gazetteer.from_lokal()


def watchlist_specs(watchlists: Iterable[Watchlist]) -> list[WatchlistSpec]:
    return [WatchlistSpec(w.id, w.category.code, tuple(w.term_list())) for w in watchlists]


@dataclass
class AnalysisContext:
    analyzer: Analyzer
    category_ids: dict[int, int]  # watchlist id -> harm category id

    def flags_for(self, post_id: int, hits: Iterable[WatchlistHit]) -> list[PostFlag]:
        evidence: dict[int, list[dict[str, str]]] = {}
        for hit in hits:
            evidence.setdefault(hit.watchlist_id, []).append(
                {"term": hit.term, "surface": hit.surface, "rule": hit.rule}
            )
        return [
            PostFlag(
                post_id=post_id,
                watchlist_id=wid,
                category_id=self.category_ids[wid],
                evidence=items,
            )
            for wid, items in evidence.items()
        ]


def build_context(watchlists: Iterable[Watchlist] | None = None) -> AnalysisContext:
    if watchlists is None:
        watchlists = Watchlist.objects.active().select_related("category")
    watchlists = list(watchlists)
    return AnalysisContext(
        analyzer=Analyzer(watchlist_specs(watchlists), gazetteer()),
        category_ids={w.id: w.category_id for w in watchlists},
    )
