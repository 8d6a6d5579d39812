"""The harm classifier on a toy task: learning, thresholds, explanations, errors."""

from __future__ import annotations

import numpy as np
import pytest

from saring.text.classify import Model, TrainingError, clean, train
from saring.text.classify.train import best_threshold

INSULTS = ["goblok", "bodoh", "tolol", "bego", "dungu"]
SUBJECTS = ["pejabat itu", "si budi", "orang ini", "menteri kita", "akun itu", "dia", "kamu"]
NEUTRAL = ["datang ke pasar", "makan nasi goreng", "ikut rapat warga", "membaca berita pagi"]


def toy_data() -> tuple[list[str], np.ndarray]:
    """Texts with an insult word are label 1 (first column); the second column marks texts
    that mention the market, to give the model two unrelated labels."""
    texts, rows = [], []
    for i, subject in enumerate(SUBJECTS):
        for j, insult in enumerate(INSULTS):
            texts.append(f"{subject} memang {insult} sekali")
            rows.append([1, 0])
            action = NEUTRAL[(i + j) % len(NEUTRAL)]
            texts.append(f"{subject} hari ini {action} bersama teman")
            rows.append([0, int("pasar" in action)])
    return texts, np.array(rows)


@pytest.fixture(scope="module")
def model() -> Model:
    texts, y = toy_data()
    return train(texts, y, ["insult", "market"], cv_folds=3)


def test_learns_a_toy_label(model: Model) -> None:
    new = ["pak lurah itu goblok sekali", "pak lurah sedang makan nasi goreng"]
    proba = model.predict_proba(new)
    assert proba.shape == (2, 2)
    assert proba[0, 0] > 0.5 > proba[1, 0]
    assert model.predict(new)[:, 0].tolist() == [1, 0]


def test_slang_and_elongation_reach_the_same_features(model: Model) -> None:
    # "gobloook" collapses to "goblok" in the normalised view.
    assert model.predict_proba(["pak lurah gobloook"])[0, 0] > 0.5


def test_thresholds_and_calibration(model: Model) -> None:
    assert all(0.05 <= t <= 0.95 for t in model.thresholds)
    proba = model.predict_proba(["dia bego", "ke pasar"])
    assert ((proba >= 0) & (proba <= 1)).all()
    assert model.info["metrics"]["insult"]["cv_f1"] > 0.9
    assert model.info["label_counts"] == {"insult": 35, "market": 7}
    assert model.info["distinct_rows"] == 70 - model.info["duplicates_merged"]


def test_best_threshold_picks_the_separating_value() -> None:
    y = np.array([0, 0, 0, 1, 1, 1])
    p = np.array([0.1, 0.2, 0.3, 0.6, 0.7, 0.8])
    threshold, f1, precision, recall = best_threshold(y, p)
    assert 0.3 < threshold <= 0.6
    assert f1 == precision == recall == 1.0


def test_explain_names_the_insult(model: Model) -> None:
    top = model.explain("menteri kita memang tolol", "insult", k=3)
    assert len(top) == 3
    assert top[0].weight >= top[1].weight >= top[2].weight > 0
    assert any("tolol" in c.term for c in top)
    with pytest.raises(KeyError, match="unknown label"):
        model.explain("x", "nope")


def test_predict_proba_rejects_a_single_string(model: Model) -> None:
    with pytest.raises(TypeError):
        model.predict_proba("dia bego")
    assert model.predict_proba([]).shape == (0, 2)


def test_clean_makes_sources_look_alike() -> None:
    assert clean("RT USER: bodoh \\xf0\\x9f\\x98\\x82 URL'") == "@user: bodoh 😂 http://url"
    assert clean("@budi_s lihat https://x.co/a") == "@user lihat https://x.co/a"
    assert clean("nyebut gw ðŸ˜­ bisa2nya") == "nyebut gw 😭 bisa2nya"
    assert clean("café") == "café"  # genuine Latin-1 letters are left alone


# -- bad training data --------------------------------------------------------------------------


def test_too_few_rows() -> None:
    with pytest.raises(TrainingError, match="at least 20") as caught:
        train(["a b", "c d"], [[0], [1]], ["x"])
    assert (caught.value.code, caught.value.params) == ("too_few_rows", {"rows": 2, "needed": 20})


def test_a_label_with_one_class() -> None:
    texts, y = toy_data()
    y[:, 1] = 0
    with pytest.raises(TrainingError, match="'market' has only one class") as caught:
        train(texts, y, ["insult", "market"])
    assert caught.value.code == "one_class"
    assert caught.value.params == {"label": "market", "only": "negative"}


def test_empty_texts() -> None:
    texts, y = toy_data()
    texts[3] = "   "
    with pytest.raises(TrainingError, match=r"1 empty texts \(rows 3\)"):
        train(texts, y, ["insult", "market"])


def test_shapes_and_values() -> None:
    texts, y = toy_data()
    with pytest.raises(TrainingError, match="label names"):
        train(texts, y, ["insult"])
    with pytest.raises(TrainingError, match="label rows"):
        train(texts[:-1], y, ["insult", "market"])
    with pytest.raises(TrainingError, match="only 0 and 1"):
        train(texts, y * 2, ["insult", "market"])


def test_contradicting_duplicates() -> None:
    texts, y = toy_data()
    texts += ["dia memang goblok sekali", "DIA memang goblok sekali!!"]  # same words
    y = np.vstack([y, [[0, 0], [0, 0]]])  # contradicts the first copy, labelled 1
    with pytest.raises(TrainingError, match="1 groups of duplicate texts") as caught:
        train(texts, y, ["insult", "market"], conflicts="error")
    assert (caught.value.code, caught.value.params) == ("conflicts", {"groups": 1})
    plain = train(*toy_data(), ["insult", "market"])
    merged = train(texts, y, ["insult", "market"], conflicts="majority")
    assert merged.info["conflicting_duplicate_groups"] == 1
    assert merged.info["duplicates_merged"] == plain.info["duplicates_merged"] + 2
    # one positive against two negatives: the group becomes negative
    assert merged.info["label_counts"]["insult"] == plain.info["label_counts"]["insult"] - 1
    dropped = train(texts, y, ["insult", "market"], conflicts="drop")
    assert dropped.info["distinct_rows"] == plain.info["distinct_rows"] - 1
