"""The platform's decision on an escalation, after the fields of a DSA statement of reasons.

Who may answer: a member of the channel's organisation (the platform's liaison team, or Komdigi
and KPU for their channels) through the page or the API with a token, or the platform's system
through a webhook signed with the channel's secret (`check_signature`). A decision is
idempotent by (escalation, platform's reference): a replay returns the stored one and has no
second effect. The first decision answers the escalation and moves the case to "answered" with
the system's authority (the liaison is no handler of the case), the outcome in plain words for
the reporter, and the reporter's message queued after the commit.
"""

from __future__ import annotations

import dataclasses
import hmac
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, ScopeError, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.models import Case, Channel, Decision, Escalation
from saring.cases.services.escalation import addressee, earliest_open_due
from saring.cases.workflow import CASE_WORKFLOW
from saring.kernel.webhooks import hmac_signature
from saring.workflow import transition

SIGNATURE_MAX_AGE = timedelta(minutes=5)
CLOCK_SKEW = timedelta(minutes=5)  # a decision "decided" this far in the future is accepted
ANSWERABLE_CASE_STATES = ("escalated", "appealed")
FIELDS = (
    "platform_reference",
    "visibility",
    "account",
    "ground",
    "ground_reference",
    "explanation",
    "automated_detection",
    "automated_decision",
    "decided_at",
)


