"""Thresholds that follow the reviewers: re-tuned from their confirm/reject decisions.

Rules:
- Scores are only comparable within one matcher version (the fusion rule and whether the
  dense model is there), so decisions and thresholds are kept per version.
- Every `RETUNE_EVERY` new decisions queue a re-tune in the background; an administrator can
  also re-tune from the review page or with `saring clarifications retune`.
- A re-tune never invents what the decisions cannot support: see `thresholds.retune`.
- Reviewers' decisions are never re-decided. Suggestions nobody has reviewed yet that score at
  or above the auto threshold in force are linked ("auto") after every re-tune, and on demand
  with `saring clarifications autolink` (`auto_link_suggestions`): the queue holds only what the
  measured precision cannot vouch for. One MATCHES_AUTO_LINKED audit event says how many, at
  which threshold and precision.
- `auto_link_policy` says which threshold is in force and the precision it was measured at: the
  shipped rule's (chosen on labelled Mafindo posts at `targets.auto_precision_on_tune`, and
  measured again on held-out posts by `saring eval match`: docs/matching.md), or after a re-tune
  the share of reviewers' decisions at or above it that were confirmations.
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
# The precision a re-tuned auto threshold must keep on reviewers' decisions (thresholds.retune).
AUTO_LINK_PRECISION = 0.98
# Auto-link precision of the shipped rule on held-out Mafindo test posts (`saring eval match`,
# docs/matching.md): what the review page quotes until reviewers' decisions re-tune it.
SHIPPED_TEST_PRECISION = 0.990


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
    auto_linked: int = 0  # waiting suggestions the new auto threshold linked

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
    after = retune(pairs, before, precision=AUTO_LINK_PRECISION)
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
    linked = auto_link_suggestions(version, after, scope=scope)
    return RetuneResult(version, before, after, len(pairs), accepted, linked)


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


@dataclass(frozen=True)
class AutoLinkPolicy:
    """The auto-link threshold in force and the precision it was measured at, for the page."""

    version: str
    auto: float | None  # None: never link automatically
    precision: float | None  # None: nothing measured it
    measured_on: str  # "shipped" (labelled data) or "reviewers" (their decisions)
    support: int = 0  # decisions at or above `auto` behind `precision` (reviewers)
    test_precision: float | None = None  # shipped rule: on held-out posts


def _shipped_rule(version: str) -> tuple[float | None, float | None]:
    """The shipped rule's auto threshold and tune precision, read from its JSON (the web
    process does not load the matcher, which needs scikit-learn)."""
    from importlib import resources

    data = json.loads(resources.files("saring.text").joinpath("data/match_fusion.json").read_text())
    rule = data["rules"].get("hybrid" if version.startswith("hybrid") else "lexical", {})
    auto = rule.get("thresholds", {}).get("auto")
    return auto, data.get("targets", {}).get("auto_precision_on_tune")


def auto_link_policy(version: str | None) -> AutoLinkPolicy:
    version = version or ""
    row = MatchThresholds.objects.filter(matcher_version=version).first() if version else None
    if row is None:
        auto, precision = _shipped_rule(version)
        return AutoLinkPolicy(
            version, auto, precision, "shipped", test_precision=SHIPPED_TEST_PRECISION
        )
    if row.auto is None:
        return AutoLinkPolicy(version, None, None, "reviewers")
    above = _decided(version).filter(score__gte=row.auto)
    support = above.count()
    confirmed = above.filter(decision=PostMatch.Decision.CONFIRMED).count()
    precision = round(confirmed / support, 3) if support else None
    return AutoLinkPolicy(version, row.auto, precision, "reviewers", support)


@transaction.atomic
def auto_link_suggestions(
    version: str | None = None, thresholds: Thresholds | None = None, *, scope: Scope = SYSTEM
) -> int:
    """Link ("auto") the suggestions of `version` (default: the latest) nobody has reviewed
    that score at or above its auto threshold in force; returns how many. National, like the
    thresholds (ScopeError otherwise)."""
    _require_retune(scope)
    version = version or latest_version()
    if not version:
        return 0
    if thresholds is None:
        policy = auto_link_policy(version)
        auto = policy.auto
    else:
        auto = None if math.isinf(thresholds.auto) else thresholds.auto
        policy = auto_link_policy(version)
    if auto is None:
        return 0
    waiting = PostMatch.objects.filter(
        matcher_version=version,
        decision=PostMatch.Decision.SUGGESTED,
        reviewed_at__isnull=True,
        score__gte=auto,
    )
    linked = waiting.update(decision=PostMatch.Decision.AUTO)
    if linked:
        record(
            scope,
            Action.MATCHES_AUTO_LINKED,
            subject_type="factcheck.matchthresholds",
            subject_id=version,
            details={
                "matcher_version": version,
                "auto": auto,
                "precision": policy.precision,
                "measured_on": policy.measured_on,
                "linked": linked,
            },
        )
    return linked
