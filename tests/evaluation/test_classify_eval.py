"""Harm-classifier evaluation on toy CSV files: reading, errors, a train/test report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from saring.evaluation.classify_eval import (
    DataError,
    _dedup,
    evaluate_train_test,
    format_report,
    read_labelled_csv,
)

ROWS = [(f"{w} memang {x} sekali", 1, 0) for w in "abcdefgh" for x in ("goblok", "tolol")] + [
    (f"{w} pergi ke {x} pagi", 0, int(x == "pasar"))
    for w in "abcdefgh"
    for x in ("pasar", "kantor")
]


def _write(path: Path, header: str, rows: list[tuple[str, int, int]], encoding: str) -> Path:
    lines = [header] + [f'"{t}",{a},{b}' for t, a, b in rows]
    path.write_bytes("\n".join(lines).encode(encoding))
    return path


def test_reads_latin1_with_literal_escapes(tmp_path: Path) -> None:
    rows = [("caf\u00e9 \\xf0\\x9f\\x98\\x82 bodoh", 1, 0), ("biasa saja", 0, 1)]
    data = read_labelled_csv(_write(tmp_path / "a.csv", "Tweet,HS,Abusive", rows, "latin-1"))
    assert data.encoding == "latin-1"
    assert data.texts[0].startswith("caf\u00e9 ")
    assert data.column("HS").tolist() == [1, 0]
    assert data.matrix(["HS", "Abusive"]).tolist() == [[1, 0], [0, 1]]


def test_reads_utf8_and_other_text_columns(tmp_path: Path) -> None:
    rows = [("😭 kesel", 1, 0), ("oke", 0, 0)]
    data = read_labelled_csv(_write(tmp_path / "b.csv", "comment_text,insult,x", rows, "utf-8"))
    assert data.encoding == "utf-8"
    assert data.texts[0] == "😭 kesel"
    assert sorted(data.labels) == ["insult", "x"]


def test_wrong_columns_name_the_file_and_columns(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.csv", "kalimat,HS,Abusive", [("x", 1, 0)], "utf-8")
    with pytest.raises(DataError, match=r"c\.csv: no text column.*\['kalimat', 'HS', 'Abusive'\]"):
        read_labelled_csv(path)
    ok = _write(tmp_path / "d.csv", "text,HS,Abusive", [("x", 1, 0)], "utf-8")
    with pytest.raises(DataError, match=r"d\.csv: no label column 'Toxic'"):
        read_labelled_csv(ok).column("Toxic")


def test_non_binary_columns_are_not_labels(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("text,HS,score\nx,1,0.7\ny,0,3\n", encoding="utf-8")
    assert sorted(read_labelled_csv(path).labels) == ["HS"]


def test_dedup_removes_seen_test_texts() -> None:
    texts = ["Dia BEGO!!", "dia bego", "hari cerah"]
    y = np.array([1, 1, 0])
    kept, kept_y, test, _, removed = _dedup(texts, y, ["dia bego sekali", "DIA bego"], y[:2])
    assert kept == ["Dia BEGO!!", "hari cerah"] and kept_y.tolist() == [1, 0]
    assert test == ["dia bego sekali"] and removed == 1


def test_train_test_report(tmp_path: Path) -> None:
    train_csv = _write(tmp_path / "train.csv", "Tweet,HS,Market", ROWS, "latin-1")
    test_rows = [("pak lurah memang goblok", 1, 0), ("pak lurah pergi ke pasar", 0, 1)]
    test_csv = _write(tmp_path / "test.csv", "text,HS,Market", test_rows, "utf-8")
    report = evaluate_train_test(train_csv, test_csv, "HS")
    result = report["result"]
    assert result["saring"]["f1"] == 100.0
    assert result["train_rows"] == 32 and result["test_rows"] == 2
    table = format_report(report)
    assert "Saring" in table and "baseline" in table and "HS" in table
