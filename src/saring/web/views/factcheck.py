from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import ScopeError
from saring.factcheck import calibration, review
from saring.factcheck.imports import import_clarifications
from saring.factcheck.models import MatchThresholds, PostMatch
from saring.factcheck.querysets import reach, visible_clarifications
from saring.factcheck.services import (
    ClarificationPermissionError,
    may_edit,
    may_publish,
    save_clarification,
)
from saring.monitoring.services.uploads import store_upload
from saring.sources.records import SourceError
from saring.web.access import require_role
from saring.web.forms import ClarificationForm, ClarificationImportForm


@require_role("viewer")
def clarification_list(request, scope):
    items = visible_clarifications(scope).select_related("claim")
    status = request.GET.get("status", "")
    if status in ("draft", "published"):
        items = items.filter(status=status)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    form = ClarificationImportForm() if scope.can("analyst") else None
    return render(
        request, "web/clarifications.html", {"page": page, "status": status, "form": form}
    )


@require_role("analyst")
@require_POST
def clarification_import(request, scope):
    """A fact-check file from the browser: imported at once (such files are small); bad items
    go to the quarantine, and the import's page shows the counts."""
    form = ClarificationImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        publish = form.cleaned_data["publish"] and scope.can("admin")
        try:
            summary = import_clarifications(
                store_upload(upload),
                form.cleaned_data["format"],
                scope=scope,
                user=request.user,
                publish=publish,
                display_name=upload.name,
            )
        except SourceError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                _("%(created)d created, %(updated)d updated, %(quarantined)d quarantined.")
                % {
                    "created": summary.created,
                    "updated": summary.updated,
                    "quarantined": summary.rejected,
                },
            )
            return redirect("web:import_detail", pk=summary.run_id)
    items = visible_clarifications(scope).select_related("claim")
    page = Paginator(items, 25).get_page(1)
    return render(
        request, "web/clarifications.html", {"page": page, "status": "", "form": form}, status=400
    )


@require_role("viewer")
def clarification_detail(request, scope, pk: int):
    clarification = get_object_or_404(visible_clarifications(scope).select_related("claim"), pk=pk)
    linked = (
        clarification.matches.filter(decision__in=PostMatch.LINKED)
        .select_related("post")
        .order_by("-post__views")[:50]
    )
    return render(
        request,
        "web/clarification_detail.html",
        {
            "c": clarification,
            "reach": reach(clarification),
            "linked": linked,
            "can_edit": may_edit(scope, clarification),
        },
    )


@require_role("analyst")
def clarification_edit(request, scope, pk: int | None = None):
    clarification = None
    if pk is not None:
        clarification = get_object_or_404(visible_clarifications(scope), pk=pk)
    form = ClarificationForm(request.POST or None, instance=clarification)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_clarification(
                scope,
                clarification=clarification,
                claim_text=data["claim_text"],
                headline=data["headline"],
                verdict=data["verdict"],
                explanation=data["explanation"],
                url=data["url"],
                publisher=data["publisher"],
                sources=data["sources"],
                publish="publish" in request.POST,
            )
        except ClarificationPermissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("web:clarification", pk=saved.pk)
    context = {
        "form": form,
        "c": clarification,
        "can_publish": may_publish(scope, clarification) if clarification else scope.can("admin"),
    }
    return render(request, "web/clarification_edit.html", context)


def _review_region(request, scope) -> str:
    """The province a national reviewer picked (`?province=32`); regional ones have theirs."""
    code = request.GET.get("province") or request.POST.get("province") or ""
    return code if scope.is_national and code.replace(".", "").isdigit() else ""


@require_role("analyst")
def review_queue(request, scope):
    province = _review_region(request, scope)
    queue = review.review_queue(scope, province or None)
    match = queue.first()
    remaining = queue.count()
    item = {"match": match, "remaining": remaining, "province": province}
    if request.htmx:
        return render(request, "web/_review_item.html", item)
    version = calibration.latest_version()
    context = item | {
        "tuning": MatchThresholds.objects.filter(matcher_version=version).first(),
        "policy": calibration.auto_link_policy(version),
        "since_tune": calibration.decisions_since_last_tune(version) if version else 0,
        "retune_every": calibration.RETUNE_EVERY,
        "can_retune": calibration.may_retune(scope),
        "by_province": review.review_queue_by_province(scope) if scope.is_national else [],
    }
    return render(request, "web/review.html", context)


@require_role("admin")
@require_POST
def review_retune(request, scope):
    try:
        calibration.request_retune(scope)
    except ScopeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Re-tuning the thresholds from the reviewers' decisions."))
    return redirect("web:review")


@require_role("analyst")
@require_POST
def review_decide(request, scope, pk: int):
    match = get_object_or_404(PostMatch, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        review.decide(match, decision, scope=scope)
    except review.ReviewError as error:
        messages.error(request, str(error))
    province = _review_region(request, scope)
    target = reverse("web:review")
    return redirect(f"{target}?province={province}" if province else target)
