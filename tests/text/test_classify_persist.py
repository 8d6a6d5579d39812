"""Saving and loading classifier models: round trip, atomic writes, version and corruption."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from saring.text.classify import FORMAT_VERSION, Model, ModelFormatError, load_model, train

TEXTS = [f"{who} memang {word} sekali" for who in "abcdefg" for word in ("goblok", "tolol")] + [
    f"{who} pergi ke {place} pagi ini" for who in "abcdefg" for place in ("pasar", "kantor")
]
LABELS = np.array([[1]] * 14 + [[0]] * 14)


@pytest.fixture(scope="module")
def model() -> Model:
    return train(TEXTS, LABELS, ["insult"])


def _rewrite(path: Path, change_meta: dict[str, object]) -> None:
    """Re-save the archive at ``path`` with metadata keys replaced."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(arrays["meta"].tobytes()) | change_meta
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with path.open("wb") as handle:
        np.savez(handle, **arrays)


def test_round_trip(model: Model, tmp_path: Path) -> None:
    path = model.save(tmp_path / "sub" / "harm.npz")
    assert [p.name for p in path.parent.iterdir()] == ["harm.npz"]  # no temporary left behind
    loaded = load_model(path)
    probe = ["dia memang goblok", "pergi ke pasar", "kata baru sama sekali"]
    assert np.allclose(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded.labels == ["insult"]
    assert loaded.thresholds.tolist() == model.thresholds.tolist()
    assert loaded.info["data_sha256"] == model.info["data_sha256"]
    assert loaded.explain("dia memang goblok", "insult") == model.explain(
        "dia memang goblok", "insult"
    )


def test_saving_again_replaces_the_file(model: Model, tmp_path: Path) -> None:
    path = tmp_path / "harm.npz"
    path.write_bytes(b"old")
    model.save(path)
    assert load_model(path).labels == ["insult"]


def test_other_format_version(model: Model, tmp_path: Path) -> None:
    path = model.save(tmp_path / "harm.npz")
    _rewrite(path, {"format_version": FORMAT_VERSION + 1})
    with pytest.raises(ModelFormatError, match=f"format version {FORMAT_VERSION + 1}"):
        load_model(path)


def test_not_a_model(model: Model, tmp_path: Path) -> None:
    path = model.save(tmp_path / "harm.npz")
    _rewrite(path, {"format": "something-else"})
    with pytest.raises(ModelFormatError, match="something-else"):
        load_model(path)


def test_corrupt_files(model: Model, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip archive at all")
    with pytest.raises(ModelFormatError, match=r"garbage\.npz"):
        load_model(garbage)
    whole = model.save(tmp_path / "harm.npz").read_bytes()
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(ModelFormatError):
        load_model(truncated)


def test_inconsistent_shapes(model: Model, tmp_path: Path) -> None:
    path = model.save(tmp_path / "harm.npz")
    _rewrite(path, {"labels": ["insult", "extra"]})
    with pytest.raises(ModelFormatError, match="shapes"):
        load_model(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "absent.npz")


class FakeEmbedder:
    """Four deterministic dimensions: whether an insult word is present, and padding."""

    dim = 4
    name = "fake"

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return self.encode_passages(texts)

    def encode_passages(self, texts: list[str]) -> np.ndarray:
        hit = [float(any(w in t for w in ("goblok", "tolol"))) for t in texts]
        return np.array([[h, 1 - h, 0.5, 0.5] for h in hit], dtype=np.float32)


def test_embeddings_round_trip(tmp_path: Path) -> None:
    embedder = FakeEmbedder()
    model = train(TEXTS, LABELS, ["insult"], embedder=embedder, dense_weight=2.0)
    assert model.dense_coef is not None and model.dense_coef.shape == (1, 4)
    assert model.info["embedder"] == "fake"
    loaded = load_model(model.save(tmp_path / "dense.npz"), embedder=embedder)
    probe = ["dia tolol", "ke kantor"]
    assert np.allclose(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded.dense_weight == 2.0
