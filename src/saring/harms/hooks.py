"""After an import: queue scoring of the new posts with the active model, if there is one."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max, Min

from saring.harms.models import HarmModel
from saring.monitoring.models import Post

SCORE_CHUNK = 5000


def queue_scoring_of_run(run) -> None:
    if not HarmModel.objects.filter(status=HarmModel.Status.ACTIVE).exists():
        return
    span = Post.objects.filter(first_run=run).aggregate(first=Min("id"), last=Max("id"))
    if span["first"] is None:
        return
    queue_scoring(span["first"], span["last"])


def queue_scoring(first: int, last: int) -> None:
    from saring.harms.tasks import score_posts_task

    def enqueue() -> None:
        for start in range(first, last + 1, SCORE_CHUNK):
            score_posts_task.enqueue(start, min(start + SCORE_CHUNK - 1, last))

    transaction.on_commit(enqueue)
