"""Pages: broadcasts for officers (thin: rules in saring.broadcasts.services).

The broadcasts an officer may see; recipient lists (new list, CSV import with its per-line
report, rejected rows with retry); composing with a server-side segment count ("Check");
a broadcast's page with its state, counters, progress, reach per region and the buttons that
call the services (schedule, send now, pause, resume, cancel). Addresses appear only masked.
Viewers read; analysts of the record's region and organisation write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.utils import ErrorDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saring.accounts.scope import Scope, ScopeError
from saring.broadcasts.models import Broadcast, Channel, ImportRow
from saring.broadcasts.querysets import (
    audience_size,
    reach_by_region,
    reach_totals,
    rejected_rows,
    visible_broadcasts,
    visible_lists,
)
from saring.broadcasts.services import compose
from saring.broadcasts.services import recipients as recipient_service
from saring.broadcasts.workflow import BROADCAST_WORKFLOW
from saring.monitoring.services.uploads import store_upload
from saring.regions.models import Province, Regency
from saring.sources.records import SourceError
from saring.text.sms import UCS2, measure, non_gsm_characters
from saring.web.access import require_role
from saring.workflow import TransitionError

PAGE_SIZE = 50


# --- forms -----------------------------------------------------------------------------------


def _region_choices(scope: Scope) -> tuple[list, list]:
    provinces = Province.objects.all()
    regencies = Regency.objects.select_related("province")
    if not scope.is_national:
        provinces = provinces.filter(code=scope.province_code)
        regencies = regencies.filter(province_id=scope.province_code)
        if scope.regency_code:
            regencies = regencies.filter(code=scope.regency_code)
    return (
        [("", _("— whole region of the lists —")), *provinces.values_list("code", "name")],
        [("", _("— every regency/city —")), *regencies.values_list("code", "name")],
    )


class ListForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        provinces, regencies = _region_choices(scope)
        inside = regencies[1:] if not scope.is_national else [*provinces[1:], *regencies[1:]]
        own = scope.label or _("National")
        if scope.regency_code:
            inside = []
        self.fields["region"].choices = [("", own), *inside]


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))
    phone_channel = forms.ChoiceField(
        label=gettext_lazy("Phone numbers are for"),
        choices=[(Channel.SMS, Channel.SMS.label), (Channel.WHATSAPP, Channel.WHATSAPP.label)],
        initial=Channel.SMS,
    )


class ComposeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title (for officers)"), max_length=200)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)
    subject = forms.CharField(
        label=gettext_lazy("E-mail subject"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Needed for e-mail only."),
    )
    text = forms.CharField(
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 6, "data-sms-counter": "sms-count"}),
    )
    lists = forms.MultipleChoiceField(
        label=gettext_lazy("Recipient lists"), widget=forms.CheckboxSelectMultiple
    )
    target_province = forms.ChoiceField(label=gettext_lazy("Only recipients in province"))
    target_regency = forms.ChoiceField(label=gettext_lazy("Only recipients in regency/city"))
    rate_per_second = forms.IntegerField(
        label=gettext_lazy("Messages per second"),
        min_value=1,
        max_value=compose.MAX_RATE,
        initial=50,
    )

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].choices = [
            (str(lst.pk), f"{lst.name} ({lst.size:,})") for lst in visible_lists(scope)
        ]
        provinces, regencies = _region_choices(scope)
        self.fields["target_province"].choices = provinces
        self.fields["target_province"].required = False
        self.fields["target_regency"].choices = regencies
        self.fields["target_regency"].required = False


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=gettext_lazy("Send at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def _sms_info(text: str) -> dict | None:
    if not text:
        return None
    sms = measure(text)
    return {
        "m": sms,
        "encoding": "UCS-2" if sms.encoding == UCS2 else "GSM-7",
        "non_gsm": "".join(non_gsm_characters(text))[:40],
        "limit": compose.max_segments(),
        "over": sms.segments > compose.max_segments(),
    }


# --- broadcasts ------------------------------------------------------------------------------


@require_role("viewer")
def broadcast_list(request, scope):
    broadcasts = visible_broadcasts(scope)
    state = request.GET.get("state", "")
    if state in Broadcast.State.values:
        broadcasts = broadcasts.filter(state=state)
    page = Paginator(broadcasts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "web/broadcasts/list.html",
        {
            "page": page,
            "state": state,
            "states": Broadcast.State.choices,
            "may_compose": compose.may_compose(scope),
            "scope": scope,
        },
    )


@require_role("viewer")
def broadcast_compose(request, scope, pk: int | None = None):
    broadcast = None
    if pk is not None:
        broadcast = get_object_or_404(visible_broadcasts(scope), pk=pk)
        if broadcast.state != Broadcast.State.DRAFT or not scope.edits_record(
            broadcast, role="analyst"
        ):
            messages.error(request, _("Only a draft can be changed, by analysts of its region."))
            return redirect("web:broadcast", pk=broadcast.pk)
    elif not compose.may_compose(scope):
        raise ScopeError(_("Composing a broadcast needs the analyst role."))
    initial = {}
    if broadcast is not None:
        initial = {
            "title": broadcast.title,
            "channel": broadcast.channel,
            "subject": broadcast.subject,
            "text": broadcast.text,
            "lists": [str(pk) for pk in broadcast.lists.values_list("pk", flat=True)],
            "target_province": broadcast.target_province_id or "",
            "target_regency": broadcast.target_regency_id or "",
            "rate_per_second": broadcast.rate_per_second,
        }
    form = ComposeForm(request.POST or None, initial=initial, scope=scope)
    checked = None
    status = 200
    if request.method == "POST" and "check" in request.POST:
        # "Check" measures the message only: other fields may still be empty.
        form.is_valid()
        form._errors = ErrorDict()
        channel, text = request.POST.get("channel", ""), request.POST.get("text", "")
        checked = _sms_info(text) if channel == Channel.SMS else None
        try:
            compose.check_text(channel, text, request.POST.get("subject", ""))
        except compose.ComposeError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        checked = _sms_info(data["text"]) if data["channel"] == Channel.SMS else None
        try:
            saved = compose.save_broadcast(
                scope,
                broadcast,
                title=data["title"],
                text=data["text"],
                channel=data["channel"],
                subject=data["subject"],
                lists=[int(x) for x in data["lists"]],
                target_province=data["target_province"] or None,
                target_regency=data["target_regency"] or None,
                rate_per_second=data["rate_per_second"],
            )
        except compose.ComposeError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, error.message)
        else:
            messages.success(request, _("Broadcast saved as a draft."))
            return redirect("web:broadcast", pk=saved.pk)
    elif request.method == "POST":
        text = request.POST.get("text", "")
        checked = _sms_info(text) if request.POST.get("channel") == Channel.SMS else None
    if request.method == "POST" and form.errors:
        status = 400
    return render(
        request,
        "web/broadcasts/compose.html",
        {"form": form, "broadcast": broadcast, "checked": checked, "scope": scope},
        status=status,
    )


def _progress(broadcast: Broadcast) -> int:
    done = broadcast.sent + broadcast.failed + broadcast.skipped
    return min(100, round(100 * done / broadcast.planned)) if broadcast.planned else 0


@require_role("viewer")
def broadcast_detail(request, scope, pk: int):
    broadcast = get_object_or_404(visible_broadcasts(scope), pk=pk)
    rows = reach_by_region(broadcast)
    may = {
        to: BROADCAST_WORKFLOW.permits(scope, broadcast, to)
        for to in ("scheduled", "draft", "sending", "paused", "cancelled")
    }
    state = broadcast.state
    buttons = {
        "schedule": state == "draft" and may["scheduled"],
        "unschedule": state == "scheduled" and may["draft"],
        "send_now": state in ("draft", "scheduled") and may["sending"],
        "pause": state == "sending" and may["paused"],
        "resume": state == "paused" and may["sending"],
        "cancel": may["cancelled"],
        "edit": state == "draft" and scope.edits_record(broadcast, role="analyst"),
    }
    return render(
        request,
        "web/broadcasts/detail.html",
        {
            "broadcast": broadcast,
            "lists": broadcast.lists.all(),
            "audience": audience_size(broadcast) if state in ("draft", "scheduled") else None,
            "sms": _sms_info(broadcast.text) if broadcast.channel == Channel.SMS else None,
            "rows": rows,
            "totals": reach_totals(rows),
            "progress": _progress(broadcast),
            "buttons": buttons,
            "schedule_form": ScheduleForm(),
            "scope": scope,
        },
    )


@require_POST
@require_role("analyst")
def broadcast_action(request, scope, pk: int):
    from saring.broadcasts.services import sending

    broadcast = get_object_or_404(visible_broadcasts(scope), pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise compose.ComposeError(_("Choose a date and time."), "when")
            compose.schedule(scope, broadcast, form.cleaned_data["when"])
            done = _("Broadcast scheduled.")
        elif action == "unschedule":
            compose.unschedule(scope, broadcast)
            done = _("Back to draft.")
        elif action == "send_now":
            sending.start(scope, broadcast)
            done = _("Sending started.")
        elif action == "pause":
            sending.pause(scope, broadcast, request.POST.get("why", ""))
            done = _("Broadcast paused.")
        elif action == "resume":
            sending.resume(scope, broadcast)
            done = _("Sending resumed.")
        elif action == "cancel":
            compose.cancel(scope, broadcast, request.POST.get("why", ""))
            done = _("Broadcast cancelled.")
        else:
            messages.error(request, _("Unknown action."))
            return redirect("web:broadcast", pk=pk)
    except (compose.ComposeError, TransitionError, ValueError) as error:
        messages.error(request, getattr(error, "message", None) or str(error))
    else:
        messages.success(request, done)
    return redirect("web:broadcast", pk=pk)


# --- recipient lists -------------------------------------------------------------------------


@require_role("viewer")
def list_index(request, scope):
    return render(
        request,
        "web/broadcasts/lists.html",
        {
            "lists": visible_lists(scope),
            "may_create": scope.can("analyst"),
            "scope": scope,
        },
    )


@require_role("analyst")
def list_new(request, scope):
    form = ListForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        region = form.cleaned_data["region"] or ""
        try:
            made = recipient_service.create_list(
                scope,
                form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                province=region.split(".")[0] or None,
                regency=region if "." in region else None,
            )
        except recipient_service.RecipientError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("List created. Import its recipients from a CSV file."))
            return redirect("web:broadcast_recipient_list", pk=made.pk)
    return render(
        request,
        "web/broadcasts/list_new.html",
        {"form": form, "scope": scope},
        status=400 if form.errors else 200,
    )


def _list_page(request, scope, recipient_list, *, form=None, result=None, status=200):
    return render(
        request,
        "web/broadcasts/list_detail.html",
        {
            "recipient_list": recipient_list,
            "may_write": recipient_service.may_write(scope, recipient_list),
            "form": form or ImportForm(),
            "result": result,
            "opted_out": recipient_service.opted_out_on_list(recipient_list),
            "rejected": rejected_rows(recipient_list).count(),
            "broadcasts": recipient_list.broadcasts.filter(scope.visible_q())[:20],
            "scope": scope,
        },
        status=status,
    )


@require_role("viewer")
def list_detail(request, scope, pk: int):
    recipient_list = get_object_or_404(visible_lists(scope), pk=pk)
    return _list_page(request, scope, recipient_list)


@require_POST
@require_role("analyst")
def list_import(request, scope, pk: int):
    recipient_list = get_object_or_404(visible_lists(scope), pk=pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, scope, recipient_list, form=form, status=400)
    upload = form.cleaned_data["file"]
    stored = store_upload(upload)
    try:
        with stored.open("rb") as handle:
            result = recipient_service.import_csv(
                scope,
                recipient_list,
                handle,
                upload.name,
                phone_channel=form.cleaned_data["phone_channel"],
            )
    except SourceError as error:
        form.add_error("file", error.message)
        return _list_page(request, scope, recipient_list, form=form, status=400)
    except recipient_service.RecipientError as error:
        form.add_error(None, str(error))
        return _list_page(request, scope, recipient_list, form=form, status=400)
    finally:
        # The addresses live on encrypted, never as a plain file left behind.
        stored.unlink(missing_ok=True)
        stored.parent.rmdir()
    recipient_list.refresh_from_db()
    return _list_page(request, scope, recipient_list, result=result)


@require_role("viewer")
def list_rejected(request, scope, pk: int):
    recipient_list = get_object_or_404(visible_lists(scope), pk=pk)
    page = Paginator(rejected_rows(recipient_list), PAGE_SIZE).get_page(request.GET.get("page"))
    headers = {}
    for row in page:
        key = row.file_name
        if key not in headers:
            headers[key] = recipient_service.row_header(row)
        row.header_text = ";".join(headers[key])
    return render(
        request,
        "web/broadcasts/rejected.html",
        {
            "recipient_list": recipient_list,
            "page": page,
            "may_write": recipient_service.may_write(scope, recipient_list),
            "scope": scope,
        },
    )


def _visible_row(scope: Scope, pk: int) -> ImportRow:
    return get_object_or_404(
        ImportRow.objects.select_related("recipient_list").filter(
            recipient_list__in=visible_lists(scope)
        ),
        pk=pk,
    )


@require_POST
@require_role("analyst")
def row_retry(request, scope, pk: int):
    row = _visible_row(scope, pk)
    try:
        result = recipient_service.retry_row(scope, row, request.POST.get("row", ""))
    except recipient_service.RecipientError as error:
        messages.error(
            request, _("Line %(line)d: %(reason)s") % {"line": row.line, "reason": error}
        )
    else:
        if result.imported:
            messages.success(request, _("Line %(line)d imported.") % {"line": row.line})
        else:
            messages.success(
                request, _("Line %(line)d was already on the list.") % {"line": row.line}
            )
    return redirect("web:broadcast_list_rejected", pk=row.recipient_list_id)


@require_POST
@require_role("analyst")
def row_discard(request, scope, pk: int):
    row = _visible_row(scope, pk)
    list_id, line = row.recipient_list_id, row.line
    recipient_service.discard_row(scope, row)
    messages.success(request, _("Line %(line)d discarded.") % {"line": line})
    return redirect("web:broadcast_list_rejected", pk=list_id)


urlpatterns = [
    path("broadcasts/", broadcast_list, name="broadcasts"),
    path("broadcasts/new/", broadcast_compose, name="broadcast_new"),
    path("broadcasts/<int:pk>/", broadcast_detail, name="broadcast"),
    path("broadcasts/<int:pk>/edit/", broadcast_compose, name="broadcast_edit"),
    path("broadcasts/<int:pk>/action/", broadcast_action, name="broadcast_action"),
    path("broadcasts/lists/", list_index, name="broadcast_lists"),
    path("broadcasts/lists/new/", list_new, name="broadcast_list_new"),
    path("broadcasts/lists/<int:pk>/", list_detail, name="broadcast_recipient_list"),
    path("broadcasts/lists/<int:pk>/import/", list_import, name="broadcast_list_import"),
    path("broadcasts/lists/<int:pk>/rejected/", list_rejected, name="broadcast_list_rejected"),
    path("broadcasts/rejected/<int:pk>/retry/", row_retry, name="broadcast_row_retry"),
    path("broadcasts/rejected/<int:pk>/discard/", row_discard, name="broadcast_row_discard"),
]
