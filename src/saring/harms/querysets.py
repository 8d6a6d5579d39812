"""The reads of the harms context, in one place for other contexts, the API and pages.

- label summaries, disagreements and training labels (`harms.labels`);
- the labelling queue (`harms.queue`): the posts whose label would teach the model most;
- hoax candidates and their evidence (`harms.hoax`);
- the active classifier version; a version's history is the audit trail's
  (`saring.audit.querysets.history_of(version)`).
"""

from __future__ import annotations

from saring.harms.hoax import candidates, evidence
from saring.harms.labels import LabelSummary, disputed_posts, summary, training_labels
from saring.harms.models import HarmModel
from saring.harms.queue import next_post, remaining

__all__ = [
    "LabelSummary",
    "active",
    "candidates",
    "disputed_posts",
    "evidence",
    "next_post",
    "remaining",
    "summary",
    "training_labels",
]


def active() -> HarmModel | None:
    """The version that scores posts now (None before the first activation)."""
    return HarmModel.objects.filter(status=HarmModel.Status.ACTIVE).first()
