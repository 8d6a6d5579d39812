from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saring.monitoring.models import Watchlist
from saring.monitoring.services.watchlists import (
    WatchlistPermissionError,
    may_edit,
    save_watchlist,
)
from saring.web.access import require_role
from saring.web.forms import WatchlistForm


@require_role("viewer")
def watchlist_list(request, scope):
    watchlists = Watchlist.objects.visible_to(scope).select_related(
        "category", "province", "regency", "updated_by", "organisation"
    )
    rows = [(w, may_edit(scope, w)) for w in watchlists]
    return render(request, "web/watchlists.html", {"rows": rows})


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
            messages.success(request, _("Saved. Posts are being re-scored in the background."))
            return redirect("web:watchlist_edit", pk=saved.pk)
    return render(request, "web/watchlist_edit.html", {"form": form, "watchlist": watchlist})
