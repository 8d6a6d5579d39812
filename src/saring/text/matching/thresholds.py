"""The two decision thresholds on the fused score, chosen from labelled scores, never guessed.

* ``auto``: at or above it, a post is linked to the clarification without a reviewer. It is the
  lowest score at which the top-1 links scoring at least that much are still correct in the
  target share of cases (precision >= 0.98 by default) on labelled data.
* ``suggest``: between ``suggest`` and ``auto`` the candidate goes to a reviewer. It is set so
  that the correct clarification scores at least ``suggest`` for the target share of labelled
  posts whose correct clarification was retrieved at all (recall), so reviewers see most true
  matches without reading every weak candidate.

Reviewer decisions are labelled scores too: ``retune`` folds them in, so the thresholds follow
what reviewers actually accept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Thresholds", "auto_threshold", "choose_thresholds", "retune", "suggest_threshold"]

MIN_AUTO_SUPPORT = 10  # never set an auto threshold on fewer labelled links than this
# Raise `suggest` only over a band of decisions that reviewers accepted less often than this.
MAX_DROPPED_ACCEPTANCE = 0.10


@dataclass(frozen=True, slots=True)
class Thresholds:
    auto: float = math.inf  # inf: never link automatically
    suggest: float = 0.0

    def decide(self, score: float) -> str:
        if score >= self.auto:
            return "auto"
        if score >= self.suggest:
            return "suggest"
        return "none"

    def to_dict(self) -> dict[str, float | None]:
        return {"auto": None if math.isinf(self.auto) else self.auto, "suggest": self.suggest}

    @classmethod
    def from_dict(cls, data: dict) -> Thresholds:
        auto = data.get("auto")
        return cls(auto=math.inf if auto is None else float(auto), suggest=float(data["suggest"]))


def auto_threshold(scores: Sequence[float], correct: Sequence[bool], precision: float) -> float:
    """Lowest top-1 score whose links at or above it reach ``precision``; inf when none does."""
    s = np.asarray(scores, dtype=np.float64)
    c = np.asarray(correct, dtype=np.float64)
    if s.size == 0:
        return math.inf
    order = np.argsort(-s, kind="stable")
    s, c = s[order], c[order]
    running = np.cumsum(c) / np.arange(1, s.size + 1)
    # Only cut between distinct scores: everything tied with the cut is linked too.
    last_of_tie = np.append(s[1:] != s[:-1], True)
    ok = np.flatnonzero((running >= precision) & last_of_tie)
    ok = ok[ok + 1 >= MIN_AUTO_SUPPORT]
    return float(s[ok[-1]]) if ok.size else math.inf


def suggest_threshold(gold_scores: Sequence[float], recall: float) -> float:
    """Score the correct clarification reaches for ``recall`` of the posts where it was a
    candidate at all (``-inf`` entries, never retrieved, cannot be rescued by any threshold)."""
    g = np.asarray(gold_scores, dtype=np.float64)
    g = g[np.isfinite(g)]
    if g.size == 0:
        return 0.0
    g = np.sort(g)[::-1]
    index = min(g.size - 1, max(0, math.ceil(recall * g.size) - 1))
    return float(max(g[index], 0.0))


def choose_thresholds(
    top_scores: Sequence[float],
    top_correct: Sequence[bool],
    gold_scores: Sequence[float],
    precision: float = 0.98,
    recall: float = 0.95,
) -> Thresholds:
    """Both thresholds from labelled posts: their top-1 score and correctness, and the score of
    their correct clarification (``-inf`` when it was not among the candidates)."""
    auto = auto_threshold(top_scores, top_correct, precision)
    suggest = suggest_threshold(gold_scores, recall)
    return Thresholds(auto=auto, suggest=min(suggest, auto))


def retune(
    decisions: Sequence[tuple[float, bool]],
    current: Thresholds,
    precision: float = 0.98,
    recall: float = 0.95,
) -> Thresholds:
    """New thresholds from reviewer decisions: (score, accepted) pairs on suggested links.

    Accepted suggestions are correct links at their score; rejected ones are wrong links. With too
    few decisions to support an auto threshold, the current one is kept.
    """
    if not decisions:
        return current
    scores = [s for s, _ in decisions]
    accepted = [a for _, a in decisions]
    auto = auto_threshold(scores, accepted, precision)
    auto = current.auto if math.isinf(auto) else auto
    # Reviewers only see candidates at or above the current `suggest`, so decisions can raise it
    # (when nearly everything just above it is rejected: wasted reviewing) but never lower it.
    # Without that guard, "95 % of accepted scores" would creep upwards at every re-tune.
    suggest = current.suggest
    accepted_scores = [s for s, a in decisions if a]
    if accepted_scores:
        candidate = suggest_threshold(accepted_scores, recall)
        dropped = [a for s, a in decisions if s < candidate]
        if (
            len(dropped) >= MIN_AUTO_SUPPORT
            and sum(dropped) / len(dropped) < MAX_DROPPED_ACCEPTANCE
        ):
            suggest = max(candidate, current.suggest)
    return Thresholds(auto=auto, suggest=min(suggest, auto))
