"""Background jobs of the harms context (thin wrappers over harms.training and harms.scoring)."""

from django_tasks import task

BACKGROUND = -10  # behind imports, like matching and clustering


@task(priority=BACKGROUND)
def score_posts_task(first_id: int, last_id: int) -> int:
    from saring.harms import scoring  # loads the model: only in the worker that runs it

    return scoring.score_posts(first_id, last_id)


@task(priority=BACKGROUND)
def train_model_task(model_id: int) -> str:
    from saring.harms import training

    return training.run_training(model_id).status
