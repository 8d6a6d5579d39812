"""The learned fusion rule: logistic regression over a handful of per-candidate features.

Why learned: BM25 scores are unbounded and depend on the query length, cosines live on
different scales per model, and how much each signal should count is an empirical question.
A logistic regression over standardised features, fitted on labelled (post, correct
clarification, candidates) data, answers it and gives a probability-like score, which is what
the two thresholds need. A rule is a few dozen numbers: it ships as JSON inside the package
(``saring/text/data/match_fusion.json``) and can be refitted from reviewer decisions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from saring.text.matching.thresholds import Thresholds

__all__ = [
    "ALL_FEATURES",
    "DENSE_FEATURES",
    "Fusion",
    "FusionRule",
    "default_rule",
    "load_rules",
]

# Every feature the matcher computes per candidate (columns of its feature table, in this order).
ALL_FEATURES: tuple[str, ...] = (
    "bm25_norm",  # BM25 / best BM25 for this post
    "bm25_log",  # log(1 + BM25)
    "bm25_rr",  # 1 / (1 + rank by BM25 among candidates)
    "bm25_gap",  # bm25_norm minus the best other candidate's
    "char_cos",  # character 3-5-gram TF-IDF cosine
    "char_rr",
    "char_gap",
    "dense_cos",  # e5 cosine
    "dense_rr",
    "dense_gap",
    "coverage",  # share of the clarification's (stemmed) terms present in the post
    "coverage_idf",  # the same share, each term weighted by its IDF among clarifications
    "query_len",  # log(1 + number of post terms): calibrates scores of long and short posts
    "bm25_cz",  # BM25 standardised among this post's candidates: (score - mean) / std
    "char_cz",  # the same for the char-gram cosine
    "post_coverage",  # share of the post's distinct terms found in the clarification
    "post_coverage_idf",  # the same share, IDF-weighted
    "clar_len",  # log(1 + number of distinct clarification terms)
)
DENSE_FEATURES = frozenset({"dense_cos", "dense_rr", "dense_gap"})


@dataclass
class Fusion:
    """Standardise the chosen features, then a logistic function of their weighted sum."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    _columns: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._columns = np.array([ALL_FEATURES.index(f) for f in self.features], dtype=np.intp)

    def score(self, table: np.ndarray) -> np.ndarray:
        """Probability-like score for each row of a full feature table (``ALL_FEATURES``)."""
        x = (table[:, self._columns] - self.mean) / self.scale
        return 1.0 / (1.0 + np.exp(-(x @ self.coef + self.intercept)))

    @classmethod
    def fit(
        cls, table: np.ndarray, labels: Sequence[bool], features: Sequence[str], c: float = 1.0
    ) -> Fusion:
        """Fit on stacked candidate rows of labelled posts (label: is the correct one)."""
        from sklearn.linear_model import LogisticRegression

        columns = [ALL_FEATURES.index(f) for f in features]
        x = table[:, columns].astype(np.float64)
        mean, scale = x.mean(axis=0), x.std(axis=0)
        scale[scale == 0] = 1.0
        model = LogisticRegression(C=c, max_iter=1000)
        model.fit((x - mean) / scale, np.asarray(labels, dtype=int))
        return cls(tuple(features), mean, scale, model.coef_[0], float(model.intercept_[0]))

    def to_dict(self) -> dict:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Fusion:
        return cls(
            tuple(data["features"]),
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
        )


@dataclass
class FusionRule:
    """A fusion plus the thresholds tuned on its scores: what the matcher needs to decide."""

    fusion: Fusion
    thresholds: Thresholds
    # Hybrid rules only: the lexical gate. When ``gate_fusion`` (a lexical-only fusion) scores a
    # post's best candidate at or above ``gate``, the matcher skips e5 for it. None: no gate.
    gate: float | None = None
    gate_fusion: Fusion | None = None

    def to_dict(self) -> dict:
        data = {**self.fusion.to_dict(), "thresholds": self.thresholds.to_dict()}
        if self.gate is not None and self.gate_fusion is not None:
            data["gate"] = {"score": round(float(self.gate), 6), **self.gate_fusion.to_dict()}
        return data

    @classmethod
    def from_dict(cls, data: dict) -> FusionRule:
        gate = data.get("gate")
        return cls(
            Fusion.from_dict(data),
            Thresholds.from_dict(data["thresholds"]),
            None if gate is None else float(gate["score"]),
            None if gate is None else Fusion.from_dict(gate),
        )


def load_rules(path: str | Path | None = None) -> dict[str, FusionRule]:
    """The rules in a fusion JSON file (default: the one shipped in the package), by name."""
    if path is None:
        text = resources.files("saring.text").joinpath("data/match_fusion.json").read_text()
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    return {name: FusionRule.from_dict(rule) for name, rule in data["rules"].items()}


@lru_cache(maxsize=2)
def _shipped() -> dict[str, FusionRule]:
    return load_rules()


def default_rule(dense: bool) -> FusionRule:
    """The shipped rule: "hybrid" with a dense model, "lexical" without one."""
    return _shipped()["hybrid" if dense else "lexical"]
