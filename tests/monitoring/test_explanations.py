"""A post page's explanations (watchlist rules, virality basis) in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation

from saring.monitoring.explanations import describe_rule, describe_virality, virality_code
from saring.text.morphology import inflections
from saring.text.virality import Observation, virality

WORDS = ("curang", "suap", "coblos", "bagi", "rebut", "ajar", "pilih", "kerja", "kpu", "tipu")
ENGLISH = ("form of", "itself", " with ", "phrase", "is the", "colloquial", "reduplicated")


def _rules() -> list[str]:
    return sorted({rule for word in WORDS for rule in inflections(word).values()})


def test_every_rule_the_matcher_writes_is_understood_and_unchanged_in_english():
    rules = _rules()
    assert len(rules) > 300
    with translation.override("en"):
        assert [r for r in rules if describe_rule(r) != r] == []


def test_rules_read_in_indonesian():
    phrase = "phrase 'surat suara dicoblos' ('tercoblos' is the ter- form of 'coblos')"
    with translation.override("id"):
        worded = [describe_rule(r) for r in [*_rules(), phrase]]
    leftovers = [w for w in worded if any(e in w for e in ENGLISH)]
    assert leftovers == []
    with translation.override("id"):
        assert "'curang'" in describe_rule("me-…-kan form of 'curang' with -nya")


def test_a_rule_of_another_shape_is_shown_as_stored():
    assert describe_rule("a rule of a later version") == "a rule of a later version"
    assert describe_rule("") == ""


def _basis(*hours_apart: float) -> str:
    created = datetime(2024, 2, 10, tzinfo=UTC)
    observations = [
        Observation(observed_at=created + timedelta(hours=h), views=100 * (i + 1))
        for i, h in enumerate(hours_apart)
    ]
    return virality(observations, created).basis


@pytest.mark.parametrize(
    ("basis", "code"),
    [
        (_basis(), "none"),
        (_basis(2.5), "age"),
        (_basis(1, 4), "growth"),
        (_basis(1, 1.001), "age_close"),
    ],
)
def test_every_virality_basis_has_a_code(basis, code):
    assert virality_code(basis)[0] == code
    with translation.override("en"):
        assert describe_virality(basis) == basis  # the English wording is the stored one


def test_virality_reads_in_indonesian_with_local_decimals():
    basis = "growth between the last two observations, 1234.5 h apart (12345 observations)"
    with translation.override("id"):
        text = describe_virality(basis)
    assert "1234,5" in text and "12.345" in text
    assert "growth" not in text and "observations" not in text
    assert describe_virality("an older text") == "an older text"
