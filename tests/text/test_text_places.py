"""Regions from place names in posts and author profiles."""

from __future__ import annotations

import pytest

from saring.text.normalize import normalize
from saring.text.places import AMBIGUOUS_NAMES, Gazetteer, PlaceMatch, Region
from saring.text.vocabulary import slang_lexicon


def locate(gazetteer: Gazetteer, text: str) -> tuple[str, str] | None:
    match = gazetteer.locate(text, normalize(text).tokens)
    return (match.province_code, match.regency_code) if match else None


def test_the_gazetteer_holds_38_provinces_and_514_regencies(gazetteer):
    kinds = [r.kind for r in gazetteer.regions.values()]
    assert kinds.count("provinsi") == 38
    assert len(kinds) - 38 == 514


def test_a_regency_brings_its_province_and_the_evidence(gazetteer):
    text = "Kampanye akbar di Surabaya"
    match = gazetteer.locate(text, normalize(text).tokens)
    assert match == PlaceMatch("35", "35.78", "surabaya", "text")


# -- ambiguous names, both directions ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "malang bener nasibku hari ini",  # "unlucky"
        "Malang nasibnya, tidak terdaftar di DPT",  # capital only because the sentence starts
        "massa diserang di jalan",  # "attacked"
        "mereka lempar batu ke kantor",  # "stone"
        "demi roh kudus",  # "holy"
        "makan nasi padang dulu",  # "field"
        "suasana medan perang",  # "battlefield"
        "pakai palu dan paku",  # "hammer"
        "buru-buru ke tps",  # "hurry"
        "jalan-jalan ke puncak gunung",  # "peak"
        "konser solo sang penyanyi",  # "solo"
        "ini di tanah datar yang luas",
    ],
)
def test_ambiguous_place_names_used_as_common_words_are_not_places(gazetteer, text):
    assert locate(gazetteer, text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Warga Malang antusias datang ke TPS", ("35", "35.73")),  # capitalised mid-sentence
        ("kab. malang rawan politik uang", ("35", "35.07")),  # kabupaten qualifier
        ("kota malang aman", ("35", "35.73")),  # kota qualifier
        ("kpu malang siap", ("35", "35.73")),  # an office before the name
        ("Kota Serang", ("36", "36.73")),
        ("kab serang", ("36", "36.04")),
        ("kota batu", ("35", "35.79")),
        ("warga Kudus memilih", ("33", "33.19")),
        ("malang, jawa timur", ("35", "35.73")),  # its province is named too
        ("Pilkada Tanah Datar", ("13", "13.04")),
        ("kampanye di Solo", ("33", "33.72")),
        ("#PilkadaMalang", ("35", "35.73")),
    ],
)
def test_ambiguous_place_names_count_with_evidence(gazetteer, text, expected):
    assert locate(gazetteer, text) == expected


def test_ambiguous_names_include_the_common_word_regencies():
    assert {
        "malang",
        "serang",
        "batu",
        "kudus",
        "pati",
        "agam",
        "bone",
        "buru",
        "banjar",
        "ende",
        "alor",
        "muna",
        "karo",
        "siak",
        "solok",
        "lebak",
        "demak",
        "kuningan",
        "tanah datar",
        "lima puluh kota",
    } <= AMBIGUOUS_NAMES


# -- aliases and spelling variants ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "province"),
    [
        ("Jabar", "32"),
        ("jateng", "33"),
        ("jatim", "35"),
        ("DKI", "31"),
        ("jakarta", "31"),
        ("jkt", "31"),
        ("jogja", "34"),
        ("Yogya", "34"),
        ("DIY", "34"),
        ("sumut", "12"),
        ("sumbar", "13"),
        ("sulsel", "73"),
        ("sulut", "71"),
        ("kaltim", "64"),
        ("kalbar", "61"),
        ("NTT", "53"),
        ("NTB", "52"),
        ("babel", "19"),
        ("kepri", "21"),
    ],
)
def test_province_aliases(gazetteer, alias, province):
    assert locate(gazetteer, f"ramai di {alias}") == (province, "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jaksel", ("31", "31.74")),
        ("tangsel", ("36", "36.74")),
        ("gunung kidul", ("34", "34.03")),
        ("Gunungkidul", ("34", "34.03")),
        ("tanjung pinang", ("21", "21.72")),
        ("mentawai", ("13", "13.09")),
    ],
)
def test_regency_aliases_and_spelling_variants(gazetteer, text, expected):
    assert locate(gazetteer, text) == expected


