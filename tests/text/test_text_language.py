"""Language identification: Indonesian, English, Malay, Javanese, or undetermined."""

from __future__ import annotations

import pytest

from saring.text.language import identify, identify_words, model_probabilities
from saring.text.normalize import normalize


@pytest.mark.parametrize(
    "text",
    [
        "pemilu tahun ini curang banget ya",
        "gak bakal milih lagi dah",
        "Saya tidak setuju dengan keputusan itu",
        "Ayo ke TPS tanggal 14 Februari",
        "Bawaslu menemukan pelanggaran kampanye di Jakarta",
        "mantap bro",
    ],
)
def test_indonesian_is_recognised_even_when_short_and_informal(text):
    assert identify(text)[0] == "id"


@pytest.mark.parametrize(
    "text",
    [
        "I will vote for him tomorrow",
        "The election commission announced the results",
        "I think the KPU did a good job",
    ],
)
def test_english_is_recognised(text):
    assert identify(text)[0] == "en"


@pytest.mark.parametrize(
    "text",
    [
        "kerajaan tak boleh buat macam ni",
        "Jom keluar mengundi pada hari pilihan raya",
        "Saya tak nak undi dia",
        "Kenyataan SPR mengenai tarikh pengundian",
    ],
)
def test_malay_is_recognised(text):
    assert identify(text)[0] == "ms"


@pytest.mark.parametrize(
    "text",
    [
        "aku ra iso milih, piye iki",
        "kowe wis nyoblos durung?",
        "Monggo sami nyoblos wonten TPS",
        "ojo lali nyoblos",
    ],
)
def test_javanese_is_recognised(text):
    assert identify(text)[0] == "jv"


@pytest.mark.parametrize("text", ["", "🔥🔥🙏", "123 456", "wkwk", "#pemilu @kpu https://t.co/x"])
def test_too_little_text_is_undetermined(text):
    assert identify(text) == ("und", 0.0)


def test_confidence_is_between_zero_and_one():
    for text in ["pemilu damai", "Setuju", "The vote", "aku wis milih"]:
        _, confidence = identify(text)
        assert 0.0 < confidence <= 1.0


def test_a_single_word_gets_low_confidence():
    assert identify("Setuju")[1] < 0.5


def test_identify_words_agrees_with_identify_on_the_normalisers_raw_tokens():
    text = "Aku wis nyoblos neng TPS, ojo golput rek"
    assert identify_words(normalize(text).raw)[0] == identify(text)[0] == "jv"


def test_the_model_is_restricted_to_the_four_languages():
    probabilities = model_probabilities("pemilu damai")
    assert set(probabilities) == {"id", "en", "ms", "jv"}
    assert sum(probabilities.values()) == pytest.approx(1.0)
