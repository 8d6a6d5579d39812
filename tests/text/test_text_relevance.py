"""Election relevance: a score 0..1 and the election terms found."""

from __future__ import annotations

import pytest

from saring.text.normalize import normalize
from saring.text.relevance import RelevanceScorer


@pytest.fixture(scope="module")
def scorer() -> RelevanceScorer:
    return RelevanceScorer()


def relevance(scorer: RelevanceScorer, text: str):
    return scorer.score(normalize(text).tokens)


def test_a_post_without_election_terms_scores_zero(scorer):
    result = relevance(scorer, "harga cabai naik lagi, masak apa hari ini")
    assert result.score == 0.0
    assert result.terms == ()


def test_one_strong_term_scores_high(scorer):
    assert relevance(scorer, "besok pemilu").score == pytest.approx(0.9)


def test_more_terms_score_higher(scorer):
    one = relevance(scorer, "partai itu").score
    two = relevance(scorer, "partai itu punya caleg baru").score
    assert 0 < one < two <= 1


def test_terms_are_listed_once_in_order_of_appearance(scorer):
    result = relevance(scorer, "KPU umumkan DPT, KPU minta pemilih cek TPS")
    assert result.terms == ("kpu", "dpt", "pemilih", "tps")


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("sudah mencoblos tadi pagi", "coblos"),
        ("hari pencoblosan", "hari pencoblosan"),
        ("mereka berkampanye di pasar", "kampanye"),
        ("nunggu hasil quick count", "quick count"),
        ("surat suara sudah dicetak", "surat suara"),
        ("jangan golput", "golput"),
        ("debat capres semalam", "debat capres"),
        ("anies, prabowo dan ganjar", "anies"),
        ("cak imin dan gibran", "cak imin"),
        ("#PemiluDamai ya", "pemilu"),
        ("input sirekap error", "sirekap"),
        ("masa tenang mulai besok", "masa tenang"),
    ],
)
def test_election_terms_are_found_in_their_inflected_forms_and_in_hashtags(scorer, text, term):
    assert term in relevance(scorer, text).terms


def test_candidate_names_match_only_as_names(scorer):
    assert relevance(scorer, "ia diganjar hadiah").terms == ()


def test_one_word_counts_once_for_its_strongest_term(scorer):
    result = relevance(scorer, "pemilih")
    assert result.terms == ("pemilih",)
    assert result.score == pytest.approx(0.7)


def test_dapat_in_chat_is_not_the_voter_list(scorer):
    assert "dpt" not in relevance(scorer, "gw ga dpt apa2").terms
