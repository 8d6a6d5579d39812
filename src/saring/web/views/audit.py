from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode

from saring.audit.actions import Action
from saring.audit.querysets import events
from saring.web.access import require_role

PAGE_SIZE = 50


@require_role("admin")
def audit_log(request, scope):
    """The audit trail, filtered by person, action and subject (admins, within their scope)."""
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "subject_type": request.GET.get("subject_type", "").strip(),
        "subject_id": request.GET.get("subject_id", "").strip(),
    }
    if filters["action"] not in Action.values:
        filters["action"] = ""
    page = Paginator(events(scope, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(
        request,
        "web/audit.html",
        {"page": page, "filters": filters, "actions": Action.choices, "query": query},
    )
