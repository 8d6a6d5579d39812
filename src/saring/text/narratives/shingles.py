"""Word shingles, content tokens and banded-LSH parameters for narrative clustering."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from saring.text.stopwords import STOPWORDS


def is_placeholder(token: str) -> bool:
    return token.startswith("<") or token.startswith("#")


def content_tokens(tokens: Sequence[str]) -> list[str]:
    """The words that count towards ``min_tokens``: no stopwords, placeholders or whole tags."""
    return [t for t in tokens if not is_placeholder(t) and t not in STOPWORDS]


def shingles(tokens: Sequence[str]) -> set[str]:
    """Word bigrams of the normalised tokens without ``<url>``/``<mention>``/``<emoji>`` and
    without whole hashtags (their split words stay). A one-word text gives that word."""
    words = [t for t in tokens if not is_placeholder(t)]
    if len(words) < 2:
        return set(words)
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) for banded LSH, weighted towards recall (false negatives cost 4x false
    positives): candidates are verified with the estimated Jaccard afterwards anyway."""
    s = np.linspace(0.0, 1.0, 401)
    best: tuple[float, int, int] | None = None
    for r in range(1, num_perm + 1):
        b = num_perm // r
        p = 1.0 - (1.0 - s**r) ** b
        fp = np.trapezoid(np.where(s < threshold, p, 0.0), s)
        fn = np.trapezoid(np.where(s >= threshold, 1.0 - p, 0.0), s)
        err = 0.2 * fp + 0.8 * fn
        if best is None or err < best[0]:
            best = (err, b, r)
    assert best is not None
    return best[1], best[2]
