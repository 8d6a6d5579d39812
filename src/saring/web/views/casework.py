"""Pages: casework (thin: rules in saring.cases.services): the overdue list, the transparency
figures and their exports, and the messages sent to a case's reporters. Handlers only
(Bawaslu offices and superusers: saring.cases.querysets.handler)."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope
from saring.cases.models import Case
from saring.cases.querysets import handler
from saring.cases.services import notify, reminders, transparency
from saring.regions.models import Province
from saring.web.access import require_role

PAGE_SIZE = 50


def _require_handler(scope: Scope) -> None:
    if not handler(scope):
        raise PermissionDenied(_("Only the offices that handle cases see this page."))


@require_role("viewer")
def overdue_list(request, scope):
    """Overdue and due-within-24-hours cases of the scope, most overdue first."""
    _require_handler(scope)
    now = timezone.now()
    cases = reminders.attention(scope, now).select_related("assignee", "province", "regency")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page)
    sources = reminders.deadline_sources()
    escalation_sources = reminders.escalation_sources([case.pk for case in rows])
    entries = [
        {
            "case": case,
            "left": reminders.remaining(case.due, now),
            "deadline_label": reminders.DEADLINE_LABELS.get(case.deadline, ""),
            "source": reminders.source_of(case, sources, escalation_sources),
        }
        for case in rows
    ]
    context = {
        "page": page,
        "entries": entries,
        "overdue_count": reminders.overdue(scope, now).count(),
    }
    return render(request, "web/casework/overdue.html", context)


def _figures_from(request, scope: Scope) -> tuple[transparency.Figures, dict]:
    data = request.GET
    form = {
        "from": (data.get("from") or "").strip()[:7],
        "to": (data.get("to") or "").strip()[:7],
        "group_by": [g for g in data.getlist("group_by") if g in transparency.DIMENSIONS],
        "province": (data.get("province") or "").strip()[:2],
    }
    if not form["group_by"]:
        form["group_by"] = ["month", "region"]
    error = ""
    start = end = None
    try:
        start = transparency.parse_month(form["from"]) if form["from"] else None
        end = transparency.parse_month(form["to"]) if form["to"] else None
    except transparency.FiguresError:
        error = _("A month is written YYYY-MM, e.g. 2024-02.")
        start = end = None
    if start and end and start > end:
        error = _("The period starts after it ends.")
        start = end = None
    if start and not end:
        end = transparency.default_period()[1]
        end = max(end, start)
    if end and not start:
        start = end
    province = form["province"] if scope.is_national else None
    if province and not Province.objects.filter(pk=province).exists():
        province = None
    result = transparency.figures(
        scope,
        start=start,
        end=end,
        group_by=form["group_by"],
        province=province,
        language=get_language() or "id",
    )
    form["from"], form["to"] = result.period
    form["error"] = error
    return result, form


def _query(form: dict) -> str:
    pairs = [("from", form["from"]), ("to", form["to"])]
    pairs += [("group_by", g) for g in form["group_by"]]
    if form.get("province"):
        pairs.append(("province", form["province"]))
    return urlencode(pairs)


@require_role("viewer")
def transparency_page(request, scope):
    _require_handler(scope)
    result, form = _figures_from(request, scope)
    columns = result.columns()[2:]  # the period is in the heading
    records = result.records()
    context = {
        "result": result,
        "form": form,
        "columns": [(c, transparency.LABELS.get(c, c)) for c in columns],
        "table": [[record[c] for c in columns] for record in records],
        "total": result.total,
        "dimensions": [
            ("month", _("Month")),
            ("region", _("Region")),
            ("category", _("Category")),
            ("platform", _("Platform")),
        ],
        "provinces": Province.objects.order_by("code") if scope.is_national else [],
        "query": _query(form),
    }
    return render(request, "web/casework/transparency.html", context)


@require_role("viewer")
def transparency_export(request, scope, kind: str):
    """The page's figures as CSV or XLSX: counts and region/category/platform codes only."""
    _require_handler(scope)
    if kind not in ("csv", "xlsx"):
        raise Http404(kind)
    result, _form = _figures_from(request, scope)
    start, end = result.period
    name = f"saring-transparansi-{start}_{end}.{kind}"
    if kind == "csv":
        response = HttpResponse(transparency.to_csv(result), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        transparency.to_xlsx(result, buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_role("viewer")
def case_messages(request, scope, pk: int):
    """The messages to a case's reporters: which were sent, which failed and why (no contact
    details: those are behind the audited "Show contact" of the case page)."""
    _require_handler(scope)
    case = get_object_or_404(Case.objects.visible_to(scope), pk=pk)
    context = {"case": case, "notifications": notify.messages_for(case)[:500]}
    return render(request, "web/casework/messages.html", context)


urlpatterns = [
    path("cases/overdue/", overdue_list, name="cases_overdue"),
    path("cases/transparency/", transparency_page, name="cases_transparency"),
    path("cases/transparency.<str:kind>", transparency_export, name="cases_transparency_export"),
    path("cases/<int:pk>/messages/", case_messages, name="case_messages"),
]
