"""SMS segmenting and encoding (saring.text.sms): GSM-7 with its extension table, UCS-2."""

from __future__ import annotations

import pytest

from saring.text.sms import BASIC_SET, GSM7, UCS2, encoding_of, measure, non_gsm_characters


def test_default_alphabet_has_127_characters_besides_the_escape():
    assert len(BASIC_SET) == 127
    assert "\x1b" not in BASIC_SET and "é" in BASIC_SET and "`" not in BASIC_SET


def test_empty_text_costs_nothing():
    m = measure("")
    assert (m.encoding, m.characters, m.segments, m.remaining) == (GSM7, 0, 0, 160)


@pytest.mark.parametrize(
    ("length", "segments", "per_segment", "remaining"),
    [(1, 1, 160, 159), (160, 1, 160, 0), (161, 2, 153, 145), (306, 2, 153, 0), (307, 3, 153, 152)],
)
def test_gsm7_boundaries(length, segments, per_segment, remaining):
    m = measure("a" * length)
    assert m.encoding == GSM7
    assert (m.characters, m.segments, m.per_segment, m.remaining) == (
        length,
        segments,
        per_segment,
        remaining,
    )


@pytest.mark.parametrize("char", list("^{}\\[~]|€"))
def test_extension_characters_count_two(char):
    m = measure("a" * 158 + char)
    assert (m.encoding, m.characters, m.segments) == (GSM7, 160, 1)
    assert measure("a" * 159 + char).segments == 2


def test_escape_pair_is_never_split_across_segments():
    # 152 plain septets then "€": 154 would straddle the 153 boundary, so "€" opens segment 2
    m = measure("a" * 152 + "€" + "a" * 10)
    assert m.characters == 164
    assert m.segments == 2
    assert m.remaining == 153 - 12


@pytest.mark.parametrize(
    ("length", "segments", "per_segment"), [(70, 1, 70), (71, 2, 67), (134, 2, 67), (135, 3, 67)]
)
def test_ucs2_boundaries(length, segments, per_segment):
    m = measure("ж" * length)
    assert m.encoding == UCS2
    assert (m.segments, m.per_segment) == (segments, per_segment)


def test_one_non_gsm_character_switches_the_whole_text_to_ucs2():
    text = "Datang ke TPS 27 November, bawa KTP-el " + "“undangan”"
    assert encoding_of(text) == UCS2
    assert non_gsm_characters(text) == ["“", "”"]
    assert encoding_of("Datang ke TPS, bawa KTP-el & formulir C6!") == GSM7


def test_emoji_outside_the_bmp_takes_two_units_and_is_not_split():
    m = measure("🗳")
    assert (m.encoding, m.characters, m.segments) == (UCS2, 2, 1)
    m = measure("a" * 66 + "🗳" + "a")  # 69 units: still one message
    assert m.segments == 1
    m = measure("a" * 66 + "🗳" + "aaaa")  # 72 units: split; the pair moves to segment 2
    assert (m.characters, m.segments, m.remaining) == (72, 2, 67 - 6)


def test_indonesian_message_in_gsm7():
    text = "KPU: Pemungutan suara Pilkada 27 November 2024 pukul 07.00-13.00 WIB. Cek DPT Anda."
    m = measure(text)
    assert (m.encoding, m.segments) == (GSM7, 1)
    assert m.remaining == 160 - len(text)
