"""/api/v1/escalations: a platform's inbox and its decisions (thin: rules in
saring.cases.services.decisions).

The decision route authenticates itself (`auth=None` on the route): either a bearer token of a
liaison user of the channel's organisation, or the channel's HMAC signature headers, the same
scheme as the webhooks Saring sends (`X-Saring-Timestamp`, `X-Saring-Signature`). A wrong or
stale signature is a 401 and an audit event; nothing is stored."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

try:  # django-ninja >= 1.5 deprecates returning (status, body) tuples
    from ninja import Status
except ImportError:  # pragma: no cover - older django-ninja

    def Status(status_code, value):
        return status_code, value


from ninja.errors import AuthenticationError, HttpError
from pydantic import Field

from saring.accounts.scope import ScopeError
from saring.api.auth import BearerToken, caller_scope
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, Error, PageQuery, ValidationErrors
from saring.cases.models import Decision, Escalation
from saring.cases.services import decisions

router = Router(tags=["escalations"])

OPEN = ("queued", "sent", "failed")


class EscalationFilters(PageQuery):
    state: Literal["queued", "sent", "failed", "answered", "withdrawn"] | None = Field(
        None, description="Delivery or answer state."
    )
    overdue: bool | None = Field(None, description="Only unanswered ones past their deadline.")


class ContentOut(Schema):
    url: str
    canonical_url: str
    platform: str
    platform_id: str


class DecisionOut(Schema):
    id: int
    escalation_id: int
    platform_reference: str
    visibility: str
    account: str
    ground: str
    ground_reference: str
    explanation: str
    automated_detection: bool
    automated_decision: str
    decided_at: datetime
    received_at: datetime
    via: str


class EscalationOut(Schema):
    id: int
    reference: str
    case_reference: str
    channel: str
    platform: str
    state: str
    urgent: bool
    category: str
    legal_bases: list[str]
    content: list[ContentOut]
    due_at: datetime | None
    due_source: str
    overdue: bool
    sent_at: datetime | None
    answered_at: datetime | None
    packet_sha256: str
    decision_url: str
    decisions: list[DecisionOut]


class EscalationPage(Schema):
    count: int
    results: list[EscalationOut]


class DecisionIn(Schema):
    """The fields of a DSA statement of reasons (Art. 17)."""

    platform_reference: str = Field(max_length=100, description="Your own id of the decision.")
    visibility: Literal[
        "removed",
        "disabled",
        "demoted",
        "age_restricted",
        "interaction_restricted",
        "labelled",
        "no_action",
    ]
    account: Literal["none", "suspended", "terminated"] = "none"
    ground: Literal["illegal", "terms", "none"]
    ground_reference: str = Field("", max_length=300, description="The law or terms clause.")
    explanation: str = ""
    automated_detection: bool = False
    automated_decision: Literal["fully", "partially", "not"] = "not"
    decided_at: datetime | None = Field(None, description="ISO 8601; default: now.")


def _decision_out(d: Decision) -> dict:
    return {
        "id": d.pk,
        "escalation_id": d.escalation_id,
        **{name: getattr(d, name) for name in (*decisions.FIELDS, "received_at", "via")},
    }


def _out(e: Escalation, now: datetime) -> dict:
    from saring.cases.channels.base import decision_url

    return {
        "id": e.pk,
        "reference": e.reference,
        "case_reference": e.case.reference,
        "channel": e.channel.name,
        "platform": e.channel.platform,
        "state": e.state,
        "urgent": e.urgent,
        "category": e.case.category,
        "legal_bases": [b.citation for b in e.case.bases.all()],
        "content": [
            {
                "url": i.url,
                "canonical_url": i.canonical_url,
                "platform": i.platform,
                "platform_id": i.content_id,
            }
            for i in e.case.items.all()
        ],
        "due_at": e.due_at,
        "due_source": e.due_source,
        "overdue": bool(e.state in OPEN and e.due_at and e.due_at < now),
        "sent_at": e.sent_at,
        "answered_at": e.answered_at,
        "packet_sha256": e.packet_sha256,
        "decision_url": decision_url(e),
        "decisions": [_decision_out(d) for d in e.decisions.all()],
    }


def _inbox(scope):
    return (
        Escalation.objects.visible_to(scope)
        .select_related("case", "channel")
        .prefetch_related("case__items", "case__bases", "decisions")
        .order_by("-created_at", "-id")
    )


@router.get(
    "/escalations", response={200: EscalationPage, **READ_ERRORS}, summary="List escalations"
)
def list_escalations(request: HttpRequest, filters: Query[EscalationFilters]):
    """The caller's inbox: a liaison sees what was sent to their organisation; a handler the
    escalations of their region's cases. No reporter's personal data."""
    now = timezone.now()
    items = _inbox(caller_scope(request))
    if filters.state:
        items = items.filter(state=filters.state)
    if filters.overdue is True:
        items = items.filter(state__in=OPEN, due_at__lt=now)
    elif filters.overdue is False:
        items = items.exclude(state__in=OPEN, due_at__lt=now)
    return page_of(items, filters, lambda rows: [_out(e, now) for e in rows])


def _missing(escalation_id: int) -> HttpError:
    return HttpError(404, _("No escalation %(id)s.") % {"id": escalation_id})


@router.get(
    "/escalations/{escalation_id}",
    response={200: EscalationOut, **ONE_ERRORS},
    summary="One escalation",
)
def get_escalation(request: HttpRequest, escalation_id: int):
    found = _inbox(caller_scope(request)).filter(pk=escalation_id).first()
    if found is None:
        raise _missing(escalation_id)
    return _out(found, timezone.now())


def _problems(error: decisions.DecisionError) -> dict:
    return {
        "detail": [
            {"type": "value_error", "loc": ["body", name], "msg": message}
            for name, message in error.problems.items()
        ]
    }


@router.post(
    "/escalations/{escalation_id}/decision",
    auth=None,
    response={
        200: DecisionOut,
        201: DecisionOut,
        401: Error,
        403: Error,
        404: Error,
        422: ValidationErrors,
    },
    summary="Record the platform's decision",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": DecisionIn.model_json_schema()}},
        },
        "security": [{"BearerToken": []}],
    },
)
def post_decision(request: HttpRequest, escalation_id: int):
    """The platform's answer, with a liaison's token or signed like Saring's webhooks
    (`X-Saring-Timestamp`, `X-Saring-Signature: sha256=HMAC(secret, "timestamp.body")`).
    201 the first time; 200 with the stored decision when the same `platform_reference` comes
    again (no second effect)."""
    caller = None
    if request.headers.get("Authorization"):
        caller = BearerToken()(request)  # a bad token raises: 401
    escalation = (
        Escalation.objects.select_related("channel", "channel__organisation", "case")
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        raise _missing(escalation_id)
    if caller is None:
        if not request.headers.get("X-Saring-Signature"):
            raise AuthenticationError(message=_("Send a bearer token or the signature headers."))
        try:
            decisions.check_signature(
                escalation.channel,
                request.headers.get("X-Saring-Timestamp"),
                request.headers.get("X-Saring-Signature"),
                request.body,
            )
        except decisions.SignatureError as refused:
            decisions.reject(escalation, str(refused))
            message = _("Signature refused: %(why)s.") % {"why": refused}
            raise AuthenticationError(message=message) from None
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        problem = {"type": "json_invalid", "loc": ["body"], "msg": _("Not JSON.")}
        return Status(422, {"detail": [problem]})
    try:
        decision, created = decisions.record_decision(
            escalation,
            data,
            via="api" if caller else "webhook",
            scope=caller.scope if caller else None,
        )
    except ScopeError as error:
        return Status(403, {"detail": str(error)})
    except decisions.DecisionError as error:
        return Status(422, _problems(error))
    return Status(201 if created else 200, _decision_out(decision))
