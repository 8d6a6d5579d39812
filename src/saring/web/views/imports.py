from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import ScopeError
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services import quarantine
from saring.monitoring.services.uploads import start_upload
from saring.sources.records import SourceError
from saring.web.access import require_role, safe_next
from saring.web.forms import UploadForm


@require_role("viewer")
def imports(request, scope):
    form = UploadForm()
    if request.method == "POST":
        if not scope.can("analyst"):
            messages.error(request, _("Uploading needs the analyst role."))
            return redirect("web:imports")
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                run = start_upload(
                    scope,
                    request.user,
                    form.cleaned_data["file"],
                    form.cleaned_data["format"],
                    captured_at=form.cleaned_data.get("captured_at"),
                )
            except SourceError as error:
                form.add_error("file", error.message)
            else:
                return redirect("web:import_detail", pk=run.pk)
    runs = ImportRun.objects.visible_to(scope).select_related("uploaded_by")[:50]
    return render(request, "web/imports.html", {"form": form, "runs": runs})


@require_role("viewer")
def import_detail(request, scope, pk: int):
    run = get_object_or_404(ImportRun.objects.visible_to(scope), pk=pk)
    template = "web/_import_progress.html" if request.htmx else "web/import_detail.html"
    return render(request, template, {"run": run, "open_quarantine": run.quarantine.open().count()})


@require_role("viewer")
def quarantine_list(request, scope):
    records = QuarantinedRecord.objects.visible_to(scope).select_related("run__organisation")
    run_id = request.GET.get("run")
    status = request.GET.get("status", "open")
    if run_id and run_id.isdigit():
        records = records.filter(run_id=int(run_id))
    if status in QuarantinedRecord.Status.values:
        records = records.filter(status=status)
    page = Paginator(records, 20).get_page(request.GET.get("page"))
    for record in page:  # the page offers retry/discard only where the service would allow it
        record.can_handle = scope.can("analyst") and quarantine.may_handle(scope, record)
    return render(
        request,
        "web/quarantine.html",
        {
            "page": page,
            "run_id": run_id or "",
            "status": status,
            "statuses": QuarantinedRecord.Status.choices,
        },
    )


def _submitted_payload(request, record: QuarantinedRecord) -> str | None:
    """The user's fix of the raw record, or None to retry the stored payload: when the page
    sent none (a record too large to edit there) or sent it back unchanged. The text is taken
    as typed (no stripping), only the browser's CRLF line breaks turned back into LF."""
    if "payload" not in request.POST:
        return None
    typed = request.POST["payload"]
    stored = record.payload
    if "\r\n" not in stored:
        typed = typed.replace("\r\n", "\n")
    if typed == stored or typed.strip() == stored.strip():
        return None
    return typed


@require_role("analyst")
@require_POST
def quarantine_retry(request, scope, pk: int):
    record = get_object_or_404(QuarantinedRecord.objects.visible_to(scope), pk=pk)
    try:
        summary = quarantine.retry(
            [record], payload=_submitted_payload(request, record), scope=scope
        )
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect(safe_next(request, "web:quarantine"))
    if summary.quarantined:
        record.refresh_from_db()
        messages.error(
            request, _("Still not readable: %(reason)s") % {"reason": record.reason_text}
        )
    else:
        messages.success(request, _("Record imported."))
    return redirect(safe_next(request, "web:quarantine"))


@require_role("analyst")
@require_POST
def quarantine_retry_run(request, scope, pk: int):
    run = get_object_or_404(ImportRun.objects.visible_to(scope), pk=pk)
    try:
        summary = quarantine.retry(run.quarantine.open().select_related("run"), scope=scope)
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect("web:import_detail", pk=run.pk)
    messages.info(
        request,
        _("%(ok)d records imported, %(bad)d still quarantined.")
        % {"ok": summary.read, "bad": summary.quarantined},
    )
    return redirect("web:import_detail", pk=run.pk)


@require_role("analyst")
@require_POST
def quarantine_discard(request, scope, pk: int):
    record = get_object_or_404(QuarantinedRecord.objects.visible_to(scope), pk=pk)
    try:
        quarantine.discard([record], scope=scope)
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect(safe_next(request, "web:quarantine"))
    messages.info(request, _("Record discarded."))
    return redirect(safe_next(request, "web:quarantine"))
