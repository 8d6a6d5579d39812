from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.monitoring.models import Watchlist
from saring.monitoring.services.watchlists import (
    WatchlistPermissionError,
    WatchlistReviewError,
    may_edit,
    may_propose,
    may_review,
    propose_watchlist,
    request_rescore,
    review_proposal,
    save_watchlist,
)
from saring.web.access import require_role, safe_next
from saring.web.forms import WatchlistForm, WatchlistProposalForm

# A job still queued after this long has most likely no worker to run it: the page says so.
WORKER_WAIT = timedelta(seconds=60)


def _rescore_context(scope, watchlist: Watchlist) -> dict:
    waiting = (
        watchlist.rescore_state == Watchlist.Rescore.QUEUED
        and watchlist.rescore_queued_at is not None
        and timezone.now() - watchlist.rescore_queued_at > WORKER_WAIT
    )
    return {"w": watchlist, "editable": may_edit(scope, watchlist), "no_worker": waiting}


@require_role("viewer")
def watchlist_list(request, scope):
    watchlists = Watchlist.objects.visible_to(scope).select_related(
        "category", "province", "regency", "updated_by", "organisation", "proposed_by"
    )
    rows = [(w, may_edit(scope, w), _rescore_context(scope, w)) for w in watchlists]
    proposals = [w for w, _editable, _ctx in rows if w.status == Watchlist.Status.PROPOSED]
    return render(
        request,
        "web/watchlists.html",
        {"rows": rows, "proposals": proposals, "can_propose": may_propose(scope)},
    )


@require_role("viewer")
def watchlist_rescore(request, scope, pk: int):
    """GET: the re-scoring's progress (polled by the page); POST: queue it again."""
    watchlist = get_object_or_404(Watchlist.objects.visible_to(scope), pk=pk)
    if request.method == "POST":
        try:
            request_rescore(scope, watchlist)
        except WatchlistPermissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The re-scoring is queued again."))
        return redirect(safe_next(request, "web:watchlists"))
    return render(request, "web/_watchlist_rescore.html", _rescore_context(scope, watchlist))


@require_role("analyst")
def watchlist_propose(request, scope):
    form = WatchlistProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposed = propose_watchlist(
                scope, **{k: form.cleaned_data[k] for k in ("name", "category", "terms", "notes")}
            )
        except WatchlistPermissionError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Proposed. An administrator of your region approves or rejects “%(name)s”.")
                % {"name": proposed.name},
            )
            return redirect("web:watchlists")
    return render(
        request, "web/watchlist_edit.html", {"form": form, "watchlist": None, "proposing": True}
    )


@require_role("admin")
@require_POST
def watchlist_review(request, scope, pk: int):
    watchlist = get_object_or_404(Watchlist.objects.visible_to(scope), pk=pk)
    decision = request.POST.get("decision", "")
    try:
        decided = review_proposal(scope, watchlist, decision, why=request.POST.get("why", ""))
    except (WatchlistPermissionError, WatchlistReviewError) as error:
        messages.error(request, str(error))
    else:
        if decided.status == Watchlist.Status.APPROVED:
            messages.success(request, _("Approved: the watchlist is active and being applied."))
        else:
            messages.info(request, _("Rejected: the watchlist stays inactive."))
    return redirect(safe_next(request, "web:watchlists"))


@require_role("admin")
def watchlist_edit(request, scope, pk: int | None = None):
    watchlist = None
    if pk is not None:
        watchlist = get_object_or_404(Watchlist.objects.visible_to(scope), pk=pk)
        if not may_edit(scope, watchlist):
            messages.error(
                request,
                _("This watchlist belongs to another level; you can read it but not change it."),
            )
            return redirect("web:watchlists")
    form = WatchlistForm(request.POST or None, instance=watchlist)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_watchlist(
                scope,
                watchlist=watchlist,
                **{
                    k: form.cleaned_data[k]
                    for k in ("name", "category", "terms", "notes", "is_active")
                },
            )
        except WatchlistPermissionError as error:
            messages.error(request, str(error))
        else:
            if saved.rescore_state == Watchlist.Rescore.DONE:
                messages.success(request, _("Saved."))
            else:
                messages.success(request, _("Saved. Posts are being re-scored in the background."))
            return redirect("web:watchlist_edit", pk=saved.pk)
    context = {"form": form, "watchlist": watchlist}
    if watchlist is not None:
        watchlist.refresh_from_db()
        context |= {
            "rescore": _rescore_context(scope, watchlist),
            "reviewable": watchlist.status == Watchlist.Status.PROPOSED
            and may_review(scope, watchlist),
        }
    return render(request, "web/watchlist_edit.html", context)
