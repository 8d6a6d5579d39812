"""Coverage of the slang lexicon against published lexicons (skipped when they are absent).

The reference files live beside the project in ``shared/data`` (or ``$SARING_SHARED_DATA``);
they are read, never copied. Numbers are printed with ``-s``.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

import pytest

from saring.text.normalize import Normalizer


def _shared_data() -> Path:
    if os.environ.get("SARING_SHARED_DATA"):
        return Path(os.environ["SARING_SHARED_DATA"])
    beside_repo = Path(__file__).resolve().parents[3] / "shared" / "data"
    return beside_repo if beside_repo.exists() else Path("/work/shared/data")


SHARED = _shared_data()
KAMUS_ALAY = SHARED / "hate-speech-ibrohim2019" / "new_kamusalay.csv"
TWEETS = SHARED / "hate-speech-ibrohim2019" / "re_dataset.csv"
COLLOQUIAL = SHARED / "lexicon-colloquial" / "colloquial-indonesian-lexicon.csv"


def _pairs_kamusalay() -> list[tuple[str, str]]:
    with KAMUS_ALAY.open(encoding="latin-1", newline="") as handle:
        return [(row[0].strip(), row[1].strip()) for row in csv.reader(handle) if len(row) >= 2]


@pytest.mark.skipif(not (KAMUS_ALAY.exists() and TWEETS.exists()), reason="reference data absent")
def test_the_lexicon_normalises_most_slang_as_it_occurs_in_real_tweets():
    """Token-weighted: of the slang tokens in the Ibrohim 2019 tweets that new_kamusalay maps
    to a different single word, how many does Saring's normaliser map to the same word.

    Left out: the data set's anonymisation tokens (USER, URL) and entries whose formal side is
    several words, mostly acronym expansions (pilkada, dpr, pki) that Saring keeps on purpose.
    """
    alay = {
        slang: formal
        for slang, formal in _pairs_kamusalay()
        if slang != formal and " " not in formal and slang not in ("user", "url")
    }
    normalizer = Normalizer()
    with TWEETS.open(encoding="latin-1", newline="") as handle:
        counts = Counter(
            word
            for row in csv.DictReader(handle)
            for word in row["Tweet"].lower().split()
            if word in alay
        )
    total = sum(counts.values())
    agreed = sum(
        n for word, n in counts.items() if " ".join(normalizer.normalize(word).tokens) == alay[word]
    )
    share = agreed / total
    print(f"\nkamusalay slang tokens in tweets: {total}, normalised alike: {share:.1%}")
    assert share >= 0.5


@pytest.mark.skipif(not KAMUS_ALAY.exists(), reason="reference data absent")
def test_lexicon_coverage_of_kamusalay_entries_is_measured():
    pairs = [(s, f) for s, f in _pairs_kamusalay() if s != f and " " not in s]
    normalizer = Normalizer()
    agreed = sum(1 for s, f in pairs if " ".join(normalizer.normalize(s).tokens) == f)
    print(f"\nkamusalay entries normalised alike: {agreed}/{len(pairs)}")
    assert agreed >= 300


@pytest.mark.skipif(not COLLOQUIAL.exists(), reason="reference data absent")
def test_lexicon_coverage_of_the_colloquial_lexicon_is_measured():
    with COLLOQUIAL.open(encoding="utf-8", newline="") as handle:
        pairs = {(row["slang"].strip(), row["formal"].strip()) for row in csv.DictReader(handle)}
    pairs = {(s, f) for s, f in pairs if s != f and " " not in s}
    normalizer = Normalizer()
    agreed = sum(1 for s, f in pairs if " ".join(normalizer.normalize(s).tokens) == f)
    print(f"\ncolloquial lexicon entries normalised alike: {agreed}/{len(pairs)}")
    assert agreed >= 300
