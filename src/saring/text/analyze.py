"""The analysis of every post: one ``Analyzer`` built at start-up, ``analyse`` per post.

``Analyzer.analyse(text, hashtags, author_location, region_code) -> Analysis`` runs, in order:
normalisation (hashtags the source gave separately are appended when the text lacks them),
language, election relevance, watchlists, and the region. Region priority: a ``region_code``
given by the source (validated against the gazetteer; a regency code implies its province; a
district or village code is cut to its regency) > a place named in the post > the author's
profile location. Everything is deterministic and needs no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saring.text.language import identify_words
from saring.text.normalize import Normalizer
from saring.text.places import Gazetteer, default_gazetteer
from saring.text.relevance import RelevanceScorer, relevance_vocabulary
from saring.text.watchlist import WatchlistHit, WatchlistMatcher, WatchlistSpec, term_vocabulary

__all__ = ["Analysis", "Analyzer"]


@dataclass(frozen=True, slots=True)
class Analysis:
    normalized: str
    tokens: tuple[str, ...]
    language: str
    language_score: float
    election_relevance: float
    election_terms: tuple[str, ...]
    hits: tuple[WatchlistHit, ...]
    province_code: str  # "" if unknown
    regency_code: str  # "" if unknown
    region_source: str  # "source" | "text" | "profile" | ""
    region_evidence: str


class Analyzer:
    """Build once (about half a second with the full gazetteer), then call ``analyse`` per post.

    ``gazetteer=None`` uses the shared gazetteer from ``lokal``.
    """

    def __init__(
        self, watchlists: Sequence[WatchlistSpec] = (), gazetteer: Gazetteer | None = None
    ) -> None:
        self.watchlists = tuple(watchlists)
        vocabulary = term_vocabulary(self.watchlists) | relevance_vocabulary()
        self.normalizer = Normalizer(extra_vocabulary=vocabulary)
        self.relevance = RelevanceScorer(normalizer=self.normalizer)
        self.matcher = WatchlistMatcher(self.watchlists, self.normalizer)
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()

    def analyse(
        self,
        text: str,
        hashtags: Sequence[str] = (),
        author_location: str = "",
        region_code: str = "",
    ) -> Analysis:
        full_text = _with_hashtags(text, hashtags)
        normalized = self.normalizer.normalize(full_text)
        tokens = normalized.tokens
        language, language_score = identify_words(normalized.raw)
        relevance = self.relevance.score(tokens)
        hits = self.matcher.match(tokens) if self.watchlists else ()
        province, regency, source, evidence = self._region(
            full_text, tokens, author_location, region_code
        )
        return Analysis(
            normalized=normalized.text,
            tokens=tokens,
            language=language,
            language_score=language_score,
            election_relevance=relevance.score,
            election_terms=relevance.terms,
            hits=hits,
            province_code=province,
            regency_code=regency,
            region_source=source,
            region_evidence=evidence,
        )

    # English spelling alias, for callers who write it that way.
    analyze = analyse

    def watchlist_hits(self, text: str, hashtags: Sequence[str] = ()) -> tuple[WatchlistHit, ...]:
        """Only the watchlist stage (re-scoring after an edit needs nothing else)."""
        if not self.watchlists:
            return ()
        return self.matcher.match(self.normalizer.normalize(_with_hashtags(text, hashtags)).tokens)

    def _region(
        self, text: str, tokens: tuple[str, ...], author_location: str, region_code: str
    ) -> tuple[str, str, str, str]:
        if region_code:
            valid = self.gazetteer.validate_code(region_code)
            if valid is not None:
                return valid[0], valid[1], "source", region_code.strip()
        place = self.gazetteer.locate(text, tokens)
        if place is None and author_location:
            place = self.gazetteer.locate_profile(author_location)
        if place is None:
            return "", "", "", ""
        return place.province_code, place.regency_code, place.source, place.evidence


def _with_hashtags(text: str, hashtags: Sequence[str]) -> str:
    if not hashtags:
        return text
    lowered = text.lower()
    missing = [
        tag.lstrip("#") for tag in hashtags if tag and f"#{tag.lstrip('#').lower()}" not in lowered
    ]
    return f"{text} {' '.join('#' + tag for tag in missing)}" if missing else text
