"""Narrative clustering: copies, paraphrases, stable ids, merges, splits, state, alerts."""

from __future__ import annotations

import base64
import json
import zlib

import numpy as np
import pytest

from saring.text.narratives import (
    Embedder,
    Merge,
    NarrativeClusterer,
    content_tokens,
    growth,
    growth_alert,
    jaccard,
    representative,
    shingles,
)
from saring.text.normalize import normalize

CLAIM = (
    "Surat suara sudah dicoblos sebelum hari pemungutan, videonya dari gudang logistik kecamatan"
)
COPY = (
    "BREAKING!! surat suara udah dicoblos sebelum hari pemungutan, videonya dari gudang "
    "logistik kecamatan #viral"
)
PARAPHRASE = (
    "Kertas pemilihan telah ditusuk duluan menjelang hari pencoblosan, rekaman dari depo logistik"
)
OTHER = "Harga beras naik terus di pasar, rakyat kecil makin susah beli kebutuhan pokok"
OTHER2 = "Tiket konser girlgroup ludes dalam lima menit, war tiket gagal total hari ini"

# Fake embedder: words of the same concept get the same axis, so a paraphrase written with
# synonyms has cosine ~1 with the claim and unrelated texts are (near) orthogonal.
CONCEPTS = [
    {"surat", "kertas"},
    {"suara", "pemilihan"},
    {"dicoblos", "ditusuk"},
    {"sebelum", "duluan", "menjelang"},
    {"pemungutan", "pencoblosan"},
    {"videonya", "rekaman"},
    {"gudang", "depo"},
    {"logistik"},
    {"harga", "beras", "pasar"},
    {"tiket", "konser"},
]
DIM = len(CONCEPTS) + 32


class FakeEmbedder:
    def __init__(self) -> None:
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for w in text.split():
                hit = [k for k, group in enumerate(CONCEPTS) if w in group]
                if hit:
                    out[i, hit[0]] += 1.0
                else:  # other words: a small weight on one of 32 hashed axes
                    out[i, len(CONCEPTS) + zlib.crc32(w.encode()) % 32] += 0.05
            out[i] /= np.linalg.norm(out[i])
        return out


def tok(text: str) -> tuple[str, ...]:
    return normalize(text).tokens


def words(a: int, b: int) -> list[str]:
    return [f"kata{i}" for i in range(a, b)]


def test_shingles_ignore_placeholders_and_whole_tags():
    t = tok("Cek di kpu.go.id @budi #PemiluDamai 😭")
    assert "<url>" in t and "#pemiludamai" in t
    assert shingles(t) == {"cek di", "di pemilu", "pemilu damai"}
    assert content_tokens(t) == ["cek", "pemilu", "damai"]
    assert jaccard({"a"}, {"a", "b"}) == 0.5


def test_copies_with_small_edits_join():
    c = NarrativeClusterer()
    a = c.add("p1", tok(CLAIM))
    b = c.add("p2", tok(COPY))
    assert (a.how, a.narrative_id) == ("new", 1)
    assert (b.how, b.narrative_id) == ("copy", 1)
    assert b.similarity >= 0.6


def test_unrelated_posts_do_not_join():
    c = NarrativeClusterer(embedder=FakeEmbedder())
    ids = {c.add(i, tok(t)).narrative_id for i, t in enumerate([CLAIM, OTHER, OTHER2])}
    assert ids == {1, 2, 3}


def test_paraphrase_joins_only_with_an_embedder():
    plain = NarrativeClusterer()
    plain.add("p1", tok(CLAIM))
    assert plain.add("p2", tok(PARAPHRASE)).how == "new"

    emb = FakeEmbedder()
    assert isinstance(emb, Embedder)
    c = NarrativeClusterer(embedder=emb)
    c.add("p1", tok(CLAIM))
    got = c.add("p2", tok(PARAPHRASE))
    assert (got.how, got.narrative_id) == ("paraphrase", 1)
    assert got.similarity >= 0.85
    assert c.add("p3", tok(OTHER)).how == "new"


def test_paraphrase_with_given_embeddings_and_no_embedder():
    e = FakeEmbedder().encode([normalize(t).text for t in (CLAIM, PARAPHRASE)])
    c = NarrativeClusterer()
    c.add("p1", tok(CLAIM), embedding=e[0])
    assert c.add("p2", tok(PARAPHRASE), embedding=e[1]).how == "paraphrase"
    assert c.centroid(1) is not None
    assert c.centroid(1).shape == (DIM,)


def test_add_many_embeds_each_batch_once():
    emb = FakeEmbedder()
    c = NarrativeClusterer(embedder=emb)
    posts = [(i, tok(t)) for i, t in enumerate([CLAIM, PARAPHRASE, OTHER, COPY, "ok"])]
    got = c.add_many(posts, batch_size=10)
    assert emb.calls == 1
    assert [a.how for a in got] == ["new", "paraphrase", "new", "copy", "too_short"]
    assert [a.narrative_id for a in got] == [1, 1, 2, 1, None]


