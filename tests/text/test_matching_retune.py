"""Re-tuning the two thresholds from reviewers' (score, accepted) decisions."""

from __future__ import annotations

import math

from saring.text.matching.thresholds import Thresholds, retune

CURRENT = Thresholds(auto=0.9, suggest=0.3)


def test_rejected_automatic_links_push_the_auto_threshold_up():
    decisions = [(0.91 + i * 0.001, i % 4 != 0) for i in range(40)]  # 25 % wrong around 0.9
    decisions += [(0.97 + i * 0.001, True) for i in range(20)]
    new = retune(decisions, CURRENT)
    assert 0.946 < new.auto <= 0.97  # just above the last rejected link
    assert all(accepted for score, accepted in decisions if score >= new.auto)


def test_suggestions_reviewers_accept_do_not_creep_the_suggest_threshold_up():
    decisions = [(0.3 + i * 0.01, True) for i in range(50)]  # all accepted, spread over the band
    new = retune(decisions, CURRENT)
    assert new.suggest == CURRENT.suggest


def test_a_band_reviewers_almost_always_reject_is_dropped_from_the_queue():
    rejected = [(0.30 + i * 0.002, False) for i in range(60)]
    accepted = [(0.5 + i * 0.005, True) for i in range(60)]
    new = retune(rejected + accepted, CURRENT)
    assert 0.4 < new.suggest <= 0.5


def test_too_few_decisions_keep_what_is_in_force():
    assert retune([(0.95, False), (0.5, True)], CURRENT) == CURRENT
    assert retune([], Thresholds()) == Thresholds()
    assert math.isinf(retune([(0.5, True)] * 3, Thresholds(suggest=0.2)).auto)
