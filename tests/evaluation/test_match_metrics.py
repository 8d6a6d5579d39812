"""Metric functions and data building of the claim-matching evaluation, on toy data."""

from __future__ import annotations

import csv

import pytest

from saring.evaluation.claim_data import (
    ClaimData,
    extract_narasi,
    slug_key,
    split_side,
    title_from_url,
    write_claim_data,
)
from saring.evaluation.match_eval import (
    Ranking,
    auto_link,
    bm25_plain,
    machine,
    mrr,
    read_clarifications,
    read_posts,
    recall_at,
    rrf,
    synthetic_clarifications,
)

RANKINGS = [
    Ranking(["a", "b", "c"], [0.9, 0.5, 0.1], "a"),  # rank 0
    Ranking(["b", "a", "c"], [0.8, 0.4, 0.1], "a"),  # rank 1
    Ranking(["c", "b", "d"], [0.3, 0.2, 0.1], "a"),  # not found
    Ranking(["d", "e", "f"], [0.95, 0.2, 0.1], "x"),  # not found, confident
]


def test_recall_and_mrr():
    assert recall_at(RANKINGS, 1) == 0.25
    assert recall_at(RANKINGS, 2) == 0.5
    assert mrr(RANKINGS) == pytest.approx((1 + 0.5) / 4)
    assert recall_at([], 1) == 0.0


def test_auto_link_precision_and_recall():
    precision, recall, linked = auto_link(RANKINGS, 0.85)
    assert (precision, recall, linked) == (0.5, 0.25, 2)
    assert auto_link(RANKINGS, 0.99) == (1.0, 0.0, 0)


def test_rrf_rewards_agreement():
    one = [Ranking(["a", "b"], [2, 1], "b")]
    two = [Ranking(["b", "c"], [0.9, 0.1], "b")]
    fused = rrf(one, two)[0]
    assert fused.ids[0] == "b"
    assert fused.gold == "b"


def test_bm25_plain_baseline_on_toy_files():
    clar = [("1", "surat suara dicoblos"), ("2", "server kpu di singapura")]
    rankings = bm25_plain(clar, [("server kpu", "2"), ("surat suara", "1")])
    assert [r.ids[0] for r in rankings] == ["2", "1"]


def test_synthetic_clarifications_and_machine():
    synthetic = synthetic_clarifications([("1", "a b c"), ("2", "d e")], 5)
    assert len(synthetic) == 5
    assert len({c for c, _ in synthetic}) == 5
    assert machine()["cores"]


def test_split_is_by_clarification_and_stable():
    assert slug_key("KPU: Server di Singapura!") == "kpu-server-di-singapura"
    assert split_side("abc", 1) == split_side("abc", 1)
    sides = {split_side(f"key-{i}") for i in range(50)}
    assert sides == {"tune", "test"}


def test_turnbackhoax_parsing():
    url = "https://turnbackhoax.id/2019/07/28/salah-politisi-pdip-negara-akan-hancur/"
    assert title_from_url(url) == "politisi pdip negara akan hancur"
    assert title_from_url("https://turnbackhoax.id/2019/01/01/24659/") is None
    body = (
        "Kategori: Konten ===== Narasi: “Surat suara sudah dicoblos di Jakarta” "
        "===== Penjelasan: tidak benar."
    )
    assert extract_narasi(body) == "Surat suara sudah dicoblos di Jakarta"
    assert extract_narasi("menurut narasi yang beredar ini salah") is None


def test_written_files_read_back(tmp_path):
    data = ClaimData("toy", {"t-1": "judul satu"}, [("post satu", "t-1", "tune")])
    write_claim_data(data, tmp_path)
    assert read_clarifications(tmp_path / "toy-clarifications.csv") == [("t-1", "judul satu")]
    assert read_posts(tmp_path / "toy-posts-tune.csv") == [("post satu", "t-1")]
    with (tmp_path / "toy-posts-test.csv").open() as handle:
        assert list(csv.reader(handle)) == [["text", "claim_id"]]


def test_fit_rules_on_toy_data_gives_a_gated_hybrid_rule():
    import numpy as np

    from saring.evaluation.match_eval import fit_rules

    class ToyEmbedder:
        dim, name = 4, "toy"

        def _vectors(self, texts):
            rows = [np.random.default_rng(len(t)).random(self.dim) for t in texts]
            return np.array(rows, dtype=np.float32).reshape(-1, self.dim)

        encode_queries = encode_passages = _vectors

    words = ["server", "vaksin", "kardus", "tinta", "swiss", "pemilih", "ktp", "coblos"]
    clarifications = [(f"c{i}", f"{w} hoaks berita nomor {i}") for i, w in enumerate(words)]
    posts = [(f"katanya {w} itu {extra}", f"c{i}") for i, w in enumerate(words) for extra in "ab"]
    rules = fit_rules(clarifications, posts, ToyEmbedder(), skip=0.5)
    assert set(rules) == {"hybrid", "lexical"}
    assert rules["hybrid"].gate is not None
    assert rules["hybrid"].gate_fusion.features == rules["lexical"].fusion.features
    assert 0 <= rules["hybrid"].thresholds.suggest <= 1


def test_dense_baseline_sees_more_words_than_saring():
    import numpy as np

    from saring.evaluation.match_eval import DENSE_BASELINE_WORDS, CachingEmbedder, dense_only

    class Recording:
        dim, name, query_words = 2, "rec", 8

        def __init__(self):
            self.seen = []

        def encode_queries(self, texts):
            self.seen += [" ".join(t.split()[: self.query_words]) for t in texts]
            return np.ones((len(texts), 2), dtype=np.float32)

        def encode_passages(self, texts):
            return np.ones((len(texts), 2), dtype=np.float32)

    inner = Recording()
    embedder = CachingEmbedder(inner)
    post = " ".join(f"w{i}" for i in range(200))
    dense_only([("c1", "a b")], [(post, "c1")], embedder)
    assert inner.seen == [" ".join(post.split()[:DENSE_BASELINE_WORDS])]
    assert embedder.query_words == inner.query_words == 8
