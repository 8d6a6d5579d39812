"""ClaimMatcher: find the clarification (fact-check) a post repeats.

Pipeline per post:

1. Three signals against every clarification: BM25 over normalised, stemmed tokens
   (``lexical``), character n-gram cosine (``chargrams``) and dense e5 cosine (``embeddings``).
   Each is one sparse or dense product, so scoring all 10,000 clarifications is cheap; the post's
   embedding is the expensive step.
2. Candidates: the union of each signal's top ``candidates``. A paraphrase with no shared word
   still reaches the candidate set through the dense signal, a misspelling through char-grams.
3. Rescoring: per-candidate features (scores, ranks, gaps to the runner-up, term coverage) go
   through the learned ``Fusion``; ``Thresholds`` turn the fused score into "auto", "suggest"
   or "none".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from saring.text.matching.chargrams import MAX_QUERY_CHARS, CharGramIndex, prepare
from saring.text.matching.embeddings import Embedder, NullEmbedder
from saring.text.matching.fusion import ALL_FEATURES, Fusion, default_rule
from saring.text.matching.lexical import LexicalIndex, analyze
from saring.text.matching.thresholds import Thresholds

__all__ = ["ClaimMatcher", "Match"]

ClaimId = Hashable


@dataclass(frozen=True, slots=True)
class Match:
    clarification_id: ClaimId
    score: float
    decision: str  # "auto" | "suggest" | "none"
    evidence: tuple[str, ...]  # stemmed terms the post and the clarification share


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    if scores.size <= n:
        return np.arange(scores.size)
    return np.argpartition(-scores, n)[:n]


def _rank_features(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocal rank (1 / (1 + rank)) and gap to the best *other* value, per entry."""
    order = np.argsort(-values, kind="stable")
    ranks = np.empty(values.size, dtype=np.float64)
    ranks[order] = np.arange(values.size)
    best, second = values[order[0]], values[order[1]] if values.size > 1 else values[order[0]]
    others = np.where(np.arange(values.size) == order[0], second, best)
    return 1.0 / (1.0 + ranks), values - others


