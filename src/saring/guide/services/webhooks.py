"""Webhook subscriptions and signed deliveries (helper: webhooks)."""

from __future__ import annotations

from typing import Any


def enqueue(kind: str, ids: list[Any], *, action: str = "published") -> int:
    """Queue one delivery per active subscription for this event; returns how many."""
    return 0
