"""What the factcheck context does after an import: queue, never run, its background work.

Kept apart from `matching` and `narratives` so that registering the hooks at start-up does not
load the matcher's libraries (scikit-learn, bm25s, the embedder) into every process.
"""

from __future__ import annotations

from saring.factcheck.models import Clarification
from saring.monitoring.services.followups import created_span, enqueue_ranges

CLUSTER_CHUNK = 5000  # posts per clustering job, so uploads queued meanwhile are not held up
MATCH_CHUNK = 2000  # posts per matching job (~1 min each)


def queue_clustering_of_run(run) -> None:
    """After an import: queue clustering of the posts it created, in chunks."""
    first, last = created_span(run)
    if first is None:
        return
    from saring.factcheck.tasks import cluster_posts_task

    enqueue_ranges(cluster_posts_task, first, last, CLUSTER_CHUNK)


def queue_matching_of_run(run) -> None:
    """After an import: queue matching of the posts it created, if there is anything to match."""
    if not Clarification.objects.filter(status="published").exists():
        return
    first, last = created_span(run)
    if first is None:
        return
    from saring.factcheck.tasks import match_new_posts_task

    enqueue_ranges(match_new_posts_task, first, last, MATCH_CHUNK)
