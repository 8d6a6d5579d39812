"""Small pure functions around narratives: growth alerts and the representative post."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from saring.text.narratives.shingles import jaccard, shingles


@dataclass(frozen=True, slots=True)
class Growth:
    recent: int  # posts in the last ``window`` hours
    previous: int  # posts in the ``window`` hours before that
    ratio: float  # recent / max(previous, 1)


def growth(counts_per_hour: Sequence[int], window: int) -> Growth:
    """Posts in the last ``window`` buckets against the ``window`` buckets before them.

    ``counts_per_hour`` is oldest first and ends with the current (possibly partial) hour.
    Missing history counts as zero.
    """
    if window < 1:
        raise ValueError("window must be >= 1")
    counts = list(counts_per_hour)
    recent = sum(counts[-window:]) if counts else 0
    previous = sum(counts[-2 * window : -window]) if len(counts) > window else 0
    return Growth(recent, previous, recent / max(previous, 1))


def growth_alert(
    counts_per_hour: Sequence[int],
    threshold: float = 3.0,
    window: int = 6,
    min_count: int = 20,
) -> bool:
    """True when a narrative's growth crosses the threshold.

    The last ``window`` hours must hold at least ``min_count`` posts AND at least ``threshold``
    times as many as the ``window`` hours before them (a new narrative, with no previous
    posts, is compared with 1). The absolute floor keeps 1 -> 4 posts from alerting.
    """
    g = growth(counts_per_hour, window)
    return g.recent >= min_count and g.ratio >= threshold


def representative(
    member_tokens_list: Sequence[Sequence[str]], sample: int = 200, seed: int = 0
) -> int:
    """Index of the medoid: the member with the highest mean Jaccard (word bigrams, as for copy
    detection) to the others. Above ``sample`` members, a seeded random sample of that size is
    both the candidate set and the comparison set, so the cost stays O(sample^2). Ties go to
    the lowest index, so the result is deterministic. Raises on an empty list."""
    n = len(member_tokens_list)
    if n == 0:
        raise ValueError("no members")
    if n <= 2:
        return 0
    idx = list(range(n)) if n <= sample else sorted(random.Random(seed).sample(range(n), sample))
    sets = [shingles(member_tokens_list[i]) for i in idx]
    best_i, best_score = idx[0], -1.0
    for a, sa in zip(idx, sets, strict=True):
        score = sum(jaccard(sa, sb) for sb in sets)
        if score > best_score:
            best_i, best_score = a, score
    return best_i
