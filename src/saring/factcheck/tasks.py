"""Background jobs of the factcheck context (thin wrappers over factcheck.matching)."""

from django_tasks import task

# Imports run first (priority 0); matching and clustering wait behind them.
BACKGROUND = -10
# Embedding published clarifications comes before matching, so that all workers share it (in
# chunks) instead of each embedding every clarification when it builds its matcher.
EMBEDDING = -5


@task(priority=EMBEDDING)
def embed_clarifications_task(clarification_ids: list[int]) -> int:
    from saring.factcheck import matching

    return matching.embed_clarifications(clarification_ids)


@task(priority=BACKGROUND)
def match_new_posts_task(first_id: int, last_id: int) -> int:
    from saring.factcheck import matching  # heavy: only in the worker that runs it

    return matching.match_new_posts(first_id, last_id)


@task(priority=BACKGROUND)
def match_clarification_task(clarification_id: int) -> int:
    from saring.factcheck import matching

    return matching.match_clarification(clarification_id)


@task(priority=BACKGROUND)
def match_all_posts_task() -> int:
    """After a bulk publication: every post against every clarification, in chunks."""
    from saring.factcheck import matching

    return matching.match_all_posts()


@task(priority=BACKGROUND)
def cluster_posts_task(first_id: int, last_id: int) -> int:
    from saring.factcheck import narratives

    return narratives.cluster_posts(first_id, last_id)


@task(priority=BACKGROUND)
def retune_thresholds_task() -> dict:
    from saring.factcheck import calibration

    result = calibration.retune_thresholds()
    return {"decisions": result.decisions, "changed": result.changed}