def test_ids_never_change_on_growth():
    c = NarrativeClusterer()
    first = c.add("p0", tok(CLAIM)).narrative_id
    other = c.add("q0", tok(OTHER)).narrative_id
    for i in range(1, 60):
        extra = f" tolong share ke {i} grup" if i % 2 else f" sebarkan {i}"
        assert c.add(f"p{i}", tok(CLAIM + extra)).narrative_id == first
        assert c.add(f"q{i}", tok(OTHER + f" hari ke {i}")).narrative_id == other
    assert c.sizes() == {first: 60, other: 60}
    assert c.merges == []
    assert c.add("p5", tok(OTHER)).how == "known"  # a known post id keeps its narrative
    assert c.narrative_of("p5") == first


def test_merge_keeps_the_older_id_and_records_it():
    # A and B share little; C overlaps both, so it links them.
    c = NarrativeClusterer(threshold_copy=0.5, num_perm=128)
    a, b, m = words(0, 20), words(10, 30), words(5, 25)
    assert jaccard(shingles(a), shingles(b)) < 0.35
    assert jaccard(shingles(m), shingles(a)) > 0.55 < jaccard(shingles(m), shingles(b))
    assert c.add("a", a).narrative_id == 1
    assert c.add("b", b).narrative_id == 2
    got = c.add("m", m)
    assert (got.how, got.narrative_id) == ("copy", 1)
    assert len(c.merges) == 1
    merge = c.merges[0]
    assert isinstance(merge, Merge)
    assert (merge.survivor, merge.absorbed, merge.at_post) == (1, 2, "m")
    assert merge.similarity >= 0.5
    assert c.resolve(2) == 1 and c.resolve(1) == 1
    assert c.narrative_of("b") == 1
    assert c.sizes() == {1: 3}
    assert sorted(c.members(2)) == ["a", "b", "m"]
    assert c.add("b2", words(10, 30)).narrative_id == 1  # copies of B now go to 1


def test_split_creates_a_new_id_and_is_not_undone():
    c = NarrativeClusterer(threshold_copy=0.5, num_perm=128)
    a, b, m = words(0, 20), words(10, 30), words(5, 25)
    for pid, t in (("a", a), ("a2", a), ("b", b), ("b2", b), ("m", m)):
        c.add(pid, t)
    assert c.sizes() == {1: 5}
    new = c.split(1, ["b", "b2"])
    assert new == 3  # ids are never reused: 2 was absorbed by the merge
    assert c.sizes() == {1: 3, 3: 2}
    assert sorted(c.members(new)) == ["b", "b2"]
    assert c.splits[0].source == 1 and c.splits[0].post_ids == ("b", "b2")
    assert c.add("b3", b).narrative_id == new  # copies of the split-off posts follow them
    got = c.add("m2", m)  # links both parts again, but a reviewer separated them
    assert got.narrative_id == 1
    assert c.sizes() == {1: 4, 3: 3}
    with pytest.raises(ValueError):
        c.split(1, ["b"])  # not a member
    with pytest.raises(ValueError):
        c.split(new, ["b", "b2", "b3"])  # would empty the narrative


def test_split_moves_centroid_share_with_embeddings():
    emb = FakeEmbedder()
    c = NarrativeClusterer(embedder=emb)
    c.add("p1", tok(CLAIM))
    c.add("p2", tok(PARAPHRASE))
    c.add("p3", tok(COPY))
    new = c.split(1, ["p2"], embeddings=emb.encode([normalize(PARAPHRASE).text]))
    assert c.centroid(new) is not None
    cent = c.centroid(1)
    claim = emb.encode([normalize(CLAIM).text])[0]
    assert float(cent @ claim) > 0.99


def test_too_short_posts_are_not_clustered():
    c = NarrativeClusterer()
    got = c.add("s", tok("wkwk setuju bgt 😂 #viral @budi"))
    assert (got.how, got.narrative_id) == ("too_short", None)
    assert len(c) == 0 and c.sizes() == {}
    assert c.add("s2", tok("Pemilu damai, kpu jujur, tps aman sentosa")).how == "new"


