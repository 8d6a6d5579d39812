"""Virality from engagement observations."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from saring.text.virality import WEIGHTS, Observation, virality, virality_score

CREATED = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)


def at(hours: float, **counts: int | None) -> Observation:
    return Observation(CREATED + timedelta(hours=hours), **counts)


def test_no_observations_score_zero():
    result = virality([], CREATED)
    assert (result.score, result.per_hour) == (0.0, 0.0)
    assert result.basis == "no engagement counts observed"


def test_one_observation_is_engagement_per_hour_of_age():
    result = virality([at(4, likes=400)], CREATED)
    assert result.per_hour == pytest.approx(100.0)
    assert result.score == pytest.approx(math.log10(101), abs=1e-4)
    assert "per hour of age (4.0 h)" in result.basis


def test_age_is_floored_at_one_hour():
    assert virality([at(0.1, likes=50)], CREATED).per_hour == pytest.approx(50.0)


def test_two_observations_use_the_growth_between_the_last_two():
    result = virality([at(1, likes=100), at(3, likes=300), at(2, likes=200)], CREATED)
    assert result.per_hour == pytest.approx(100.0)  # 300 - 200 over one hour
    assert "last two observations, 1.0 h apart (3 observations)" in result.basis


def test_a_post_that_went_quiet_drops():
    busy = virality([at(1, likes=100), at(2, likes=1100)], CREATED).score
    quiet = virality([at(1, likes=1100), at(2, likes=1100)], CREATED).score
    assert quiet == 0.0 < busy


def test_shares_and_comments_weigh_more_than_likes_and_likes_more_than_views():
    assert WEIGHTS["shares"] >= WEIGHTS["comments"] > WEIGHTS["likes"] > WEIGHTS["views"]
    shares = virality_score([at(1, shares=10)], CREATED)
    likes = virality_score([at(1, likes=10)], CREATED)
    views = virality_score([at(1, views=10)], CREATED)
    assert shares > likes > views


def test_missing_counts_are_left_out_not_read_as_zero():
    result = virality([at(1, likes=100, shares=None), at(2, likes=150, shares=20)], CREATED)
    assert result.per_hour == pytest.approx(50.0)


def test_observations_without_any_count_are_ignored():
    result = virality([at(1, likes=100), at(2)], CREATED)
    assert "per hour of age" in result.basis


def test_falling_counts_contribute_nothing_rather_than_negative_growth():
    result = virality([at(1, likes=100, comments=10), at(2, likes=90, comments=20)], CREATED)
    assert result.per_hour == pytest.approx(30.0)


def test_observations_less_than_a_minute_apart_fall_back_to_age():
    result = virality([at(2, likes=100), at(2.001, likes=120)], CREATED)
    assert result.per_hour == pytest.approx(120 / 2.001, rel=1e-3)
    assert "less than a minute apart" in result.basis


def test_the_score_is_log_scaled_so_it_sorts():
    scores = [virality_score([at(1, likes=n)], CREATED) for n in (0, 9, 99, 999)]
    assert scores == pytest.approx([0.0, 1.0, 2.0, 3.0])
