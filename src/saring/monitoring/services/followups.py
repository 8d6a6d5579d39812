"""What other contexts need to queue their own work after an import: the ids of the posts it
created, and id-range jobs queued in chunks once the import has committed (several workers
then share a large import, and uploads queued meanwhile are not held up)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Min

from saring.monitoring.models import Post


def created_span(run) -> tuple[int | None, int | None]:
    """First and last id of the posts `run` created (None, None when it created none)."""
    span = Post.objects.filter(first_run=run).aggregate(first=Min("id"), last=Max("id"))
    return span["first"], span["last"]


def enqueue_ranges(task, first: int, last: int, size: int) -> None:
    """On commit, `task.enqueue(start, end)` for consecutive id ranges of `size` ids."""

    def enqueue() -> None:
        for start in range(first, last + 1, size):
            task.enqueue(start, min(start + size - 1, last))

    transaction.on_commit(enqueue)
