"""What the factcheck context does after an import: queue, never run, its background work.

Kept apart from `matching` and `narratives` so that registering the hooks at start-up does not
load the matcher's libraries (scikit-learn, bm25s, the embedder) into every process.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Min

from saring.factcheck.models import Clarification
from saring.monitoring.models import Post

CLUSTER_CHUNK = 5000  # posts per clustering job, so uploads queued meanwhile are not held up
MATCH_CHUNK = 2000  # posts per matching job (~1 min each)


def _span(run) -> tuple[int | None, int | None]:
    span = Post.objects.filter(first_run=run).aggregate(first=Min("id"), last=Max("id"))
    return span["first"], span["last"]


def queue_clustering_of_run(run) -> None:
    """After an import: queue clustering of the posts it created, in chunks."""
    first, last = _span(run)
    if first is None:
        return
    from saring.factcheck.tasks import cluster_posts_task

    def enqueue() -> None:
        for start in range(first, last + 1, CLUSTER_CHUNK):
            cluster_posts_task.enqueue(start, min(start + CLUSTER_CHUNK - 1, last))

    transaction.on_commit(enqueue)


def queue_matching_of_run(run) -> None:
    """After an import: queue matching of the posts it created, if there is anything to match."""
    if not Clarification.objects.filter(status="published").exists():
        return
    first, last = _span(run)
    if first is None:
        return
    from saring.factcheck.tasks import match_new_posts_task

    def enqueue() -> None:  # in chunks, so several workers share a large import
        for start in range(first, last + 1, MATCH_CHUNK):
            match_new_posts_task.enqueue(start, min(start + MATCH_CHUNK - 1, last))

    transaction.on_commit(enqueue)
