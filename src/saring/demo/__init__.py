"""Synthetic demo data for Saring: a deterministic Pemilu 2024 social-media data set.

``generate`` yields lines of Saring's generic JSONL schema; ``write_jsonl`` writes them to a
file; ``generate_labelled`` adds the ground-truth label of each line. ``NARRATIVES`` lists the
recurring hoax narratives with their slugs, claims and clarification facts.
"""

from saring.demo.generator import generate, generate_labelled, write_jsonl
from saring.demo.narratives import BY_SLUG, NARRATIVES

__all__ = ["BY_SLUG", "NARRATIVES", "generate", "generate_labelled", "write_jsonl"]