class DecisionError(ValueError):
    """Invalid decision data: `problems` maps each field to what is wrong with it."""

    def __init__(self, problems: Mapping[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = dict(problems)


class SignatureError(PermissionError):
    """A decision webhook whose signature is missing, wrong or stale."""


def may_answer(scope: Scope, escalation: Escalation) -> bool:
    return scope.can("analyst") and addressee(scope, escalation)


def check_signature(
    channel: Channel,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    *,
    now: float | None = None,
) -> None:
    """Raise SignatureError naming why, unless `signature` is the channel's HMAC of
    "<timestamp>.<body>" and the timestamp is at most five minutes old (or ahead)."""
    if not channel.secret:
        raise SignatureError("the channel has no shared secret")
    if not timestamp or not signature:
        raise SignatureError("missing X-Saring-Timestamp or X-Saring-Signature")
    try:
        stamp = int(timestamp)
    except ValueError:
        raise SignatureError("X-Saring-Timestamp is not unix seconds") from None
    now = time.time() if now is None else now
    if abs(now - stamp) > SIGNATURE_MAX_AGE.total_seconds():
        raise SignatureError("stale timestamp (more than 5 minutes off)")
    expected = hmac_signature(channel.secret, timestamp, body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureError("wrong signature")


def reject(escalation: Escalation, reason: str, *, via: str = "webhook") -> None:
    """Record a refused decision webhook (no decision is stored)."""
    record(
        SYSTEM,
        Action.DECISION_REJECTED,
        escalation,
        reason=reason,
        details={"via": via, "channel": escalation.channel.name},
    )


def _choice(data, name, choices, problems, default=None) -> str:
    value = data.get(name, default)
    if value in (None, ""):
        if default is None:
            problems[name] = _("This field is required.")
        return default or ""
    if value not in choices.values:
        problems[name] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}
    return str(value)


def _text(data, name, max_length, problems, *, required=False) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems[name] = _("Must be text.")
        return ""
    value = value.strip()
    if required and not value:
        problems[name] = _("This field is required.")
    elif max_length and len(value) > max_length:
        problems[name] = _("At most %(n)s characters.") % {"n": max_length}
    return value


def _bool(data, name, problems) -> bool:
    value = data.get(name, False)
    if isinstance(value, bool):
        return value
    if value in ("1", "true", "on", "yes"):
        return True
    if value in ("", "0", "false", "off", "no", None):
        return False
    problems[name] = _("Must be true or false.")
    return False


def clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The decision's fields, checked; DecisionError names every field that is wrong."""
    if not isinstance(data, Mapping):
        raise DecisionError({"body": _("Send a JSON object.")})
    problems: dict[str, str] = {}
    out: dict[str, Any] = {
        "platform_reference": _text(data, "platform_reference", 100, problems, required=True),
        "visibility": _choice(data, "visibility", Decision.Visibility, problems),
        "account": _choice(data, "account", Decision.Account, problems, Decision.Account.NONE),
        "ground": _choice(data, "ground", Decision.Ground, problems),
        "ground_reference": _text(data, "ground_reference", 300, problems),
        "explanation": _text(data, "explanation", 10000, problems),
        "automated_detection": _bool(data, "automated_detection", problems),
        "automated_decision": _choice(
            data, "automated_decision", Decision.Automation, problems, Decision.Automation.NOT
        ),
    }
    decided = data.get("decided_at")
    if isinstance(decided, datetime):
        decided_at = decided
    elif isinstance(decided, str) and decided.strip():
        try:
            decided_at = parse_datetime(decided.strip())
        except ValueError:
            decided_at = None
        if decided_at is None:
            problems["decided_at"] = _("An ISO 8601 date and time, e.g. 2024-02-12T10:00:00+07:00.")
    elif decided in (None, ""):
        decided_at = timezone.now()
    else:
        decided_at = None
        problems["decided_at"] = _("An ISO 8601 date and time, e.g. 2024-02-12T10:00:00+07:00.")
    if decided_at is not None:
        if timezone.is_naive(decided_at):
            decided_at = timezone.make_aware(decided_at)
        if decided_at > timezone.now() + CLOCK_SKEW:
            problems["decided_at"] = _("Cannot be in the future.")
    out["decided_at"] = decided_at
    if out["ground"] == Decision.Ground.NONE and out["visibility"] not in (
        "",
        Decision.Visibility.NO_ACTION,
    ):
        problems["ground"] = _("A restriction needs a ground (illegal content or the terms).")
    if problems:
        raise DecisionError(problems)
    return out


def _acting_as(scope: Scope | None, escalation: Escalation) -> Scope:
    """Who the audit trail names: the liaison, or the channel's system for a webhook."""
    if scope is not None:
        return scope
    channel = escalation.channel
    organisation = channel.organisation
    return Scope(
        role="analyst",
        organisation_id=channel.organisation_id,
        organisation_kind=organisation.kind if organisation else None,
        organisation_name=organisation.name if organisation else channel.name,
        username=f"webhook:{channel.name}"[:150],
        label=channel.name,
    )


def record_decision(
    escalation: Escalation, data: Mapping[str, Any], *, via: str, scope: Scope | None = None
) -> tuple[Decision, bool]:
    """Store the platform's decision; (decision, created). `scope` None means the caller
    verified the channel's webhook signature (`check_signature`) before calling."""
    if scope is not None:
        require(
            scope,
            may_answer(scope, escalation),
            _("Only the liaison team this escalation was sent to may answer it."),
        )
    elif via != "webhook":
        raise ScopeError(_("A decision without a user must come as a signed webhook."))
    fields = clean(data)
    existing = Decision.objects.filter(
        escalation=escalation, platform_reference=fields["platform_reference"]
    ).first()
    if existing is not None:
        return existing, False
    if escalation.state == Escalation.State.WITHDRAWN:
        raise DecisionError({"escalation": _("This escalation was withdrawn.")})
    actor = _acting_as(scope, escalation)
    try:
        with transaction.atomic():
            escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
            decision = Decision.objects.create(
                escalation=escalation, by_id=actor.user_id, via=via[:10], **fields
            )
            now = timezone.now()
            first = escalation.state != Escalation.State.ANSWERED
            if first:
                escalation.state = Escalation.State.ANSWERED
                escalation.answered_at = now
                escalation.save(update_fields=["state", "answered_at"])
            record(
                actor,
                Action.DECISION_RECEIVED,
                escalation,
                to_state=decision.visibility,
                reason=decision.explanation[:500],
                details={
                    "via": via,
                    "platform_reference": decision.platform_reference,
                    "visibility": decision.visibility,
                    "account": decision.account,
                    "ground": decision.ground,
                    "decision": decision.pk,
                },
            )
            _answer_case(escalation.case_id, decision, actor, now)
    except IntegrityError:
        # The same reference arrived twice at once: the other request stored it.
        stored = Decision.objects.filter(
            escalation=escalation, platform_reference=fields["platform_reference"]
        ).first()
        if stored is None:
            raise
        return stored, False
    return decision, True


def _answer_case(case_id: int, decision: Decision, actor: Scope, now: datetime) -> None:
    """The case takes the decision's outcome; the first answer moves it to "answered"."""
    from saring.cases.services import notify

    case = Case.objects.select_for_update().get(pk=case_id)
    changes = {"outcome": decision.visibility, "platform_due": earliest_open_due(case)}
    if case.state not in ANSWERABLE_CASE_STATES:
        # Answered already (a second platform), or closed/merged meanwhile: keep the state.
        for name, value in changes.items():
            setattr(case, name, value)
        case.save(update_fields=[*changes, "updated_at"])
        return
    # The system's authority, named after the one who answered (they are no case handler).
    system = dataclasses.replace(
        SYSTEM,
        user_id=actor.user_id,
        username=actor.username or SYSTEM.username,
        organisation_id=actor.organisation_id,
        organisation_name=actor.organisation_name,
    )
    case = transition(
        case,
        CASE_WORKFLOW,
        Case.State.ANSWERED,
        scope=system,
        why=decision.explanation[:500],
        changes={**changes, "answered_at": now},
        details={"escalation": decision.escalation.reference, "decision": decision.pk},
        lock=False,
    )
    transaction.on_commit(lambda: notify.case_changed(case, "answered"))
