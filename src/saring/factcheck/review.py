"""Reviewer decisions on suggested matches, through the workflow engine (models.MATCH_REVIEW).

Rules:
- Reviewing needs the analyst role and a person (a decision teaches the thresholds, so the
  system never makes one).
- A reviewer decides links to clarifications of their own branch of regions (their region, the
  regions inside it, the national and provincial levels above it) and of their own kind of
  organisation, or of nobody (imported by a command): never a sibling region's or another
  organisation kind's. The review queue shows those whose post is in the reviewer's region
  (national reviewers: every region, or the province they pick), the posts with the widest reach
  first (`querysets.review_queue`); what the auto threshold vouches for is linked without a
  reviewer (calibration.auto_link_suggestions).
- Any other scope gets ReviewPermissionError (a ScopeError), whatever the caller; a move the
  table does not have gets ReviewError and changes nothing.
- Every decision is an audit event (who, organisation, from, to, why): the match's history is
  `saring.audit.querysets.history_of(match)`. Decisions feed the re-tuning of the matcher's
  thresholds (factcheck.calibration).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.factcheck import querysets
from saring.factcheck.calibration import queue_retune_if_due
from saring.factcheck.models import MATCH_REVIEW, PostMatch
from saring.workflow import TransitionError, transition


class ReviewError(Exception):
    """A decision the transition table or the reviewer's scope does not allow."""


class ReviewPermissionError(ReviewError, ScopeError):
    """A decision the reviewer's role, region or organisation does not allow."""


def may_review(scope: Scope, match: PostMatch) -> bool:
    return scope.can("analyst") and scope.user_id is not None and MATCH_REVIEW.may_act(scope, match)


@transaction.atomic
def decide(match: PostMatch, decision: str, *, scope: Scope, why: str = "") -> PostMatch:
    if not may_review(scope, match):
        raise ReviewPermissionError(
            _("Reviewing this match needs the analyst role in the clarification's organisation.")
        )
    try:
        match = transition(
            match,
            MATCH_REVIEW,
            decision,
            scope=scope,
            why=why,
            changes={"reviewed_by_id": scope.user_id, "reviewed_at": timezone.now()},
        )
    except TransitionError as error:
        raise ReviewError(str(error)) from error
    if match.matcher_version:
        queue_retune_if_due(match.matcher_version)
    return match


def review_queue(scope: Scope, province: str | None = None, regency: str | None = None):
    """Suggestions awaiting this scope's reviewers on posts of its region (a national scope may
    pick a province or regency), widest reach first (`querysets.review_queue`)."""
    return querysets.review_queue(scope, province, regency)


def review_queue_by_province(scope: Scope) -> list[dict]:
    """The queue's size per province of the post (`querysets.review_queue_by_province`)."""
    return querysets.review_queue_by_province(scope)
