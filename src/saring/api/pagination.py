"""`{"count": N, "results": [...]}` pages, one way for every list of the API."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from saring.api.schemas import PageQuery


def page_of(
    queryset: QuerySet,
    query: PageQuery,
    render: Callable[[list[Any]], Iterable[Any]] | None = None,
) -> dict[str, Any]:
    """One page of an ordered queryset; `render` turns the page's rows into result items
    (called once per page, so it can fetch what the rows need in one query). A page past the
    last one is empty, not an error: `count` says how many there are."""
    start = (query.page - 1) * query.page_size
    rows = list(queryset[start : start + query.page_size])
    return {"count": queryset.count(), "results": list(render(rows) if render else rows)}
