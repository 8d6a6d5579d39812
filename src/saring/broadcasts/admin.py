"""Broadcasts: admin (helper: broadcasts)."""
