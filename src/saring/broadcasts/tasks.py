"""Broadcasts: tasks (helper: broadcasts)."""
