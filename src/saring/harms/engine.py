"""The harms context's one door to `saring.text.classify` (fit, save, load, predict, explain).

Keeps the Django side independent of the classifier's internals and loads scikit-learn only in
the processes that train or score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saring.text.classify import MIN_ROWS, Model, ModelFormatError, TrainingError, train

__all__ = [
    "MIN_ROWS",
    "Fitted",
    "ModelFormatError",
    "TrainingError",
    "explain",
    "fit",
    "load",
    "predict",
    "read_labelled_csv",
    "save",
]


@dataclass(frozen=True)
class Fitted:
    model: Model
    metrics: dict  # for the Models page: per label and macro-F1 on held-out folds
    label_counts: dict[str, int]  # positive examples per label
    data_sha256: str  # of the training texts and labels, as the classifier computed it


def fit(texts: Sequence[str], rows: Sequence[Sequence[int]], codes: Sequence[str]) -> Fitted:
    if not codes:
        raise TrainingError("no label has a positive example yet", code="no_labels")
    model = train(list(texts), np.asarray(rows, dtype=np.int8), list(codes))
    info = model.info
    per_label = {
        code: {
            "positives": info["label_counts"][code],
            "f1": m["cv_f1"],
            "precision": m["cv_precision"],
            "recall": m["cv_recall"],
            "threshold": m["threshold"],
        }
        for code, m in info["metrics"].items()
    }
    metrics = {
        "labels": per_label,
        "macro_f1": round(float(np.mean([m["f1"] for m in per_label.values()])), 4),
        "rows": info["rows"],
        "distinct_rows": info["distinct_rows"],
        "conflicting_duplicate_groups": info["conflicting_duplicate_groups"],
        "seconds": info["seconds"]["total"],
    }
    return Fitted(model, metrics, dict(info["label_counts"]), info["data_sha256"])


def save(model: Model, path: Path) -> None:
    model.save(path)


def load(path: str) -> Model:
    if not path or not Path(path).exists():
        raise ModelFormatError(f"model file {path or '(none)'} is missing")
    return Model.load(path)


def predict(model: Model, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    return model.predict_proba(list(texts)), np.asarray(model.thresholds, dtype=np.float64)


def explain(model: Model, text: str, label_index: int, k: int = 5) -> list[str]:
    """The distinct terms that raised the label's score most."""
    terms: list[str] = []
    for item in model.explain(text, model.labels[label_index], k=2 * k):
        if item.term not in terms and item.view != "dense":
            terms.append(item.term)
    return terms[:k]


def read_labelled_csv(path: str | Path) -> tuple[list[str], dict[str, list[int]]]:
    """Texts and 0/1 columns of a training CSV (UTF-8 or latin-1); TrainingError names the
    file and the columns found when it cannot be used."""
    from saring.evaluation.classify_eval import DataError
    from saring.evaluation.classify_eval import read_labelled_csv as read

    try:
        data = read(path)
    except DataError as error:
        raise TrainingError(str(error), code=error.code, **error.params) from error
    return data.texts, {name: values.tolist() for name, values in data.labels.items()}