def test_a_bare_name_shared_by_kabupaten_and_kota_is_the_kota(gazetteer):
    assert locate(gazetteer, "bandung") == ("32", "32.73")
    assert locate(gazetteer, "kabupaten bandung") == ("32", "32.04")
    assert locate(gazetteer, "bandung barat") == ("32", "32.17")


def test_a_bare_name_that_is_also_a_province_is_the_province(gazetteer):
    assert locate(gazetteer, "Jogja istimewa") == ("34", "")
    assert locate(gazetteer, "kota yogyakarta") == ("34", "34.71")


def test_a_regency_beats_a_province(gazetteer):
    assert locate(gazetteer, "Jawa Barat, khususnya Bekasi") == ("32", "32.75")


def test_the_most_frequent_place_wins(gazetteer):
    assert locate(gazetteer, "Makassar, Surabaya, lalu Surabaya lagi") == ("35", "35.78")


def test_the_first_place_wins_a_tie(gazetteer):
    assert locate(gazetteer, "dari Makassar ke Surabaya") == ("73", "73.71")


def test_from_sabang_to_merauke_is_the_whole_country(gazetteer):
    assert locate(gazetteer, "dari Sabang sampai Merauke satu Indonesia") is None


def test_a_post_without_places_has_no_region(gazetteer):
    assert locate(gazetteer, "pemilu damai untuk semua") is None


# -- profiles ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        ("Bandung, Jawa Barat", ("32", "32.73")),
        ("Surabaya 🇮🇩", ("35", "35.78")),
        ("Jkt", ("31", "")),
        ("malang", ("35", "35.73")),  # a profile location needs no capital letter
        ("Kab. Bogor", ("32", "32.01")),
        ("Bekasi, Indonesia", ("32", "32.75")),
    ],
)
def test_profile_locations(gazetteer, profile, expected):
    match = gazetteer.locate_profile(profile)
    assert match is not None
    assert (match.province_code, match.regency_code) == expected
    assert match.source == "profile"


@pytest.mark.parametrize("profile", ["", "Indonesia", "di hatimu", "🌏"])
def test_profiles_without_a_place(gazetteer, profile):
    assert gazetteer.locate_profile(profile) is None


# -- codes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("32.73", ("32", "32.73")),
        ("3273", ("32", "32.73")),
        ("32.73.01", ("32", "32.73")),
        ("3273011001", ("32", "32.73")),
        ("32", ("32", "")),
        ("32.99", ("32", "")),
        ("99", None),
        ("abc", None),
        ("", None),
    ],
)
def test_region_codes_are_validated_and_cut_to_the_regency(gazetteer, code, expected):
    assert gazetteer.validate_code(code) == expected


# -- without lokal -------------------------------------------------------------------------------


def test_a_gazetteer_can_be_built_from_explicit_regions():
    small = Gazetteer(
        [
            Region("35", "Jawa Timur", "provinsi"),
            Region("35.07", "Kabupaten Malang", "kabupaten"),
            Region("35.73", "Kota Malang", "kota"),
        ]
    )
    assert small.locate("Kab. Malang", normalize("Kab. Malang").tokens).regency_code == "35.07"
    assert small.locate_profile("Jatim").province_code == "35"


def test_no_slang_entry_rewrites_a_one_word_place_name(gazetteer):
    lexicon = slang_lexicon()
    names = {
        " ".join(normalize(r.name.split(" ", 1)[-1]).tokens)
        for r in gazetteer.regions.values()
        if r.kind != "provinsi"
    }
    clashes = {n for n in names if " " not in n and n in lexicon}
    assert clashes == set()
