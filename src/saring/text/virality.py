"""Virality: how fast a post gathers engagement, on a log scale that sorts well.

``virality(observations, created_at) -> Virality(score, per_hour, basis)``:

* two or more observations: the weighted engagement gained between the last two, per hour of the
  time between them (the current speed of spread; a post that went quiet drops);
* one observation: its weighted engagement per hour of age at that moment, the age floored at one
  hour (a post seen ten minutes after publication is not extrapolated to a huge rate);
* the score is ``log10(1 + per_hour)``: 0 for nothing, 1 for ~9 weighted interactions an hour,
  3 for ~1,000, so one busy post does not flatten the ranking of all others.

Weights: a share (repost, forward, duet/stitch) puts the post in front of a new audience and is
the act that makes content spread, so it counts most (5); a comment takes effort, keeps the post
alive in the ranking algorithms and often carries the claim further in replies (3); a like is a
cheap signal of approval (1); a view is passive and inflated by autoplay (0.05).

Counts may be None (a platform or an export that does not give them): a component missing in
either of the two observations is left out of the growth rather than read as zero. Counts that
fall between two observations (deleted comments, platform recounts) contribute zero, not a
negative growth.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["WEIGHTS", "Observation", "Virality", "virality", "virality_score"]

WEIGHTS: dict[str, float] = {"shares": 5.0, "comments": 3.0, "likes": 1.0, "views": 0.05}
_MIN_AGE_HOURS = 1.0
_MIN_INTERVAL_HOURS = 1.0 / 60.0  # observations closer than a minute are treated as one


@dataclass(frozen=True, slots=True)
class Observation:
    observed_at: datetime
    views: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None


@dataclass(frozen=True, slots=True)
class Virality:
    score: float  # log10(1 + per_hour), rounded to 4 decimals
    per_hour: float  # weighted engagement per hour
    basis: str  # how per_hour was computed, in words, for the UI


def _weighted(obs: Observation) -> float:
    return sum(
        weight * value
        for name, weight in WEIGHTS.items()
        if (value := getattr(obs, name)) is not None
    )


def _weighted_growth(old: Observation, new: Observation) -> float:
    total = 0.0
    for name, weight in WEIGHTS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before is not None and after is not None and after > before:
            total += weight * (after - before)
    return total


def _hours(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 3600.0


def virality(observations: Sequence[Observation], created_at: datetime) -> Virality:
    """Engagement speed of one post from its count observations (any order)."""
    usable = sorted(
        (o for o in observations if any(getattr(o, name) is not None for name in WEIGHTS)),
        key=lambda o: o.observed_at,
    )
    if not usable:
        return Virality(0.0, 0.0, "no engagement counts observed")
    last = usable[-1]
    if len(usable) >= 2:
        previous = usable[-2]
        interval = _hours(last.observed_at, previous.observed_at)
        if interval >= _MIN_INTERVAL_HOURS:
            per_hour = _weighted_growth(previous, last) / interval
            basis = (
                f"growth between the last two observations, {interval:.1f} h apart "
                f"({len(usable)} observations)"
            )
            return Virality(_score(per_hour), round(per_hour, 4), basis)
    age = max(_hours(last.observed_at, created_at), _MIN_AGE_HOURS)
    per_hour = _weighted(last) / age
    basis = f"engagement per hour of age ({age:.1f} h) at the observation"
    if len(usable) >= 2:
        basis += " (the last two were less than a minute apart)"
    return Virality(_score(per_hour), round(per_hour, 4), basis)


def virality_score(observations: Sequence[Observation], created_at: datetime) -> float:
    """``virality(...).score``: log10(1 + weighted engagement per hour)."""
    return virality(observations, created_at).score


def _score(per_hour: float) -> float:
    return round(math.log10(1.0 + max(per_hour, 0.0)), 4)
