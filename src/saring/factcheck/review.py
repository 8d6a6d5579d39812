"""Reviewer decisions on suggested matches, through one transition table (PostMatch.TRANSITIONS).

Every change records who, when and from what, on the match itself; the decisions feed the
re-tuning of the matcher's thresholds (factcheck.calibration).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.factcheck.calibration import queue_retune_if_due
from saring.factcheck.models import PostMatch


class ReviewError(Exception):
    """A decision the transition table or the reviewer's role does not allow."""


@transaction.atomic
def decide(match: PostMatch, decision: str, *, scope: Scope, user) -> PostMatch:
    if not scope.can("analyst"):
        raise ReviewError("reviewing matches needs the analyst role")
    match = PostMatch.objects.select_for_update().get(pk=match.pk)
    allowed = PostMatch.TRANSITIONS.get(match.decision, set())
    if decision not in allowed:
        raise ReviewError(f"a {match.decision} match cannot become {decision}")
    now = timezone.now()
    match.history = [
        *match.history,
        {"from": match.decision, "to": decision, "by": user.pk, "at": now.isoformat()},
    ]
    match.decision, match.reviewed_by, match.reviewed_at = decision, user, now
    match.save(update_fields=["decision", "reviewed_by", "reviewed_at", "history"])
    if match.matcher_version:
        queue_retune_if_due(match.matcher_version)
    return match


def review_queue(scope: Scope):
    """Suggestions awaiting a reviewer, most confident first (published clarifications only)."""
    return (
        PostMatch.objects.filter(
            decision=PostMatch.Decision.SUGGESTED, clarification__status="published"
        )
        .select_related("post", "clarification", "clarification__claim")
        .order_by("-score", "id")
    )
