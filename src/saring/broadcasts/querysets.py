"""Broadcasts: querysets (helper: broadcasts)."""
