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

Lexical gate: the dense query embedding costs far more than everything else (~2 ms per e5 token
on one core). With a ``gate`` (shipped with the hybrid rule), the lexical signals are scored
first with the lexical fusion; when its best score reaches the gate, the lexical ranking is
returned as it is and e5 is not run. Below the gate the post is embedded and scored by the
hybrid fusion. The thresholds of the hybrid rule are tuned on the output of this whole gated
pipeline, so one pair of thresholds serves both paths.
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
_Signals = tuple[list[str], np.ndarray, np.ndarray]  # a post's terms, BM25 and char-gram scores


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


def _standardised(values: np.ndarray) -> np.ndarray:
    """(value - mean) / std among this post's candidates (0 when they are all equal)."""
    std = float(values.std())
    return (values - values.mean()) / std if std > 0 else np.zeros_like(values)


class ClaimMatcher:
    """Match posts against a growing set of clarifications (``id``, ``text``)."""

    def __init__(
        self,
        clarifications: Sequence[tuple[ClaimId, str]] = (),
        embedder: Embedder | None = None,
        fusion: Fusion | None = None,
        thresholds: Thresholds | None = None,
        candidates: int = 20,
        gate: float | None = None,
        lexical_fusion: Fusion | None = None,
    ) -> None:
        self.embedder: Embedder = embedder if embedder is not None else NullEmbedder()
        dense = self.embedder.dim > 0
        if fusion is None or thresholds is None:
            rule = default_rule(dense)
            if fusion is None and gate is None and dense:
                # The shipped gate belongs with the shipped fusion.
                gate, lexical_fusion = rule.gate, lexical_fusion or rule.gate_fusion
            fusion = fusion or rule.fusion
            thresholds = thresholds or rule.thresholds
        self.fusion, self.thresholds, self.candidates = fusion, thresholds, candidates
        # Lexical gate (dense matchers only): skip e5 when the lexical rule scores >= gate.
        self.gate: float | None = gate if dense else None
        self.lexical_fusion: Fusion | None = None
        if self.gate is not None:
            self.lexical_fusion = lexical_fusion or default_rule(False).fusion
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

    def _lexical_signals(self, text: str) -> _Signals:
        """The post's terms, and its BM25 and char-gram scores against every clarification."""
        terms = analyze(text)
        return terms, self._lexical.scores(terms), self._chars.scores(prepare(text))

    def candidate_table(
        self, text: str, query_vector: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Candidate positions, their feature table (``ALL_FEATURES`` columns) and the post's
        terms, with every signal (no gate). Used by ``match`` and to fit the fusion."""
        if not self._ids:
            return np.zeros(0, dtype=np.intp), np.zeros((0, len(ALL_FEATURES))), []
        text = text[:MAX_QUERY_CHARS]
        terms, bm25, chars = self._lexical_signals(text)
        dense = None
        if self.embedder.dim:
            if query_vector is None:
                query_vector = self.embedder.encode_queries([text])[0]
            dense = self._vectors @ query_vector
        return (*self._table(bm25, chars, dense, terms), terms)

    def lexical_table(self, text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """``candidate_table`` without the dense signal (what the lexical gate scores)."""
        if not self._ids:
            return np.zeros(0, dtype=np.intp), np.zeros((0, len(ALL_FEATURES))), []
        terms, bm25, chars = self._lexical_signals(text[:MAX_QUERY_CHARS])
        return (*self._table(bm25, chars, None, terms), terms)

    def _table(
        self, bm25: np.ndarray, chars: np.ndarray, dense: np.ndarray | None, terms: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        pools = [_top(bm25, self.candidates), _top(chars, self.candidates)]
        if dense is not None:
            pools.append(_top(dense, self.candidates))
        cand = np.unique(np.concatenate(pools))
        table = np.zeros((cand.size, len(ALL_FEATURES)), dtype=np.float64)
        b, c = bm25[cand].astype(np.float64), chars[cand].astype(np.float64)
        best_bm25 = float(bm25.max())
        b_norm = b / best_bm25 if best_bm25 > 0 else np.zeros_like(b)
        b_rr, b_gap = _rank_features(b_norm)
        c_rr, c_gap = _rank_features(c)
        term_set = set(terms)
        coverage = [
            len(self._token_sets[i] & term_set) / len(self._token_sets[i])
            if self._token_sets[i]
            else 0.0
            for i in cand
        ]
        coverage_idf = [self._idf_share(self._token_sets[i], term_set) for i in cand]
        query_len = math.log1p(len(terms))
        columns = (b_norm, np.log1p(b), b_rr, b_gap, c, c_rr, c_gap)
        for j, column in enumerate(columns):
            table[:, j] = column
        if dense is not None:
            d = dense[cand].astype(np.float64)
            d_rr, d_gap = _rank_features(d)
            table[:, 7], table[:, 8], table[:, 9] = d, d_rr, d_gap
        table[:, 10], table[:, 11], table[:, 12] = coverage, coverage_idf, query_len
        table[:, 13], table[:, 14] = _standardised(b), _standardised(c)
        n = len(self._ids)
        idf = {t: math.log(1.0 + n / max(self._df[t], 1)) for t in term_set}
        post_total = sum(idf.values())
        for row, i in enumerate(cand):
            shared = self._token_sets[i] & term_set
            table[row, 15] = len(shared) / len(term_set) if term_set else 0.0
            table[row, 16] = sum(idf[t] for t in shared) / post_total if post_total else 0.0
            table[row, 17] = math.log1p(len(self._token_sets[i]))
        return cand, table

    def _idf_share(self, clarification: frozenset[str], terms: set[str]) -> float:
        """IDF-weighted share of a clarification's terms that the post contains: a headline
        quoted inside a long post scores near 1 even when BM25 is diluted by the post's length."""
        if not clarification:
            return 0.0
        n = len(self._ids)
        weights = {t: math.log(1.0 + n / max(self._df[t], 1)) for t in clarification}
        total = sum(weights.values())
        return sum(w for t, w in weights.items() if t in terms) / total if total else 0.0

    def _ranked(
        self, cand: np.ndarray, scores: np.ndarray, terms: list[str], k: int
    ) -> list[Match]:
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

    def _gated(self, text: str) -> tuple[_Signals, tuple[np.ndarray, np.ndarray, list[str]] | None]:
        """Lexical signals of ``text``, plus its lexical candidates and scores when the lexical
        rule clears the gate (``None`` otherwise, or without a gate)."""
        signals = self._lexical_signals(text)
        if self.gate is None or self.lexical_fusion is None:
            return signals, None
        terms, bm25, chars = signals
        cand, table = self._table(bm25, chars, None, terms)
        scores = self.lexical_fusion.score(table)
        if cand.size and float(scores.max()) >= self.gate:
            return signals, (cand, scores, terms)
        return signals, None

    def _matches(
        self,
        text: str,
        k: int,
        query_vector: np.ndarray | None,
        signals: _Signals | None = None,
    ) -> list[Match]:
        if not self._ids:
            return []
        text = text[:MAX_QUERY_CHARS]
        if signals is None:
            signals, gated = self._gated(text)
            if gated is not None:
                return self._ranked(*gated, k)
        terms, bm25, chars = signals
        dense = None
        if self.embedder.dim:
            if query_vector is None:
                query_vector = self.embedder.encode_queries([text])[0]
            dense = self._vectors @ query_vector
        cand, table = self._table(bm25, chars, dense, terms)
        return self._ranked(cand, self.fusion.score(table), terms, k)

    def match(self, text: str, k: int = 10) -> list[Match]:
        """The ``k`` best clarifications for one post, best first."""
        return self._matches(text, k, None)

    def match_many(self, texts: Sequence[str], k: int = 10, batch: int = 64) -> list[list[Match]]:
        """``match`` for many posts, embedding them in batches (faster per post)."""
        if not self._ids:
            return [[] for _ in texts]
        results: list[list[Match]] = []
        for start in range(0, len(texts), batch):
            chunk = [t[:MAX_QUERY_CHARS] for t in texts[start : start + batch]]
            lexical = [self._gated(t) for t in chunk]
            todo = [t for t, (_, gated) in zip(chunk, lexical, strict=True) if gated is None]
            vectors = iter(self.embedder.encode_queries(todo) if self.embedder.dim else [])
            for text, (signals, gated) in zip(chunk, lexical, strict=True):
                if gated is not None:
                    results.append(self._ranked(*gated, k))
                else:
                    results.append(self._matches(text, k, next(vectors, None), signals))
        return results

    def gold_score(self, matches: Sequence[Match], claim_id: ClaimId) -> float:
        """Score of ``claim_id`` in ``matches`` (-inf when it is not there): for tuning."""
        return next((m.score for m in matches if m.clarification_id == claim_id), -math.inf)
