from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.factcheck.models import Narrative
from saring.factcheck.querysets import narrative_overview
from saring.web.access import require_role
from saring.web.forms import NarrativeFilterForm

# A page of narratives is text-heavy (a representative post each): 20 keeps it small on a slow
# connection.
PAGE_SIZE = 20


@require_role("viewer")
def narrative_list(request, scope):
    form = NarrativeFilterForm(request.GET, scope, get_language() or "id")
    page = Paginator(form.narratives(), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": params.urlencode(),
        "region_label": form.describe_region(),
    }
    return render(request, "web/narratives.html", context)


@require_role("viewer")
def narrative_detail(request, scope, number: int):
    narrative = get_object_or_404(Narrative.objects.select_related("representative"), number=number)
    if narrative.merged_into_id:
        return redirect("web:narrative", number=narrative.merged_into.number)
    overview = narrative_overview(narrative)
    page = Paginator(overview.pop("members"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/narrative_detail.html",
        {
            "n": narrative,
            "page": page,
            "events": narrative.events.all()[:20],
            "following": narrative.followers.filter(pk=request.user.pk).exists(),
            **overview,
        },
    )


@require_role("analyst")
@require_POST
def narrative_follow(request, scope, number: int):
    narrative = get_object_or_404(Narrative, number=number)
    if narrative.followers.filter(pk=request.user.pk).exists():
        narrative.followers.remove(request.user)
    else:
        narrative.followers.add(request.user)
    return redirect("web:narrative", number=number)


@require_role("analyst")
@require_POST
def narrative_split(request, scope, number: int):
    from saring.factcheck.narratives import (  # loads the clusterer
        SplitError,
        SplitPermissionError,
        split_narrative,
    )

    narrative = get_object_or_404(Narrative, number=number, merged_into=None)
    ids = [int(v) for v in request.POST.getlist("post") if v.isdigit()]
    if not ids:
        messages.error(request, _("Select the posts to move to a new narrative."))
        return redirect("web:narrative", number=number)
    try:
        new = split_narrative(narrative, ids, scope=scope)
    except (SplitError, SplitPermissionError) as error:
        messages.error(request, str(error))
        return redirect("web:narrative", number=number)
    messages.success(
        request,
        _("%(n)d posts moved to the new narrative N%(number)d.")
        % {"n": len(ids), "number": new.number},
    )
    return redirect("web:narrative", number=new.number)
