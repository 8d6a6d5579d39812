"""Normalisation of Indonesian social-media text."""

from __future__ import annotations

import pytest

from saring.text.normalize import Normalizer, normalize, split_hashtag
from saring.text.vocabulary import slang_lexicon


def tokens(text: str) -> tuple[str, ...]:
    return normalize(text).tokens


def test_text_is_the_tokens_joined_by_spaces():
    result = normalize("Gak  bisa   gitu dong!!")
    assert result.text == " ".join(result.tokens) == "tidak bisa begitu dong"


def test_empty_text_gives_no_tokens():
    assert normalize("").tokens == ()


@pytest.mark.parametrize(
    ("slang", "standard"),
    [
        ("gk", "tidak"),
        ("ga", "tidak"),
        ("gak", "tidak"),
        ("nggak", "tidak"),
        ("tdk", "tidak"),
        ("yg", "yang"),
        ("dgn", "dengan"),
        ("bgt", "banget"),
        ("sy", "saya"),
        ("krn", "karena"),
        ("udh", "sudah"),
        ("udah", "sudah"),
        ("blm", "belum"),
        ("jd", "jadi"),
        ("org", "orang"),
        ("kpd", "kepada"),
        ("utk", "untuk"),
        ("untk", "untuk"),
        ("tp", "tapi"),
        ("aja", "saja"),
        ("gmn", "bagaimana"),
        ("emg", "memang"),
        ("hoax", "hoaks"),
    ],
)
def test_slang_becomes_the_standard_word(slang, standard):
    assert tokens(slang) == (standard,)


def test_slang_can_expand_to_several_words():
    assert tokens("gpp kok") == ("tidak", "apa-apa", "kok")


def test_text_is_lower_cased():
    assert tokens("PEMILU Damai") == ("pemilu", "damai")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("bangeeet", "banget"),
        ("bgtttt", "banget"),
        ("gakkkk", "tidak"),
        ("bangett", "banget"),
        ("maaaaf", "maaf"),
        ("pemiluuuu", "pemilu"),
        ("yaaa", "ya"),
    ],
)
def test_elongations_collapse(written, expected):
    assert tokens(written) == (expected,)


@pytest.mark.parametrize("laugh", ["wkwkwk", "wkwkwkwkwk", "wkwkwkw"])
def test_laughter_collapses_to_two_repetitions(laugh):
    assert tokens(laugh) == ("wkwk",)


def test_hashtags_are_split_into_words_and_kept_whole():
    assert tokens("#TolakPemiluCurang") == ("tolak", "pemilu", "curang", "#tolakpemilucurang")


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("KPUCurang", ("kpu", "curang")),
        ("Pemilu2024", ("pemilu", "2024")),
        ("pemilucurang", ("pemilu", "curang")),
        ("kawalpemilu", ("kawal", "pemilu")),
        ("prabowogibran2024", ("prabowo", "gibran", "2024")),
        ("aminajadulu", ("amin", "aja", "dulu")),
        ("Ganjar_Mahfud", ("ganjar", "mahfud")),
    ],
)
def test_run_together_hashtags_are_split_with_the_vocabulary(tag, words):
    assert split_hashtag(tag) == words


def test_a_hashtag_that_cannot_be_split_into_known_words_stays_whole():
    assert split_hashtag("xqzvbnm") == ("xqzvbnm",)


def test_slang_inside_a_hashtag_is_normalised_too():
    assert tokens("#GakPilihDia")[:3] == ("tidak", "pilih", "dia")


def test_urls_mentions_and_emoji_become_placeholders():
    assert tokens("cek https://t.co/Ab12 @kpu_ri 🔥🔥 🙏🇮🇩") == (
        "cek",
        "<url>",
        "<mention>",
        "<emoji>",
        "<emoji>",
    )


def test_bare_domains_are_urls_too():
    assert tokens("info di kpu.go.id ya")[2] == "<url>"


def test_numbers_are_kept():
    assert tokens("TPS 05 buka jam 07.00 tanggal 14") == (
        "tps",
        "05",
        "buka",
        "jam",
        "07.00",
        "tanggal",
        "14",
    )


def test_amounts_with_a_unit_are_split_and_spelled_out():
    assert tokens("dikasih 50rb") == ("dikasih", "50", "ribu")
    assert tokens("2jt") == ("2", "juta")


def test_reduplication_written_with_2_becomes_a_hyphenated_word():
    assert tokens("orang2") == ("orang-orang",)
    assert tokens("org2") == ("orang-orang",)
    assert tokens("anak2nya") == ("anak-anaknya",)


def test_hyphenated_reduplication_stays_one_token():
    assert tokens("bakar-bakar") == ("bakar-bakar",)


def test_hyphenated_pairs_that_are_not_reduplication_split():
    assert tokens("prabowo-gibran") == ("prabowo", "gibran")


def test_digits_used_as_letters_become_letters_when_that_gives_a_known_word():
    assert tokens("isu s4ra") == ("isu", "sara")


def test_a_word_glued_to_a_number_is_split():
    assert tokens("pemilu2024") == ("pemilu", "2024")


def test_dpt_in_capitals_is_the_voter_list():
    assert "dpt" in tokens("Nama saya tidak ada di DPT")


def test_dpt_next_to_a_voter_list_word_is_the_voter_list():
    assert tokens("cek dpt online") == ("cek", "dpt", "online")


def test_dpt_in_chat_is_dapat():
    assert tokens("gw ga dpt apa2") == ("saya", "tidak", "dapat", "apa-apa")


def test_raw_tokens_keep_the_spelling_for_language_identification():
    result = normalize("Aku ra iso, gak bisa")
    assert result.raw == ("aku", "ra", "iso", "gak", "bisa")


def test_extra_vocabulary_helps_split_hashtags():
    normalizer = Normalizer(extra_vocabulary={"sirekap", "error"})
    assert normalizer.normalize("#sirekaperror").tokens[:2] == ("sirekap", "error")


def test_a_custom_lexicon_replaces_the_default():
    normalizer = Normalizer(lexicon={"bgt": ("sangat",)})
    assert normalizer.normalize("bagus bgt").tokens == ("bagus", "sangat")


def test_the_lexicon_has_at_least_400_entries_that_change_the_word():
    lexicon = slang_lexicon()
    assert sum(1 for key, value in lexicon.items() if value != (key,)) >= 400


def test_normalisation_is_deterministic_with_a_warm_cache():
    text = "Gk nyangka bgt, serangan fajar di kampung #PemiluDamai wkwkwk"
    assert normalize(text) == normalize(text) == Normalizer().normalize(text)
