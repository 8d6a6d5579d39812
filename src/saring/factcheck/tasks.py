"""Background jobs of the factcheck context (thin wrappers over factcheck.matching)."""

from django_tasks import task

from saring.factcheck import matching, narratives

# Imports run first (priority 0); matching and clustering wait behind them.
BACKGROUND = -10


@task(priority=BACKGROUND)
def match_new_posts_task(first_id: int, last_id: int) -> int:
    return matching.match_new_posts(first_id, last_id)


@task(priority=BACKGROUND)
def match_clarification_task(clarification_id: int) -> int:
    return matching.match_clarification(clarification_id)


@task(priority=BACKGROUND)
def cluster_posts_task(first_id: int, last_id: int) -> int:
    return narratives.cluster_posts(first_id, last_id)
