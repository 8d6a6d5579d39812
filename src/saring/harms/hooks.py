"""After an import: queue scoring of the new posts with the active model, if there is one."""

from __future__ import annotations

from saring.harms.models import HarmModel
from saring.monitoring.services.followups import created_span, enqueue_ranges

SCORE_CHUNK = 5000


def queue_scoring_of_run(run) -> None:
    if not HarmModel.objects.filter(status=HarmModel.Status.ACTIVE).exists():
        return
    first, last = created_span(run)
    if first is not None:
        queue_scoring(first, last)


def queue_scoring(first: int, last: int) -> None:
    from saring.harms.tasks import score_posts_task

    enqueue_ranges(score_posts_task, first, last, SCORE_CHUNK)
