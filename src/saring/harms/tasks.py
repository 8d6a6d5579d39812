"""Background jobs of the harms context. Each task calls the function of `jobs.py` that its
`saring model …` command calls, with the same arguments, and returns that job's summary."""

from django_tasks import task

from saring.harms import jobs

BACKGROUND = -10  # behind imports, like matching and clustering


@task(priority=BACKGROUND)
def score_posts_task(first_id: int, last_id: int) -> dict:
    """`saring model score --from-id A --to-id B`."""
    return jobs.score_posts(first_id, last_id).as_dict()


@task(priority=BACKGROUND)
def train_model_task(model_id: int) -> dict:
    """`saring model train VERSION`."""
    return jobs.train_model(model_id).as_dict()
