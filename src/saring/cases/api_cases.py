"""/api/v1/cases: the caller's cases (thin: reads in saring.cases.listing and querysets).

Scoped as the case pages are: a case the caller may not see is a 404, never a 403 (its
existence is not told). No personal data: reports are counted, never listed."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from saring.api.auth import caller_scope
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, PageQuery, Region, region_of
from saring.cases.listing import CaseFilters, filtered
from saring.cases.models import Case
from saring.cases.querysets import running_due

router = Router(tags=["cases"])

State = Literal[("open", "all", *Case.State.values)]  # type: ignore[valid-type]


class CaseQuery(PageQuery):
    state: State = Field("open", description='"open" (default), "all", or one state.')
    category: str | None = Field(None, max_length=40, description="A category code.")
    platform: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9_.-]{0,19}$")
    priority: int | None = Field(None, ge=1, le=4, description="1 low … 4 urgent.")
    assignee: Literal["any", "me", "none"] = "any"
    overdue: bool = Field(False, description="Only open cases past a deadline.")
    province: str | None = Field(None, pattern=r"^\d{2}$", description="Within your region.")
    regency: str | None = Field(None, pattern=r"^\d{2}\.\d{2}$")
    q: str = Field("", max_length=200, description="Title, summary, reference or tracking code.")
    sort: Literal["newest", "priority", "due"] = "newest"


class CaseItemOut(Schema):
    url: str
    canonical_url: str
    platform: str
    content_id: str
    post_id: int | None = Field(description="The ingested post (GET /api/v1/posts/{id}).")


class Basis(Schema):
    code: str
    citation: str


class Deadlines(Schema):
    follow_up_due: datetime | None
    platform_due: datetime | None
    overdue: bool


class CaseEscalationOut(Schema):
    reference: str
    channel: str
    state: str
    due_at: datetime | None


class CaseOut(Schema):
    id: int
    reference: str
    title: str
    state: str
    origin: str
    category: str
    priority: int
    region: Region | None
    reports_count: int
    created_at: datetime
    deadlines: Deadlines


class CaseDetail(CaseOut):
    summary: str
    is_valid: bool | None
    validity_reason: str
    bases: list[Basis]
    merged_into: int | None
    items: list[CaseItemOut]
    escalations: list[CaseEscalationOut]


class CasePage(Schema):
    count: int
    results: list[CaseOut]


def _deadlines(case: Case, now: datetime) -> dict:
    due = running_due(case)
    return {
        "follow_up_due": case.follow_up_due,
        "platform_due": case.platform_due,
        "overdue": bool(due and due < now),
    }


def _case(case: Case, reports: int, now: datetime) -> dict:
    return {
        "id": case.pk,
        "reference": case.reference,
        "title": case.title,
        "state": case.state,
        "origin": case.origin,
        "category": case.category,
        "priority": case.priority,
        "region": region_of(case),
        "reports_count": reports,
        "created_at": case.created_at,
        "deadlines": _deadlines(case, now),
    }


@router.get("/cases", response={200: CasePage, **READ_ERRORS}, summary="List cases")
def list_cases(request: HttpRequest, filters: Query[CaseQuery]):
    """The cases your scope sees, with the case page's filters (open cases, newest first)."""
    from saring.cases.listing import rows_for

    scope = caller_scope(request)
    now = timezone.now()
    values = filters.dict()
    cases = filtered(
        scope,
        CaseFilters(
            state=values["state"],
            category=values["category"] or "",
            platform=values["platform"] or "",
            priority=values["priority"],
            assignee=values["assignee"],
            overdue=values["overdue"],
            province=values["province"] or "",
            regency=values["regency"] or "",
            q=values["q"],
            sort=values["sort"],
        ),
        now=now,
    ).select_related("province", "regency")

    def render(rows: list[Case]) -> list[dict]:
        return [_case(row.case, row.reports, now) for row in rows_for(rows)]

    return page_of(cases, filters, render)


@router.get("/cases/{id}", response={200: CaseDetail, **ONE_ERRORS}, summary="One case")
def get_case(request: HttpRequest, id: int):
    """One case you may see (404 otherwise): items, reports count, state, bases, deadlines and
    escalations."""
    scope = caller_scope(request)
    case = get_object_or_404(
        Case.objects.visible_to(scope).select_related("province", "regency"), pk=id
    )
    now = timezone.now()
    escalations = case.escalations.select_related("channel").order_by("created_at", "id")
    return {
        **_case(case, case.reports.count(), now),
        "summary": case.summary,
        "is_valid": case.is_valid,
        "validity_reason": case.validity_reason,
        "bases": [{"code": b.code, "citation": b.citation} for b in case.bases.all()],
        "merged_into": case.merged_into_id,
        "items": [
            {
                "url": item.url,
                "canonical_url": item.canonical_url,
                "platform": item.platform,
                "content_id": item.content_id,
                "post_id": item.post_id,
            }
            for item in case.items.order_by("id")
        ],
        "escalations": [
            {
                "reference": e.reference,
                "channel": e.channel.name,
                "state": e.state,
                "due_at": e.due_at,
            }
            for e in escalations
        ],
    }
