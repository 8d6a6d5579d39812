"""Drafting, approving and withdrawing guide content (helper: content)."""
