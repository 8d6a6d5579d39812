"""Pages: escalations and the platform liaison's inbox (thin: rules in
saring.cases.services.escalation and .decisions).

- /escalations/: a liaison (or Komdigi, KPU) sees only what was sent to their organisation; a
  handler the escalations of their region's cases, and the batch downloads of upload portals.
- /escalations/<pk>/: the case without reporters' personal data, the packet (signed link) and,
  for a liaison of the addressee, the decision form.
- /cases/<pk>/escalate/: the case page's escalate form (GET shows it on its own page).
- /escalations/<pk>/packet/: for handlers and the addressee, or anyone with the signed link.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import Scope, ScopeError
from saring.cases import categories
from saring.cases.deadlines import time_left
from saring.cases.models import Case, Channel, Decision, Escalation
from saring.cases.querysets import handler
from saring.cases.services import decisions, escalation
from saring.web.access import request_scope, require_role

OPEN = ("queued", "sent", "failed")
FILTERS = ("open", "answered", "overdue", "all")


def _left(due: datetime | None, now: datetime) -> str:
    """ "2 days 3 hours left" / "overdue by 5 hours" (the deadline engine's words)."""
    return time_left(due, now).label if due else ""


def _is_overdue(e: Escalation, now: datetime) -> bool:
    return bool(e.state in OPEN and e.due_at and e.due_at < now)


def _visible(scope: Scope):
    return Escalation.objects.visible_to(scope).select_related(
        "case", "channel", "channel__organisation"
    )


@require_role("viewer")
def escalation_list(request, scope):
    now = timezone.now()
    shown = request.GET.get("show", "open")
    shown = shown if shown in FILTERS else "open"
    rows = _visible(scope).order_by("due_at", "-created_at", "-id")
    if shown == "open":
        rows = rows.filter(state__in=OPEN)
    elif shown == "answered":
        rows = rows.filter(state=Escalation.State.ANSWERED)
    elif shown == "overdue":
        rows = rows.filter(state__in=OPEN, due_at__lt=now)
    rows = list(rows[:500])
    batches = []
    if handler(scope) and scope.can("analyst"):
        for channel in Channel.objects.filter(kind=Channel.Kind.BATCH, is_active=True):
            waiting = escalation.queued_for_batch(scope, channel).count()
            batches.append((channel, waiting))
    context = {
        "rows": [
            (e, _left(e.due_at, now) if e.state in OPEN else "", _is_overdue(e, now)) for e in rows
        ],
        "shown": shown,
        "filters": [
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("answered", _("Answered")),
            ("all", _("All")),
        ],
        "batches": batches,
        "liaison": not handler(scope),
    }
    return render(request, "web/liaison/escalations.html", context)


def _one(scope: Scope, pk: int) -> Escalation:
    return get_object_or_404(
        _visible(scope).prefetch_related("case__items", "case__bases", "decisions"), pk=pk
    )


DECISION_FIELDS = decisions.FIELDS


def _detail_context(scope: Scope, e: Escalation, *, values=None, problems=None) -> dict:
    now = timezone.now()
    return {
        "e": e,
        "case": e.case,
        "category_label": categories.label(e.case.category) if e.case.category else "",
        "items": list(e.case.items.all()),
        "bases": list(e.case.bases.all()),
        "decisions": list(e.decisions.all()),
        "left": _left(e.due_at, now) if e.state in OPEN else "",
        "overdue": _is_overdue(e, now),
        "may_answer": decisions.may_answer(scope, e) and e.state != Escalation.State.WITHDRAWN,
        "may_retry": escalation.handles(scope, e.case) and e.state == Escalation.State.FAILED,
        "handler": escalation.handles(scope, e.case),
        "visibility_choices": Decision.Visibility.choices,
        "account_choices": Decision.Account.choices,
        "ground_choices": Decision.Ground.choices,
        "automation_choices": Decision.Automation.choices,
        "values": values or {"account": "none", "automated_decision": "not"},
        "problems": problems or {},
    }


@require_role("viewer")
def escalation_detail(request, scope, pk: int):
    e = _one(scope, pk)
    return render(request, "web/liaison/escalation_detail.html", _detail_context(scope, e))


@require_POST
@require_role("viewer")
def escalation_decide(request, scope, pk: int):
    e = _one(scope, pk)
    data = {name: request.POST.get(name, "") for name in DECISION_FIELDS}
    data["automated_detection"] = bool(request.POST.get("automated_detection"))
    if data["decided_at"]:
        data["decided_at"] = _local_datetime(data["decided_at"])
    try:
        _decision, created = decisions.record_decision(e, data, via="page", scope=scope)
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect("web:escalation", pk=e.pk)
    except decisions.DecisionError as error:
        values = {k: request.POST.get(k, "") for k in DECISION_FIELDS}
        values["automated_detection"] = data["automated_detection"]
        context = _detail_context(scope, e, values=values, problems=error.problems)
        return render(request, "web/liaison/escalation_detail.html", context, status=422)
    if created:
        messages.success(request, _("Your decision is recorded. Thank you."))
    else:
        messages.info(request, _("This decision was recorded already."))
    return redirect("web:escalation", pk=e.pk)


def _local_datetime(value: str):
    """A `datetime-local` field's value in the site's time zone (an ISO string with offset
    passes through)."""
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(value)
    if parsed is None:
        return value  # the service names the field
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_POST
@require_role("analyst")
def escalation_retry(request, scope, pk: int):
    e = _one(scope, pk)
    try:
        escalation.retry(scope, e)
    except (ScopeError, escalation.EscalationError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Delivery queued again."))
    return redirect("web:escalation", pk=e.pk)


@login_not_required
def escalation_packet(request, pk: int):
    """The packet ZIP: with a valid signed link (the platform's system), or for a logged-in
    handler of the case or member of the addressee."""
    signature = request.GET.get("sig", "")
    if signature:
        from saring.cases.channels.base import packet_signature_valid

        if not packet_signature_valid(pk, signature):
            raise Http404
        e = get_object_or_404(Escalation, pk=pk)
    else:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        scope = request_scope(request)
        e = get_object_or_404(_visible(scope), pk=pk)
        if not escalation.may_download_packet(scope, e):
            raise Http404
    if not e.packet:
        raise Http404
    response = FileResponse(
        e.packet.open("rb"),
        as_attachment=True,
        filename=f"{e.reference}.zip",
        content_type="application/zip",
    )
    response["X-Content-SHA256"] = e.packet_sha256
    response["Cache-Control"] = "private, no-store"
    return response


@require_role("analyst")
def case_escalate(request, scope, pk: int):
    case = get_object_or_404(Case.objects.visible_to(scope), pk=pk)
    if not escalation.handles(scope, case):
        raise Http404
    channels = list(escalation.active_channels())
    if request.method == "POST":
        channel = next((c for c in channels if str(c.pk) == request.POST.get("channel")), None)
        if channel is None:
            messages.error(request, _("Choose a channel."))
            return redirect("web:case_escalate", pk=case.pk)
        try:
            made = escalation.escalate(
                scope,
                case,
                channel,
                urgent=bool(request.POST.get("urgent")),
                note=request.POST.get("note", "")[:2000],
                include_personal=bool(request.POST.get("include_personal")),
            )
        except (ScopeError, escalation.EscalationError) as error:
            messages.error(request, str(error))
            return redirect("web:case_escalate", pk=case.pk)
        messages.success(
            request,
            _("Escalated to %(channel)s as %(reference)s.")
            % {"channel": channel.name, "reference": made.reference},
        )
        return redirect(reverse("web:case", args=[case.pk]) + "#escalations")
    context = {
        "case": case,
        "may_handle": True,
        "escalation_channels": channels,
        "may_escalate": escalation.may_escalate(scope, case),
    }
    return render(request, "web/liaison/case_escalate.html", context)


@require_POST
@require_role("analyst")
def escalation_batch(request, scope, channel_pk: int):
    """Download a batch channel's queued escalations; they become sent under its batch id."""
    channel = get_object_or_404(Channel, pk=channel_pk, kind=Channel.Kind.BATCH)
    fmt = request.POST.get("format", "csv")
    try:
        batch = escalation.take_batch(scope, channel, fmt)
    except (ScopeError, escalation.EscalationError) as error:
        messages.error(request, str(error))
        return redirect("web:escalations")
    response = HttpResponse(batch.content, content_type=batch.content_type)
    response["Content-Disposition"] = f'attachment; filename="{batch.file_name}"'
    response["X-Saring-Batch"] = batch.batch_id
    return response


urlpatterns = [
    path("escalations/", escalation_list, name="escalations"),
    path("escalations/<int:pk>/", escalation_detail, name="escalation"),
    path("escalations/<int:pk>/decision/", escalation_decide, name="escalation_decide"),
    path("escalations/<int:pk>/retry/", escalation_retry, name="escalation_retry"),
    path("escalations/<int:pk>/packet/", escalation_packet, name="escalation_packet"),
    path("escalations/batch/<int:channel_pk>/", escalation_batch, name="escalation_batch"),
    path("cases/<int:pk>/escalate/", case_escalate, name="case_escalate"),
]
