"""Pages: cases (thin: rules in saring.cases.services).

The list and the case page for handlers (Bawaslu, superusers) and, read-only, for the KPU and
Komdigi users who see a case through their own report or an escalation to them; the officer's
"report this" (a finding) from a post, a narrative or a search result; triage, moves, merge,
split and the audited "Show contact" of a reporter. Every POST ends in a redirect with a
message, but "Show contact", which renders the page once with that contact (never stored in a
session or a URL)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.cases import categories
from saring.cases.listing import CaseFilters, case_list, remaining
from saring.cases.models import Case, DeadlineRule, Report
from saring.cases.querysets import handler
from saring.cases.services import escalation, handling, legal, merging, privacy
from saring.cases.services.handling import HandlingError
from saring.cases.workflow import CASE_WORKFLOW
from saring.factcheck.models import Narrative
from saring.monitoring.models import Post
from saring.web.access import require_role, safe_next
from saring.web.region_choices import own_and_below
from saring.workflow import TransitionError

PLATFORMS = ("tiktok", "instagram", "facebook", "youtube", "x", "threads", "other")
MAX_BULK = 200


def _may_list(scope: Scope) -> bool:
    return scope.organisation_kind != "platform"  # liaisons have their own inbox


def _language() -> str:
    return get_language() or "id"


def _split_region(value: str) -> tuple[str | None, str | None]:
    value = (value or "").strip()
    if "." in value:
        return value[:2], value
    return (value or None), None


# --- the list ---------------------------------------------------------------------------------


@require_role("viewer")
def case_list_view(request, scope):
    if not _may_list(scope):
        raise PermissionDenied(_("Platform liaisons see the escalations addressed to them."))
    filters = CaseFilters.from_query(request.GET)
    now = timezone.now()
    page = case_list(scope, filters, now=now)
    params = request.GET.copy()
    params.pop("page", None)
    labels = dict(categories.choices(_language()))
    rows = [
        (row, remaining(row.case, now), labels.get(row.case.category, row.case.category))
        for row in page.rows
    ]
    chosen = filters.regency or filters.province
    regions = (
        [(code, name, code == chosen) for code, name in own_and_below(scope)]
        if handler(scope)
        else []
    )
    context = {
        "page": page,
        "rows": rows,
        "filters": filters,
        "query_string": params.urlencode(),
        "states": Case.State.choices,
        "priorities": Case.Priority.choices,
        "category_choices": list(labels.items()),
        "platforms": PLATFORMS,
        "regions": regions,
        "handler": handler(scope),
    }
    return render(request, "web/cases/case_list.html", context)


# --- one case ---------------------------------------------------------------------------------


def _visible_case(scope: Scope, pk: int) -> Case:
    if not _may_list(scope):
        raise Http404
    return get_object_or_404(
        Case.objects.visible_to(scope).select_related(
            "province", "regency", "organisation", "assignee", "merged_into", "narrative"
        ),
        pk=pk,
    )


def _timeline(case: Case, report_ids: list[int], escalation_ids: list[int]):
    from django.db.models import Q

    subjects = Q(subject_type="cases.case", subject_id=str(case.pk))
    if report_ids:
        subjects |= Q(subject_type="cases.report", subject_id__in=[str(i) for i in report_ids])
    if escalation_ids:
        subjects |= Q(
            subject_type="cases.escalation", subject_id__in=[str(i) for i in escalation_ids]
        )
    return AuditEvent.objects.filter(subjects).order_by("-seq")[:100]


def _deadline_sources(case: Case) -> dict[str, str]:
    rules = {rule.step: rule.source for rule in DeadlineRule.objects.filter(regime=case.regime)}
    follow_up = rules.get(DeadlineRule.Step.FOLLOW_UP, "")
    if case.follow_up_extended and rules.get(DeadlineRule.Step.EXTENSION):
        follow_up = f"{follow_up}; {rules[DeadlineRule.Step.EXTENSION]}"
    return {"follow_up": follow_up}


def _detail_context(request, scope: Scope, case: Case, revealed: dict | None = None) -> dict:
    now = timezone.now()
    items = list(case.items.select_related("post").order_by("id"))
    reports = list(case.reports.order_by("created_at", "id"))
    escalations = list(case.escalations.select_related("channel").order_by("-created_at"))
    may_handle = handling.handles(scope, case)
    platforms = {item.platform for item in items}
    chosen = set(case.bases.values_list("pk", flat=True))
    language = _language()
    context = {
        "case": case,
        "items": items,
        "reports": [
            (n, report, privacy.may_reveal(scope, report))
            for n, report in enumerate(reports, start=1)
        ],
        "revealed": revealed or {},
        "attachments": case.attachments.all(),
        "escalations": escalations,
        "timeline": _timeline(case, [r.pk for r in reports], [e.pk for e in escalations]),
        "may_handle": may_handle,
        "moves": handling.allowed_moves(scope, case) if may_handle else [],
        "may_triage": may_handle
        and (
            CASE_WORKFLOW.permits(scope, case, Case.State.TRIAGED)
            or CASE_WORKFLOW.permits(scope, case, Case.State.REJECTED)
        ),
        "may_merge": may_handle and CASE_WORKFLOW.permits(scope, case, Case.State.MERGED),
        "may_unmerge": may_handle and case.state == Case.State.MERGED,
        "may_split": may_handle and case.state != Case.State.MERGED and len(items) > 1,
        "may_extend": may_handle
        and not case.follow_up_extended
        and case.state in ("received", "triaged", "reopened"),
        "remaining": remaining(case, now),
        "follow_up_left": _left(case.follow_up_due, now),
        "platform_left": _left(case.platform_due, now),
        "sources": _deadline_sources(case),
        "category_choices": categories.choices(language),
        "category_label": categories.label(case.category, language) if case.category else "",
        "basis_groups": legal.grouped_choices(case.category, platforms),
        "chosen_bases": chosen,
        "bases": [(basis, basis.summary(language)) for basis in case.bases.all()],
        "action_labels": dict(Action.choices),
        "regions": own_and_below(scope) if may_handle else [],
        "region_value": case.regency_id or case.province_id or "",
        "priorities": Case.Priority.choices,
        "assignees": handling.assignable_users(case) if may_handle else [],
        "language": language,
        "escalation_channels": escalation.active_channels() if may_handle else [],
    }
    return context


def _left(due, now):
    if due is None:
        return None
    try:
        from saring.cases import deadlines
    except ImportError:
        return None
    return deadlines.time_left(due, now)


@require_role("viewer")
def case_detail(request, scope, pk: int):
    case = _visible_case(scope, pk)
    return render(request, "web/cases/case_detail.html", _detail_context(request, scope, case))


def _back(case: Case):
    return redirect("web:case", pk=case.pk)


def _refused(request, error: Exception) -> None:
    messages.error(request, str(error))


@require_role("analyst")
@require_POST
def case_triage(request, scope, pk: int):
    case = _visible_case(scope, pk)
    data = request.POST
    province, regency = _split_region(data.get("region", ""))
    basis_ids = [int(v) for v in data.getlist("bases") if v.isdigit()]
    assignee = None
    if data.get("assignee", "").isdigit():
        assignee = get_user_model().objects.filter(pk=int(data["assignee"])).first()
    priority = data.get("priority", "")
    try:
        handling.triage(
            scope,
            case,
            valid=data.get("valid") == "yes",
            reason=data.get("reason", ""),
            category=data.get("category", ""),
            bases=list(legal.LegalBasis.objects.filter(pk__in=basis_ids)),
            province=province,
            regency=regency,
            priority=int(priority) if priority.isdigit() else 0,
            assignee=assignee,
        )
    except (HandlingError, ScopeError, TransitionError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Triage saved."))
    return _back(case)


@require_role("analyst")
@require_POST
def case_move(request, scope, pk: int):
    case = _visible_case(scope, pk)
    try:
        handling.move(scope, case, request.POST.get("to", ""), request.POST.get("why", ""))
    except (HandlingError, ScopeError, TransitionError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Case updated."))
    return _back(case)


@require_role("analyst")
@require_POST
def case_assign(request, scope, pk: int):
    case = _visible_case(scope, pk)
    value = request.POST.get("assignee", "")
    user = get_user_model().objects.filter(pk=int(value)).first() if value.isdigit() else None
    try:
        handling.assign(scope, case, user)
    except (HandlingError, ScopeError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Assignee saved."))
    return _back(case)


@require_role("analyst")
@require_POST
def case_extend(request, scope, pk: int):
    case = _visible_case(scope, pk)
    try:
        handling.extend_follow_up(scope, case, request.POST.get("why", ""))
    except (HandlingError, ScopeError, ImportError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Follow-up deadline extended."))
    return _back(case)


@require_role("analyst")
@require_POST
def case_merge(request, scope, pk: int):
    case = _visible_case(scope, pk)
    target = merging.find_by_reference(request.POST.get("target", ""), scope)
    if target is None:
        messages.error(request, _("No case with that reference that you may see."))
        return _back(case)
    try:
        target = merging.merge(scope, case, target, request.POST.get("why", ""))
    except (HandlingError, ScopeError, TransitionError) as error:
        _refused(request, error)
        return _back(case)
    messages.success(
        request,
        _("%(source)s merged into %(target)s.")
        % {"source": case.reference, "target": target.reference},
    )
    return _back(target)


@require_role("analyst")
@require_POST
def case_unmerge(request, scope, pk: int):
    case = _visible_case(scope, pk)
    try:
        merging.unmerge(scope, case, request.POST.get("why", ""))
    except (HandlingError, ScopeError, TransitionError) as error:
        _refused(request, error)
    else:
        messages.success(request, _("Merge undone."))
    return _back(case)


@require_role("analyst")
@require_POST
def case_split(request, scope, pk: int):
    case = _visible_case(scope, pk)
    ids = [int(v) for v in request.POST.getlist("items") if v.isdigit()]
    try:
        new = merging.split(scope, case, ids, request.POST.get("why", ""))
    except (HandlingError, ScopeError) as error:
        _refused(request, error)
        return _back(case)
    messages.success(
        request, _("Content split into the new case %(ref)s.") % {"ref": new.reference}
    )
    return _back(new)


@require_role("analyst")
@require_POST
def case_reveal(request, scope, pk: int):
    """One audited read of a reporter's contact, shown on this response only."""
    case = _visible_case(scope, pk)
    report = get_object_or_404(
        Report.objects.select_related("case"), pk=request.POST.get("report"), case=case
    )
    try:
        contact = privacy.reveal_reporter(scope, report)
    except ScopeError as error:
        raise PermissionDenied(str(error)) from None
    context = _detail_context(request, scope, case, revealed={report.pk: contact})
    response = render(request, "web/cases/case_detail.html", context)
    response["Cache-Control"] = "no-store"  # personal data: not kept by the browser's cache
    return response


