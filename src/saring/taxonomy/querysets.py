"""Reads of the harm taxonomy, for every context."""

from __future__ import annotations

from django.db.models import QuerySet

from saring.taxonomy.models import HarmCategory


def categories() -> QuerySet[HarmCategory]:
    """Every category in display order (top-level ones and their details)."""
    return HarmCategory.objects.order_by("order", "code")


def names_by_code(language: str) -> dict[str, str]:
    return {c.code: c.name(language) for c in HarmCategory.objects.all()}
