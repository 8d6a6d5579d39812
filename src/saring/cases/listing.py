"""The handler's case list: filters and paging over the scoped queryset, kept fast.

The page reads one indexed slice of `Case` (region, state, newest first: the indexes on
Case), then two small grouped queries for what the 50 rows show (platforms, report counts).
The total is counted up to a cap (`COUNT_CAP`): counting 100,000 rows to print "100,000" costs
more than the page, and "1,000+" tells an officer as much.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.cases.models import Case, CaseItem, Report
from saring.cases.querysets import in_region, overdue_q, running_due
from saring.cases.workflow import OPEN_STATES

PAGE_SIZE = 50
COUNT_CAP = 1000
SORTS = ("newest", "priority", "due")
ASSIGNEE = ("any", "me", "none")


@dataclass
class CaseFilters:
    state: str = "open"  # open, all, or one Case.State
    category: str = ""
    platform: str = ""
    priority: int | None = None
    assignee: str = "any"  # any, me, none
    overdue: bool = False
    province: str = ""
    regency: str = ""
    q: str = ""
    sort: str = "newest"
    page: int = 1

    @classmethod
    def from_query(cls, data) -> CaseFilters:
        """From a GET query (the page's form or the API's parameters); bad values fall back to
        the defaults, as a list page should."""

        def text(name: str, limit: int = 100) -> str:
            return str(data.get(name) or "").strip()[:limit]

        state = text("state") or "open"
        if state not in ("open", "all", *Case.State.values):
            state = "open"
        priority = text("priority")
        page = text("page")
        sort = text("sort")
        assignee = text("assignee")
        region = text("region", 5)  # the page's one select: a province or a regency code
        province = text("province", 2) or (region if "." not in region else "")
        regency = text("regency", 5) or (region if "." in region else "")
        return cls(
            state=state,
            category=text("category", 40),
            platform=text("platform", 20),
            priority=int(priority) if priority.isdigit() else None,
            assignee=assignee if assignee in ASSIGNEE else "any",
            overdue=text("overdue").lower() in ("1", "true", "on", "yes"),
            province=province[:2],
            regency=regency,
            q=text("q", 200),
            sort=sort if sort in SORTS else "newest",
            page=max(1, min(int(page), 100_000)) if page.isdigit() else 1,
        )


@dataclass
class Row:
    case: Case
    platforms: list[str]
    reports: int


@dataclass
class CasePage:
    rows: list[Row]
    number: int
    has_next: bool
    count: int  # up to COUNT_CAP
    count_capped: bool  # there are more than COUNT_CAP
    filters: CaseFilters = field(default_factory=CaseFilters)

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def _query_q(q: str) -> Q:
    text = q.strip()
    upper = text.upper()
    found = Q(title__icontains=text) | Q(summary__icontains=text)
    digits = upper.removeprefix("KSR-").lstrip("#")
    if digits.isdigit():
        found |= Q(pk=int(digits))
    if "-" in upper and len(upper) <= 20:  # a tracking code, e.g. LPR-7K2M9QX4
        found |= Q(Exists(Report.objects.filter(case=OuterRef("pk"), tracking_code=upper)))
    return found


def filtered(scope: Scope, filters: CaseFilters, *, now: datetime | None = None) -> QuerySet:
    """The scoped, filtered and sorted queryset (no slicing)."""
    now = now or timezone.now()
    cases = Case.objects.visible_to(scope)
    if filters.state == "open":
        cases = cases.filter(state__in=OPEN_STATES)
    elif filters.state != "all":
        cases = cases.filter(state=filters.state)
    if filters.regency and in_region(scope, filters.regency[:2], filters.regency):
        cases = cases.filter(regency_id=filters.regency)
    elif filters.province and in_region(scope, filters.province, None):
        cases = cases.filter(province_id=filters.province)
    if filters.category:
        cases = cases.filter(category=filters.category)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.assignee == "me":
        cases = cases.filter(assignee_id=scope.user_id)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    if filters.platform:
        cases = cases.filter(
            Exists(CaseItem.objects.filter(case=OuterRef("pk"), platform=filters.platform))
        )
    if filters.overdue:
        cases = cases.filter(overdue_q(now))
    if filters.q:
        cases = cases.filter(_query_q(filters.q))
    if filters.sort == "priority":
        return cases.order_by("-priority", "-created_at", "-id")
    if filters.sort == "due":
        # Soonest due first, cases without a due date last.
        return cases.order_by(F("follow_up_due").asc(nulls_last=True), "-created_at", "-id")
    return cases.order_by("-created_at", "-id")


def case_list(
    scope: Scope,
    filters: CaseFilters,
    *,
    page_size: int = PAGE_SIZE,
    now: datetime | None = None,
) -> CasePage:
    cases = filtered(scope, filters, now=now)
    start = (filters.page - 1) * page_size
    page = list(cases.select_related("assignee")[start : start + page_size + 1])
    has_next = len(page) > page_size
    page = page[:page_size]
    count = cases.order_by()[: COUNT_CAP + 1].count()
    return CasePage(
        rows=rows_for(page),
        number=filters.page,
        has_next=has_next,
        count=min(count, COUNT_CAP),
        count_capped=count > COUNT_CAP,
        filters=filters,
    )


def rows_for(cases: list[Case]) -> list[Row]:
    """What each row shows beyond the case itself, in two grouped queries for the page."""
    ids = [case.pk for case in cases]
    platforms: dict[int, set[str]] = {}
    for case_id, platform in CaseItem.objects.filter(case_id__in=ids).values_list(
        "case_id", "platform"
    ):
        platforms.setdefault(case_id, set()).add(platform)
    reports: dict[int, Any] = dict(
        Report.objects.filter(case_id__in=ids)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    return [
        Row(
            case=case, platforms=sorted(platforms.get(case.pk, ())), reports=reports.get(case.pk, 0)
        )
        for case in cases
    ]


def remaining(case: Case, now: datetime | None = None):
    """`deadlines.time_left` of the running deadline (None: no deadline runs)."""
    due = running_due(case)
    if due is None:
        return None
    try:
        from saring.cases import deadlines
    except ImportError:  # the deadline engine is another part of this context
        return None
    return deadlines.time_left(due, now or timezone.now())