# --- findings ---------------------------------------------------------------------------------


def _selection(request) -> dict:
    """What the officer selected: one post, a narrative, or posts from a search result."""
    data = request.POST
    ids = [int(v) for v in data.getlist("post") if v.isdigit()][:MAX_BULK]
    narrative = None
    if data.get("narrative", "").isdigit():
        narrative = get_object_or_404(Narrative, number=int(data["narrative"]))
        if narrative.merged_into_id:
            narrative = narrative.merged_into
    posts = list(Post.objects.filter(pk__in=ids).order_by("-virality", "id")) if ids else []
    return {"posts": posts, "narrative": narrative}


@require_role("analyst")
@require_POST
def case_finding(request, scope):
    """Step 1 (no category yet): confirm the selection and choose a category. Step 2: open the
    finding and go to its case."""
    if not handling.may_find(scope):
        raise PermissionDenied(_("Only analysts may open a finding."))
    selection = _selection(request)
    if not selection["posts"] and selection["narrative"] is None:
        messages.error(request, _("Select at least one post."))
        return redirect(safe_next(request, "web:search"))
    category = request.POST.get("category", "")
    if not category:
        return render(
            request,
            "web/cases/case_finding.html",
            {
                **selection,
                "category_choices": categories.choices(_language()),
                "suggested": request.POST.get("suggested", ""),
                "next": safe_next(request, "web:search"),
            },
        )
    try:
        case, skipped = handling.open_finding(
            scope,
            posts=selection["posts"],
            narrative=selection["narrative"],
            category=category,
            summary=request.POST.get("summary", "").strip(),
        )
    except (HandlingError, ScopeError) as error:
        _refused(request, error)
        return redirect(safe_next(request, "web:search"))
    if skipped:
        messages.warning(
            request,
            _("%(n)d pieces of content were already in other cases and were not added: %(keys)s")
            % {"n": len(skipped), "keys": ", ".join(skipped[:10])},
        )
    messages.success(request, _("Finding recorded in %(ref)s.") % {"ref": case.reference})
    if not Case.objects.visible_to(scope).filter(pk=case.pk).exists():
        return redirect(safe_next(request, "web:search"))  # sent to another office
    return _back(case)


urlpatterns: list = [
    path("cases/", case_list_view, name="cases"),
    path("cases/find/", case_finding, name="case_finding"),
    path("cases/<int:pk>/", case_detail, name="case"),
    path("cases/<int:pk>/triage/", case_triage, name="case_triage"),
    path("cases/<int:pk>/move/", case_move, name="case_move"),
    path("cases/<int:pk>/assign/", case_assign, name="case_assign"),
    path("cases/<int:pk>/extend/", case_extend, name="case_extend"),
    path("cases/<int:pk>/merge/", case_merge, name="case_merge"),
    path("cases/<int:pk>/unmerge/", case_unmerge, name="case_unmerge"),
    path("cases/<int:pk>/split/", case_split, name="case_split"),
    path("cases/<int:pk>/contact/", case_reveal, name="case_reveal"),
]
