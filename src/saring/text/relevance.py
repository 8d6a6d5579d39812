"""Election relevance: a score 0..1 and the election terms a post contains.

Every term has a weight: how sure a single mention makes us that the post is about the election.
The score combines the distinct terms found as independent evidence,
``1 - Π(1 - weight)``, rounded to three decimals: "pemilu" alone gives 0.9, "partai" alone 0.3,
"partai" and "caleg" 0.93, "pemilu" and "tps" 0.99.

Terms are matched with the watchlist machinery, so inflections count ("mencoblos", "pencoblosan",
"berkampanye", "pemilih"), and so do hashtags (split into words by the normaliser). Names and
acronyms are exact apart from clitics ("=ganjar": "diganjar" means "rewarded").

Limits: a post about a foreign election ("pemilu AS") scores as high as one about Indonesia's;
"suara" and "pilih" are weak because they are everyday words; "dpt" counts only when the normaliser
kept it as the voter list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from saring.text.normalize import Normalizer
from saring.text.watchlist import WatchlistMatcher, WatchlistSpec

__all__ = ["ELECTION_TERMS", "Relevance", "RelevanceScorer", "relevance_vocabulary"]

# weight -> terms. "=" marks words matched exactly (with clitics only).
# fmt: off
ELECTION_TERMS: dict[float, tuple[str, ...]] = {
    0.9: (
        "pemilu", "pilpres", "pileg", "pilkada", "pilgub", "pilbup", "pilwalkot", "=kpu", "=kpud",
        "bawaslu", "panwaslu", "=dkpp", "=kpps", "=tps", "=dpt", "=dptb", "capres", "cawapres",
        "caleg", "paslon", "cagub", "cawagub", "cabup", "cawabup", "cawalkot", "golput",
        "surat suara", "kotak suara", "bilik suara", "quick count", "real count", "sirekap",
        "rekapitulasi suara", "masa tenang", "debat capres", "debat cawapres", "pemungutan suara",
        "penghitungan suara", "politik uang", "serangan fajar", "pemilihan umum",
        "pemilihan presiden", "pemilihan legislatif", "pemilihan kepala daerah", "pemilih pemula",
        "daftar pemilih", "hari pencoblosan", "coblos", "#pemilu2024", "#pemiludamai",
        "#salingjaga", "#kawalpemilu", "#jangangolput", "#pilpres2024", "#pilkada2024",
    ),
    0.7: (
        "kampanye", "=anies", "=muhaimin", "cak imin", "=prabowo", "=gibran", "=ganjar",
        "=mahfud", "mahfud md", "elektabilitas", "tim sukses", "=timses", "nomor urut",
        "kotak kosong", "rekapitulasi", "pemilih", "netralitas", "tim kampanye", "=tkn",
        "=tpn", "timnas amin", "tinta pemilu", "partai politik", "=parpol",
    ),
    0.5: (
        "=pdip", "pdi perjuangan", "=gerindra", "=golkar", "=nasdem", "=pkb", "=pks",
        "=perindo", "=hanura", "partai buruh", "partai gelora", "partai ummat", "partai garuda",
        "=petahana", "koalisi", "=dprd", "legislatif", "=relawan", "=ppk", "=pps", "=ppdp",
        "=komdigi", "=kominfo",
    ),
    0.3: (
        "partai", "calon", "presiden", "wakil presiden", "=dpr", "=dpd", "=demokrat", "=ppp",
        "=psi", "=jokowi", "debat", "survei", "demokrasi", "=pan", "pilih", "curang",
        "=gubernur", "=bupati", "wali kota", "=walikota", "=imin",
    ),
    0.15: ("=amin", "suara", "=01", "=02", "=03", "politik", "=pkn"),
}
# fmt: on


def relevance_vocabulary(terms: dict[float, tuple[str, ...]] | None = None) -> frozenset[str]:
    """Words of the election terms, for hashtag splitting. Hashtag terms ("#pemiludamai") are
    left out: as a known word the run-together tag would never be split into "pemilu damai"
    (they are matched as the hashtag token, which the normaliser keeps)."""
    table = terms if terms is not None else ELECTION_TERMS
    return frozenset(
        w.lstrip("=")
        for words in table.values()
        for term in words
        if not term.startswith("#")
        for w in term.split()
    )


@dataclass(frozen=True, slots=True)
class Relevance:
    score: float
    terms: tuple[str, ...]  # distinct election terms found, in order of first appearance


class RelevanceScorer:
    """Scores posts for election relevance. Build once (reuses the watchlist matcher)."""

    def __init__(
        self,
        terms: dict[float, tuple[str, ...]] | None = None,
        normalizer: Normalizer | None = None,
    ) -> None:
        table = terms if terms is not None else ELECTION_TERMS
        specs = [
            WatchlistSpec(k, "election", tuple(words)) for k, words in enumerate(table.values())
        ]
        self._weights = dict(enumerate(table))
        self._matcher = WatchlistMatcher(specs, normalizer)

    @property
    def vocabulary(self) -> frozenset[str]:
        return self._matcher.vocabulary

    def score(self, tokens: Sequence[str]) -> Relevance:
        hits = self._matcher.match(tokens)
        if not hits:
            return Relevance(0.0, ())
        # One word counts once, for its strongest term: "pemilih" is the term "pemilih" (0.7),
        # not also the pe- form of "pilih" (0.3).
        best: dict[str, tuple[float, str]] = {}
        for hit in hits:
            weight = self._weights[hit.watchlist_id]
            if weight > best.get(hit.surface, (0.0, ""))[0]:
                best[hit.surface] = (weight, hit.term)
        weights: dict[str, float] = {}
        for weight, term in best.values():
            if weight > weights.get(term, 0.0):
                weights[term] = weight
        remaining = 1.0
        for weight in weights.values():
            remaining *= 1.0 - weight
        return Relevance(round(1.0 - remaining, 3), tuple(weights))
