from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.factcheck import review
from saring.factcheck.models import PostMatch
from saring.factcheck.querysets import reach, visible_clarifications
from saring.factcheck.services import ClarificationPermissionError, save_clarification
from saring.web.access import require_role
from saring.web.forms import ClarificationForm


@require_role("viewer")
def clarification_list(request, scope):
    items = visible_clarifications(scope).select_related("claim")
    status = request.GET.get("status", "")
    if status in ("draft", "published"):
        items = items.filter(status=status)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(request, "web/clarifications.html", {"page": page, "status": status})


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
        {"c": clarification, "reach": reach(clarification), "linked": linked},
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
                request.user,
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
    return render(request, "web/clarification_edit.html", {"form": form, "c": clarification})


@require_role("analyst")
def review_queue(request, scope):
    match = review.review_queue(scope).first()
    remaining = review.review_queue(scope).count()
    template = "web/_review_item.html" if request.htmx else "web/review.html"
    return render(request, template, {"match": match, "remaining": remaining})


@require_role("analyst")
@require_POST
def review_decide(request, scope, pk: int):
    match = get_object_or_404(PostMatch, pk=pk)
    decision = request.POST.get("decision", "")
    try:
        review.decide(match, decision, scope=scope, user=request.user)
    except review.ReviewError as error:
        messages.error(request, str(error))
    return redirect("web:review")
