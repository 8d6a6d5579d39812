"""Narratives: incremental near-duplicate clustering of posts with stable ids (issue #3).

``NarrativeClusterer`` groups posts by copy (MinHash LSH on word bigrams) and, when embeddings
are available, by paraphrase (nearest narrative centroid). ``growth_alert`` and
``representative`` are small pure helpers. See ``docs/narratives.md``.
"""

from saring.text.narratives.clusterer import (
    Assignment,
    Embedder,
    Merge,
    NarrativeClusterer,
    Split,
)
from saring.text.narratives.shingles import content_tokens, jaccard, lsh_params, shingles
from saring.text.narratives.signals import Growth, growth, growth_alert, representative

__all__ = [
    "Assignment",
    "Embedder",
    "Growth",
    "Merge",
    "NarrativeClusterer",
    "Split",
    "content_tokens",
    "growth",
    "growth_alert",
    "jaccard",
    "lsh_params",
    "representative",
    "shingles",
]