def test_state_round_trip_through_json():
    emb = FakeEmbedder()
    c = NarrativeClusterer(threshold_copy=0.5, num_perm=128, embedder=emb)
    a, b, m = words(0, 20), words(10, 30), words(5, 25)
    for pid, t in (("a", a), ("b", b), ("m", m), ("c", tok(CLAIM)), ("o", tok(OTHER))):
        c.add(pid, t)
    assert [(m.survivor, m.absorbed) for m in c.merges] == [(1, 2)]
    assert c.split(1, ["b"]) == 5
    state = c.to_state()
    wire = json.dumps(
        {k: base64.b64encode(v).decode() if isinstance(v, bytes) else v for k, v in state.items()}
    )
    back = {
        k: base64.b64decode(v) if isinstance(state[k], bytes) else v
        for k, v in json.loads(wire).items()
    }
    d = NarrativeClusterer.from_state(back, embedder=emb)
    assert d.sizes() == c.sizes()
    assert d.merges == c.merges and d.splits == c.splits
    assert d.resolve(2) == c.resolve(2) == 1
    assert d.narrative_of("b") == c.narrative_of("b")
    np.testing.assert_allclose(d.centroid(4), c.centroid(4), atol=1e-6)
    for pid, text in (("x1", COPY), ("x2", PARAPHRASE), ("x3", OTHER2)):
        assert d.add(pid, tok(text)) == c.add(pid, tok(text))
    assert d.add("x4", m) == c.add("x4", m)  # the split still blocks re-merging
    assert d.to_state() == c.to_state()
    with pytest.raises(ValueError):
        NarrativeClusterer.from_state({**state, "version": 99})


def test_growth_and_alert():
    assert growth([1, 1, 1, 5, 10, 20], window=3) == growth([0, 1, 1, 1, 5, 10, 20], window=3)
    g = growth([1, 1, 1, 5, 10, 20], window=3)
    assert (g.recent, g.previous, g.ratio) == (35, 3, 35 / 3)
    assert growth_alert([1, 1, 1, 5, 10, 20], threshold=3, window=3, min_count=20)
    assert not growth_alert([1, 1, 1, 5, 10, 20], threshold=3, window=3, min_count=50)
    assert not growth_alert([10, 10, 10, 12, 11, 14], threshold=3, window=3, min_count=5)
    assert not growth_alert([0, 0, 1, 1, 2], threshold=3, window=2, min_count=20)  # tiny
    assert growth_alert([0] * 10 + [30], threshold=3, window=6, min_count=20)  # brand new
    assert growth(
        [],
        window=6,
    ) == growth([0], window=6)
    with pytest.raises(ValueError):
        growth([1], window=0)


def test_representative_is_the_medoid():
    posts = [tok(t) for t in (OTHER, CLAIM + " tolong share", CLAIM, COPY, CLAIM + " sebarkan")]
    assert representative(posts) == 2
    assert representative(posts[:1]) == 0
    many = [tok(CLAIM + f" versi {i % 7}") for i in range(500)] + [tok(OTHER)]
    i = representative(many, sample=50)
    assert 0 <= i < 500 and i == representative(many, sample=50)
    with pytest.raises(ValueError):
        representative([])


def test_embedding_mean_is_subtracted_and_kept_in_state():
    mean = np.full(DIM, 0.1, dtype=np.float32)
    c = NarrativeClusterer(embedder=FakeEmbedder(), embedding_mean=mean)
    c.add("p1", tok(CLAIM))
    e = FakeEmbedder().encode([normalize(CLAIM).text])[0] - mean
    np.testing.assert_allclose(c.centroid(1), e / np.linalg.norm(e), atol=1e-6)
    d = NarrativeClusterer.from_state(c.to_state(), embedder=FakeEmbedder())
    np.testing.assert_allclose(d.embedding_mean, mean)
    assert d.add("p2", tok(PARAPHRASE)) == c.add("p2", tok(PARAPHRASE))


def test_embedder_is_not_called_for_copies():
    emb = FakeEmbedder()
    c = NarrativeClusterer(embedder=emb)
    c.add("p1", tok(CLAIM))
    assert emb.calls == 1
    assert c.add("p2", tok(COPY)).how == "copy"
    assert emb.calls == 1
    c.add_many([("p3", tok(COPY + " sebarkan")), ("p4", tok(CLAIM))], batch_size=10)
    assert emb.calls == 1  # both have a copy in the index: no encode call for the batch
    assert c.add("p5", tok(PARAPHRASE)).how == "paraphrase"
    assert emb.calls == 2


def test_from_state_overrides():
    c = NarrativeClusterer()
    c.add("p1", tok(CLAIM))
    mean = np.zeros(DIM, dtype=np.float32)
    d = NarrativeClusterer.from_state(c.to_state(), threshold_paraphrase=0.7, embedding_mean=mean)
    assert d.threshold_paraphrase == 0.7 and d.embedding_mean is not None
    d.add("p2", tok(OTHER), embedding=FakeEmbedder().encode([normalize(OTHER).text])[0])
    with pytest.raises(ValueError):
        NarrativeClusterer.from_state(d.to_state(), embedding_mean=mean)