class ClaimMatcher:
    """Match posts against a growing set of clarifications (``id``, ``text``)."""

    def __init__(
        self,
        clarifications: Sequence[tuple[ClaimId, str]] = (),
        embedder: Embedder | None = None,
        fusion: Fusion | None = None,
        thresholds: Thresholds | None = None,
        candidates: int = 20,
    ) -> None:
        self.embedder: Embedder = embedder if embedder is not None else NullEmbedder()
        dense = self.embedder.dim > 0
        if fusion is None or thresholds is None:
            rule = default_rule(dense)
            fusion = fusion or rule.fusion
            thresholds = thresholds or rule.thresholds
        self.fusion, self.thresholds, self.candidates = fusion, thresholds, candidates
        self._ids: list[ClaimId] = []
        self._lexical = LexicalIndex()
        self._chars = CharGramIndex()
        self._vectors = np.zeros((0, self.embedder.dim), dtype=np.float32)
        self._token_sets: list[frozenset[str]] = []
        self._df: Counter[str] = Counter()
        self.add(clarifications)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[ClaimId]:
        return list(self._ids)

    def add(self, clarifications: Sequence[tuple[ClaimId, str]]) -> None:
        """Add clarifications (a new fact-check is searchable at once)."""
        items = list(clarifications)
        if not items:
            return
        known = set(self._ids)
        for claim_id, _ in items:
            if claim_id in known:
                raise ValueError(f"clarification {claim_id!r} is already indexed")
            known.add(claim_id)
        texts = [text for _, text in items]
        self._ids.extend(claim_id for claim_id, _ in items)
        self._lexical.add(texts)
        new_sets = [frozenset(self._lexical.tokens(i)) for i in range(-len(texts), 0)]
        self._token_sets.extend(new_sets)
        for token_set in new_sets:
            self._df.update(token_set)
        self._chars.add(texts)
        if self.embedder.dim:
            self._vectors = np.vstack([self._vectors, self.embedder.encode_passages(texts)])

    def remove(self, claim_id: ClaimId) -> None:
        """Remove a clarification (withdrawn or merged fact-check)."""
        index = self._ids.index(claim_id)
        self._df.subtract(self._token_sets[index])
        del self._ids[index], self._token_sets[index]
        self._lexical.remove(index)
        self._chars.remove(index)
        if self.embedder.dim:
            self._vectors = np.delete(self._vectors, index, axis=0)

    # -- scoring -------------------------------------------------------------------------------

    def candidate_table(
        self, text: str, query_vector: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Candidate positions, their feature table (``ALL_FEATURES`` columns) and the post's
        terms. Used by ``match`` and to fit the fusion on labelled posts."""
        n = len(self._ids)
        if n == 0:
            return np.zeros(0, dtype=np.intp), np.zeros((0, len(ALL_FEATURES))), []
        text = text[:MAX_QUERY_CHARS]
        terms = analyze(text)
        bm25 = self._lexical.scores(terms)
        chars = self._chars.scores(prepare(text))
        if self.embedder.dim:
            if query_vector is None:
                query_vector = self.embedder.encode_queries([text])[0]
            dense = self._vectors @ query_vector
        else:
            dense = np.zeros(n, dtype=np.float32)
        pools = [_top(bm25, self.candidates), _top(chars, self.candidates)]
        if self.embedder.dim:
            pools.append(_top(dense, self.candidates))
        cand = np.unique(np.concatenate(pools))
        table = np.zeros((cand.size, len(ALL_FEATURES)), dtype=np.float64)
        b, c, d = bm25[cand].astype(np.float64), chars[cand], dense[cand]
        best_bm25 = float(bm25.max())
        b_norm = b / best_bm25 if best_bm25 > 0 else np.zeros_like(b)
        b_rr, b_gap = _rank_features(b_norm)
        c_rr, c_gap = _rank_features(c.astype(np.float64))
        d_rr, d_gap = _rank_features(d.astype(np.float64))
        term_set = set(terms)
        coverage = [
            len(self._token_sets[i] & term_set) / len(self._token_sets[i])
            if self._token_sets[i]
            else 0.0
            for i in cand
        ]
        coverage_idf = [self._idf_share(self._token_sets[i], term_set) for i in cand]
        query_len = math.log1p(len(terms))
        columns = (b_norm, np.log1p(b), b_rr, b_gap, c, c_rr, c_gap, d, d_rr, d_gap, coverage)
        columns = (*columns, coverage_idf, query_len)
        for j, column in enumerate(columns):
            table[:, j] = column
        if not self.embedder.dim:
            table[:, 7:10] = 0.0
        return cand, table, terms

    def _idf_share(self, clarification: frozenset[str], terms: set[str]) -> float:
        """IDF-weighted share of a clarification's terms that the post contains: a headline
        quoted inside a long post scores near 1 even when BM25 is diluted by the post's length."""
        if not clarification:
            return 0.0
        n = len(self._ids)
        weights = {t: math.log(1.0 + n / max(self._df[t], 1)) for t in clarification}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0

    def _matches(self, text: str, k: int, query_vector: np.ndarray | None) -> list[Match]:
        cand, table, terms = self.candidate_table(text, query_vector)
        if cand.size == 0:
            return []
        scores = self.fusion.score(table)
        order = np.argsort(-scores, kind="stable")[:k]
        term_set = set(terms)
        return [
            Match(
                clarification_id=self._ids[cand[i]],
                score=float(scores[i]),
                decision=self.thresholds.decide(float(scores[i])),
                evidence=tuple(sorted(self._token_sets[cand[i]] & term_set)),
            )
            for i in order
        ]

    def match(self, text: str, k: int = 10) -> list[Match]:
        """The ``k`` best clarifications for one post, best first."""
        return self._matches(text, k, None)

    def match_many(self, texts: Sequence[str], k: int = 10, batch: int = 64) -> list[list[Match]]:
        """``match`` for many posts, embedding them in batches (faster per post)."""
        results: list[list[Match]] = []
        for start in range(0, len(texts), batch):
            chunk = [t[:MAX_QUERY_CHARS] for t in texts[start : start + batch]]
            vectors = (
                self.embedder.encode_queries(chunk) if self.embedder.dim else [None] * len(chunk)
            )
            results.extend(self._matches(t, k, v) for t, v in zip(chunk, vectors, strict=True))
        return results

    def gold_score(self, matches: Sequence[Match], claim_id: ClaimId) -> float:
        """Score of ``claim_id`` in ``matches`` (-inf when it is not there): for tuning."""
        return next((m.score for m in matches if m.clarification_id == claim_id), -math.inf)
