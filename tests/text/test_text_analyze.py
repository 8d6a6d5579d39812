"""The Analyzer end to end."""

from __future__ import annotations

import pytest

from saring.text.analyze import Analysis, Analyzer
from saring.text.watchlist import WatchlistSpec


def test_a_typical_post_is_analysed_completely(analyzer):
    result = analyzer.analyse(
        "Awas serangan fajar di Kab. Malang! Ada yg bagi2 amplop 50rb, lapor ke Bawaslu ya "
        "gaes #PemiluDamai @bawaslu_ri"
    )
    assert isinstance(result, Analysis)
    assert result.language == "id"
    assert result.election_relevance > 0.9
    assert {"serangan fajar", "bawaslu", "pemilu"} <= set(result.election_terms)
    assert ("money_politics", "serangan fajar") in {(h.category, h.term) for h in result.hits}
    assert (result.province_code, result.regency_code) == ("35", "35.07")
    assert (result.region_source, result.region_evidence) == ("text", "kabupaten malang")
    assert result.normalized == " ".join(result.tokens)
    assert "<mention>" in result.tokens


def test_an_unrelated_post_has_no_relevance_hits_or_region(analyzer):
    result = analyzer.analyse("malang bener nasibku, ga dapet apa2")
    assert result.election_relevance == 0.0
    assert result.hits == ()
    assert (result.province_code, result.regency_code, result.region_source) == ("", "", "")


def test_the_source_region_code_beats_the_text_and_the_profile(analyzer):
    result = analyzer.analyse("Kampanye di Surabaya", author_location="Jkt", region_code="32.73")
    assert (result.province_code, result.regency_code, result.region_source) == (
        "32",
        "32.73",
        "source",
    )


def test_a_district_code_from_the_source_is_cut_to_its_regency(analyzer):
    result = analyzer.analyse("pemilu", region_code="32.73.01")
    assert (result.province_code, result.regency_code) == ("32", "32.73")


def test_a_province_code_from_the_source_gives_the_province_only(analyzer):
    result = analyzer.analyse("pemilu", region_code="33")
    assert (result.province_code, result.regency_code) == ("33", "")


def test_an_invalid_source_code_is_ignored(analyzer):
    result = analyzer.analyse("Kampanye di Surabaya", region_code="99.99")
    assert (result.regency_code, result.region_source) == ("35.78", "text")


def test_the_text_beats_the_profile(analyzer):
    result = analyzer.analyse("Kampanye di Surabaya", author_location="Bandung, Jawa Barat")
    assert (result.regency_code, result.region_source) == ("35.78", "text")


def test_the_profile_is_used_when_the_text_names_no_place(analyzer):
    result = analyzer.analyse("ayo ke TPS", author_location="Bandung, Jawa Barat")
    assert (result.province_code, result.regency_code, result.region_source) == (
        "32",
        "32.73",
        "profile",
    )
    assert result.region_evidence == "bandung"


def test_hashtags_given_apart_from_the_text_are_analysed(analyzer):
    result = analyzer.analyse("ayo semua", hashtags=("PemiluDamai",))
    assert "#pemiludamai" in result.tokens
    assert result.election_relevance > 0.8


def test_hashtags_already_in_the_text_are_not_added_twice(analyzer):
    result = analyzer.analyse("ayo #PemiluDamai", hashtags=("pemiludamai",))
    assert result.tokens.count("#pemiludamai") == 1


def test_language_is_taken_from_the_words_as_written(analyzer):
    assert analyzer.analyse("Aku wis nyoblos neng TPS, ojo golput rek").language == "jv"
    assert analyzer.analyse("Kerajaan tak boleh buat macam ni").language == "ms"


def test_an_analyzer_without_watchlists_reports_no_hits(gazetteer):
    result = Analyzer((), gazetteer).analyse("serangan fajar di mana-mana")
    assert result.hits == ()
    assert result.election_relevance > 0.8


def test_custom_watchlists_are_matched(gazetteer):
    analyzer = Analyzer([WatchlistSpec(42, "wrong_procedure", ("sirekap error",))], gazetteer)
    (hit,) = analyzer.analyse("Sirekap error lagi!! #SirekapError").hits
    assert (hit.watchlist_id, hit.surface) == (42, "sirekap error")


def test_analysis_is_deterministic(analyzer):
    text = "KPU gak netral, bubarkan KPU! di Jaksel rame bgt wkwk"
    assert analyzer.analyse(text) == analyzer.analyse(text)


@pytest.mark.parametrize("text", ["", "   ", "🔥🔥🔥", "https://t.co/x"])
def test_empty_and_content_free_posts_are_handled(analyzer, text):
    result = analyzer.analyse(text)
    assert result.language == "und"
    assert result.hits == ()
