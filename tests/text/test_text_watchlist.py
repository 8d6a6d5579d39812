"""Watchlist matching on normalised posts."""

from __future__ import annotations

from saring.text.normalize import normalize
from saring.text.watchlist import (
    DEFAULT_WATCHLISTS,
    WatchlistHit,
    WatchlistMatcher,
    WatchlistSpec,
    default_specs,
)


def match(matcher: WatchlistMatcher, text: str) -> tuple[WatchlistHit, ...]:
    return matcher.match(normalize(text).tokens)


def test_a_root_term_fires_on_an_inflected_word_and_explains_why():
    matcher = WatchlistMatcher([WatchlistSpec(7, "black_campaign", ("curang",))])
    (hit,) = match(matcher, "Mereka mencurangi rakyat")
    assert hit == WatchlistHit(
        7, "black_campaign", "curang", "mencurangi", "me-…-i form of 'curang'"
    )


def test_a_phrase_matches_with_each_word_inflected():
    matcher = WatchlistMatcher([WatchlistSpec(1, "attack_organisers", ("kpu curang",))])
    (hit,) = match(matcher, "KPU mencurangi suara rakyat")
    assert hit.surface == "kpu mencurangi"
    assert "'mencurangi' is the me-…-i form of 'curang'" in hit.rule


def test_a_passive_phrase_word_matches_the_other_passive_forms():
    matcher = WatchlistMatcher([WatchlistSpec(1, "wrong_procedure", ("surat suara dicoblos",))])
    (hit,) = match(matcher, "Surat suara tercoblos di Malaysia!")
    assert hit.surface == "surat suara tercoblos"


def test_a_phrase_needs_its_words_next_to_each_other():
    matcher = WatchlistMatcher([WatchlistSpec(1, "attack_organisers", ("kpu curang",))])
    assert match(matcher, "KPU tidak curang") == ()


def test_a_phrase_consumes_its_words_so_single_terms_do_not_fire_on_them():
    matcher = WatchlistMatcher(
        [
            WatchlistSpec(1, "violence", ("serang",)),
            WatchlistSpec(2, "money_politics", ("serangan fajar",)),
        ]
    )
    hits = match(matcher, "Awas serangan fajar malam ini, massa menyerang rumah")
    assert [(h.category, h.surface) for h in hits] == [
        ("money_politics", "serangan fajar"),
        ("violence", "menyerang"),
    ]


def test_each_hit_is_reported_once_in_order_of_first_appearance():
    matcher = WatchlistMatcher([WatchlistSpec(1, "money_politics", ("suap", "amplop"))])
    hits = match(matcher, "amplop lagi, disuap, amplop, disuap")
    assert [h.surface for h in hits] == ["amplop", "disuap"]


def test_one_surface_can_fire_in_several_watchlists():
    matcher = WatchlistMatcher(
        [
            WatchlistSpec(1, "black_campaign", ("pki",)),
            WatchlistSpec(2, "sara", ("pki",)),
        ]
    )
    assert {h.watchlist_id for h in match(matcher, "dasar antek PKI")} == {1, 2}


def test_the_term_a_surface_equals_wins_within_a_watchlist():
    matcher = WatchlistMatcher([WatchlistSpec(1, "violence", ("serang", "serangan"))])
    (hit,) = match(matcher, "serangan brutal")
    assert hit.term == "serangan"
    assert hit.rule == "'serangan' itself"


def test_terms_are_normalised_like_posts():
    matcher = WatchlistMatcher([WatchlistSpec(1, "attack_organisers", ("kpu gak netral",))])
    (hit,) = match(matcher, "KPU tidak netral")
    assert hit.term == "kpu tidak netral"


def test_dpt_in_a_term_is_the_voter_list():
    matcher = WatchlistMatcher([WatchlistSpec(1, "wrong_procedure", ("dpt ganda",))])
    assert match(matcher, "ada DPT ganda di desa")[0].term == "dpt ganda"


def test_an_exact_term_does_not_fire_on_affixed_words():
    matcher = WatchlistMatcher([WatchlistSpec(1, "black_campaign", ("=ganjar",))])
    assert match(matcher, "ia diganjar penghargaan") == ()
    assert match(matcher, "Ganjarlah yang menang")[0].surface == "ganjarlah"


def test_no_watchlists_match_nothing():
    assert WatchlistMatcher([]).match(("kpu", "curang")) == ()


def test_default_watchlists_cover_the_seven_categories_with_about_thirty_terms():
    assert set(DEFAULT_WATCHLISTS) == {
        "sara",
        "money_politics",
        "black_campaign",
        "attack_organisers",
        "wrong_procedure",
        "violence",
        "hate_speech",
    }
    for terms in DEFAULT_WATCHLISTS.values():
        assert 25 <= len(terms) <= 35
        assert len(set(terms)) == len(terms)


def test_correct_voting_information_is_not_listed_as_wrong_procedure():
    assert "cukup pakai ktp" not in DEFAULT_WATCHLISTS["wrong_procedure"]


def test_default_watchlists_on_typical_posts(default_matcher):
    cases = {
        "Ada serangan fajar, dikasih amplop 50rb biar milih 02": "money_politics",
        "Bubarkan KPU! penyelenggara curang semua": "attack_organisers",
        "Katanya pemilu ditunda ke 2025, jangan percaya": "wrong_procedure",
        "Massa membakar ban dan mengancam petugas": "violence",
        "Jangan pilih kafir, pilih yang seiman": "sara",
        "Dasar cebong dan kampret, otak udang semua": "hate_speech",
        "Capres boneka itu pembohong dan koruptor": "black_campaign",
    }
    for text, category in cases.items():
        assert category in {h.category for h in default_matcher.match(normalize(text).tokens)}, text


def test_everyday_posts_do_not_fire_the_default_watchlists(default_matcher):
    for text in [
        "Aduh beras mahal banget, keras banget hidup ini",
        "Sejarah mencatat kalian hebat, beruang di kebun binatang lucu",
        "Saya sudah mencoblos di TPS 05, cukup bawa KTP karena terdaftar di DPT",
        "Terima kasih petugas KPPS yang sudah bekerja keras",
    ]:
        assert default_matcher.match(normalize(text).tokens) == (), text


def test_default_specs_number_the_watchlists_from_the_given_id():
    specs = default_specs(start_id=10)
    assert [s.id for s in specs] == list(range(10, 17))
    assert specs[0].category == "sara"
