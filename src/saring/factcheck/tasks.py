"""Background jobs of the factcheck context. Each task calls the function of `jobs.py` that its
`saring …` command calls, with the same arguments, and returns that job's summary."""

from django_tasks import task

from saring.factcheck import jobs

# Imports run first (priority 0); matching and clustering wait behind them.
BACKGROUND = -10
# Embedding published clarifications comes before matching, so that all workers share it (in
# chunks) instead of each embedding every clarification when it builds its matcher.
EMBEDDING = -5


@task(priority=EMBEDDING)
def embed_clarifications_task(clarification_ids: list[int]) -> dict:
    """`saring embed clarifications --id N …`."""
    return jobs.embed_clarifications(clarification_ids).as_dict()


@task(priority=BACKGROUND)
def match_new_posts_task(first_id: int, last_id: int) -> dict:
    """`saring match posts --from-id A --to-id B`."""
    return jobs.match_posts(first_id, last_id).as_dict()


@task(priority=BACKGROUND)
def match_clarification_task(clarification_id: int) -> dict:
    """`saring match clarification ID`."""
    return jobs.match_clarification(clarification_id).as_dict()


@task(priority=BACKGROUND)
def match_all_posts_task() -> dict:
    """`saring match posts`: after a bulk publication, every post against every clarification."""
    return jobs.match_posts().as_dict()


@task(priority=BACKGROUND)
def cluster_posts_task(first_id: int, last_id: int) -> dict:
    """`saring narratives cluster --from-id A --to-id B`."""
    return jobs.cluster_posts(first_id, last_id).as_dict()


@task(priority=BACKGROUND)
def retune_thresholds_task() -> dict:
    """`saring clarifications retune`."""
    from saring.accounts.scope import SYSTEM
    from saring.factcheck import calibration

    result = calibration.retune_thresholds(scope=SYSTEM)
    return {"decisions": result.decisions, "changed": result.changed}
