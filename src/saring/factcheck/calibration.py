"""Thresholds that follow the reviewers: re-tuned from their confirm/reject decisions.

Rules:
- Scores are only comparable within one matcher version (the fusion rule and whether the
  dense model is there), so decisions and thresholds are kept per version.
- Every `RETUNE_EVERY` new decisions queue a re-tune in the background; an administrator can
  also re-tune from the review page or with `saring clarifications retune`.
- A re-tune never invents what the decisions cannot support: see `thresholds.retune`.
- Links already made are not re-decided; the new thresholds apply to the next matches.
- The thresholds are national (one matcher for every region): a re-tune on demand needs a
  national administrator (or the system, which re-tunes when due); anyone else gets ScopeError.
  Each re-tune is a THRESHOLDS_RETUNED audit event with the figures before and after.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.factcheck.models import MatchThresholds, PostMatch

if TYPE_CHECKING:  # importing saring.text.matching loads scikit-learn: not in web processes
    from saring.text.matching.thresholds import Thresholds

RETUNE_EVERY = 25  # reviewer decisions between automatic re-tunes


def matcher_version(fusion, dense: bool) -> str:
    """'hybrid-…' or 'lexical-…' plus a fingerprint of the fusion rule."""
    rule = json.dumps(fusion.to_dict(), sort_keys=True).encode()
    return f"{'hybrid' if dense else 'lexical'}-{hashlib.sha256(rule).hexdigest()[:12]}"


def _to_thresholds(row: MatchThresholds) -> Thresholds:
    from saring.text.matching.thresholds import Thresholds

    return Thresholds(auto=math.inf if row.auto is None else row.auto, suggest=row.suggest)


def in_force(version: str, shipped: Thresholds) -> Thresholds:
    row = MatchThresholds.objects.filter(matcher_version=version).first()
    return shipped if row is None else _to_thresholds(row)


def _decided(version: str):
    return PostMatch.objects.filter(
        matcher_version=version,
        decision__in=(PostMatch.Decision.CONFIRMED, PostMatch.Decision.REJECTED),
        reviewed_at__isnull=False,
    )


def decisions_since_last_tune(version: str) -> int:
    last = MatchThresholds.objects.filter(matcher_version=version).first()
    decided = _decided(version)
    if last is not None:
        decided = decided.filter(reviewed_at__gt=last.created_at)
    return decided.count()


@dataclass(frozen=True)
class RetuneResult:
    version: str
    before: Thresholds
    after: Thresholds
    decisions: int
    accepted: int

    @property
    def changed(self) -> bool:
        return self.before != self.after


def may_retune(scope: Scope) -> bool:
    return scope.is_national and scope.can("admin")


def _require_retune(scope: Scope) -> None:
    require(
        scope,
        may_retune(scope),
        _("The match thresholds are national: only a national administrator re-tunes them."),
    )


def request_retune(scope: Scope) -> None:
    """An administrator asks for a re-tune now; it runs in the background as the system."""
    _require_retune(scope)
    from saring.factcheck.tasks import retune_thresholds_task

    retune_thresholds_task.enqueue()  # nothing to commit first: the decisions are stored


@transaction.atomic
def retune_thresholds(*, scope: Scope = SYSTEM) -> RetuneResult:
    """Re-tune the running matcher version's thresholds from every decision made on it."""
    _require_retune(scope)
    from saring.factcheck.matching import current_matcher, shipped_thresholds
    from saring.text.matching.thresholds import retune

    matcher = current_matcher()
    version = matcher_version(matcher.fusion, bool(matcher.embedder.dim))
    before = in_force(version, shipped_thresholds(matcher))
    pairs = [
        (score, decision == PostMatch.Decision.CONFIRMED)
        for score, decision in _decided(version).values_list("score", "decision")
    ]
    after = retune(pairs, before)
    accepted = sum(ok for _, ok in pairs)
    row = MatchThresholds.objects.create(
        matcher_version=version,
        auto=None if math.isinf(after.auto) else after.auto,
        suggest=after.suggest,
        decisions=len(pairs),
        accepted=accepted,
        created_by_id=scope.user_id,
    )
    record(
        scope,
        Action.THRESHOLDS_RETUNED,
        row,
        details={
            "matcher_version": version,
            "before": before.to_dict(),
            "after": after.to_dict(),
            "decisions": len(pairs),
            "accepted": accepted,
        },
    )
    matcher.thresholds = after
    return RetuneResult(version, before, after, len(pairs), accepted)


def latest_version() -> str | None:
    """The matcher version that made the most recent links (the web process does not load
    the matcher itself)."""
    return PostMatch.objects.order_by("-id").values_list("matcher_version", flat=True).first()


def queue_retune_if_due(version: str) -> bool:
    """After a decision: queue a re-tune when enough new decisions have come in."""
    if decisions_since_last_tune(version) < RETUNE_EVERY:
        return False
    from saring.factcheck.tasks import retune_thresholds_task

    transaction.on_commit(retune_thresholds_task.enqueue)
    return True
