"""Claim matching parts: analysis, char-grams, thresholds, fusion serialisation. Pure and fast."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from saring.text.matching import ALL_FEATURES, Fusion, FusionRule, Thresholds, load_rules
from saring.text.matching.chargrams import CharGramIndex, prepare
from saring.text.matching.embeddings import NullEmbedder, load_embedder, truncate_words
from saring.text.matching.lexical import LexicalIndex, analyze
from saring.text.matching.thresholds import (
    auto_threshold,
    choose_thresholds,
    retune,
    suggest_threshold,
)


def test_analyze_normalises_slang_stems_and_drops_stopwords():
    assert analyze("ss udh dicoblos duluan") == analyze("ss sudah dicoblos duluan")
    assert "coblos" in analyze("dicoblos")
    assert "curang" in analyze("#KPUCurang kecurangan")
    assert "yang" not in analyze("kotak suara yang dibobol")


def test_lexical_index_scores_and_updates():
    index = LexicalIndex(["surat suara sudah dicoblos", "server kpu di singapura"])
    scores = index.scores(analyze("kertas suara dicoblos"))
    assert scores[0] > scores[1] == 0
    index.add(["vaksin mengandung babi"])
    assert index.scores(analyze("babi"))[2] > 0
    index.remove(0)
    assert len(index) == 2
    assert index.scores(analyze("tidak dikenal sama sekali")).tolist() == [0, 0]


def test_chargrams_survive_misspelling():
    index = CharGramIndex(["kecurangan pemilu di tps", "vaksin mengandung babi"])
    scores = index.scores(prepare("kecurangn pemlu tps"))
    assert scores[0] > 0.3 > scores[1]


def test_auto_threshold_reaches_precision_with_support():
    scores = [0.99 - i * 0.01 for i in range(30)]
    correct = [True] * 20 + [False] + [True] * 9
    threshold = auto_threshold(scores, correct, precision=0.98)
    linked = [c for s, c in zip(scores, correct) if s >= threshold]
    assert sum(linked) / len(linked) >= 0.98
    assert len(linked) == 20
    # too few labelled links: never auto-link
    assert math.isinf(auto_threshold([0.9, 0.8], [True, True], 0.98))


def test_suggest_threshold_ignores_unretrieved_and_meets_recall():
    gold = [0.9, 0.8, 0.5, 0.2, -math.inf]
    threshold = suggest_threshold(gold, recall=0.75)
    assert threshold == 0.5
    assert Thresholds(auto=0.95, suggest=threshold).decide(0.6) == "suggest"


def test_thresholds_decide_and_roundtrip():
    t = choose_thresholds([0.99] * 12 + [0.4], [True] * 12 + [False], [0.99] * 12 + [0.1])
    assert t.decide(0.995) == "auto"
    assert t.decide(-1.0) == "none"
    assert Thresholds.from_dict(json.loads(json.dumps(t.to_dict()))) == t
    never = Thresholds()
    assert never.to_dict()["auto"] is None
    assert Thresholds.from_dict(never.to_dict()).decide(1.0) == "suggest"


def test_retune_from_reviewer_decisions():
    current = Thresholds(auto=0.99, suggest=0.3)
    decisions = [(0.9 + i * 0.001, True) for i in range(40)] + [(0.5, False), (0.6, True)]
    new = retune(decisions, current)
    assert new.auto <= 0.9
    assert new.suggest <= new.auto
    assert retune([], current) == current


def test_fusion_fit_and_json_roundtrip():
    rng = np.random.default_rng(0)
    table = rng.random((200, len(ALL_FEATURES)))
    labels = table[:, 0] > 0.7
    fusion = Fusion.fit(table, labels, ["bm25_norm", "char_cos"])
    scores = fusion.score(table)
    assert scores[labels].mean() > scores[~labels].mean()
    rule = FusionRule(fusion, Thresholds(auto=0.9, suggest=0.2))
    again = FusionRule.from_dict(json.loads(json.dumps(rule.to_dict())))
    assert np.allclose(again.fusion.score(table), scores, atol=1e-4)
    assert again.thresholds == rule.thresholds


def test_shipped_rules_load_and_hold_only_numbers():
    rules = load_rules()
    assert set(rules) == {"hybrid", "lexical"}
    assert "dense_cos" in rules["hybrid"].fusion.features
    assert not any(f.startswith("dense") for f in rules["lexical"].fusion.features)
    assert 0 < rules["hybrid"].thresholds.suggest <= rules["hybrid"].thresholds.auto <= 1


def test_null_embedder_and_loader():
    assert load_embedder("none").dim == 0
    assert NullEmbedder().encode_queries(["a", "b"]).shape == (2, 0)
    assert truncate_words("a b c d", 2) == "a b"
    assert truncate_words("a b", None) == "a b"


@pytest.mark.parametrize("spec", ["none", None, ""])
def test_load_embedder_none_specs(spec):
    assert isinstance(load_embedder(spec), NullEmbedder)


def test_gated_rule_json_roundtrip():
    rng = np.random.default_rng(1)
    table = rng.random((100, len(ALL_FEATURES)))
    labels = table[:, 0] > 0.6
    hybrid = Fusion.fit(table, labels, ["bm25_norm", "dense_cos"])
    lexical = Fusion.fit(table, labels, ["bm25_norm", "char_cos"])
    rule = FusionRule(hybrid, Thresholds(auto=0.9, suggest=0.2), gate=0.4, gate_fusion=lexical)
    again = FusionRule.from_dict(json.loads(json.dumps(rule.to_dict())))
    assert again.gate == pytest.approx(0.4)
    assert np.allclose(again.gate_fusion.score(table), lexical.score(table), atol=1e-4)
    plain = FusionRule.from_dict(FusionRule(hybrid, Thresholds()).to_dict())
    assert plain.gate is None and plain.gate_fusion is None


def test_shipped_hybrid_rule_has_a_lexical_gate():
    rule = load_rules()["hybrid"]
    assert rule.gate is not None and 0 < rule.gate < 1
    assert not any(f.startswith("dense") for f in rule.gate_fusion.features)
