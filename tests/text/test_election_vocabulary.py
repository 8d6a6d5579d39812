"""Election vocabulary is never rewritten by the slang lexicon or the per-token rules."""

from __future__ import annotations

import pytest

from saring.text.election_vocabulary import PROTECTED_WORDS
from saring.text.normalize import Normalizer, normalize, normalize_query

BRIEF = [
    "DPT",
    "TPS",
    "KPPS",
    "PPK",
    "PPS",
    "PPLN",
    "KPPSLN",
    "DPK",
    "DPTb",
    "DPS",
    "Sirekap",
    "Silon",
    "Sipol",
    "paslon",
    "caleg",
    "capres",
    "cawapres",
    "pilpres",
    "pileg",
    "pilkada",
    "pemilu",
    "bawaslu",
    "kpu",
    "panwaslu",
    "dkpp",
    "golput",
    "C1",
]


@pytest.mark.parametrize("word", BRIEF)
def test_a_lexicon_that_maps_an_election_word_leaves_it_alone(word):
    # A chat lexicon may well learn "pps" -> "apa-apa" or "kpu" -> "kapu"; the word survives.
    normalizer = Normalizer(lexicon={word.lower(): ("salah",), "gk": ("tidak",)})
    assert normalizer.normalize(f"cek {word} sekarang").tokens == ("cek", word.lower(), "sekarang")
    assert normalizer.normalize_term(word) == (word.lower(),)
    assert normalizer.normalize(f"{word} gk").tokens[-1] == "tidak"  # the rest still maps


def test_every_word_of_the_brief_is_protected_and_phrases_survive():
    assert {w.lower() for w in BRIEF} <= PROTECTED_WORDS
    assert normalize("Hasil quick count dan real count beda").tokens[1:3] == ("quick", "count")
    assert normalize("Foto C.Hasil dan C1 plano").tokens[:2] == ("foto", "c")
    assert "hasil" in normalize("Foto C.Hasil").tokens


def test_a_search_for_dpt_is_the_voter_list_in_any_case():
    for typed in ("DPT", "dpt", "Dpt"):
        assert normalize_query(typed).tokens == ("dpt",)
    assert normalize_query("dpt ganda").tokens == ("dpt", "ganda")


def test_dpt_in_a_post_naming_the_election_elsewhere_is_the_voter_list():
    # "kpu" is more than two tokens away: the old window rule read "dapat"
    assert normalize("dpt nya kacau banget, kpu harus tanggung jawab").tokens[0] == "dpt"
    assert normalize("namaku gak ada di dpt, padahal udah ke tps").tokens[4] == "dpt"


def test_chat_dpt_is_still_dapat():
    assert "dapat" in normalize("gw ga dpt tiket konser").tokens
