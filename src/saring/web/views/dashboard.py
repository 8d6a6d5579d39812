from django.shortcuts import render
from django.utils.translation import get_language

from saring.factcheck.querysets import NarrativeSelection, listed_narratives
from saring.monitoring import reports
from saring.web.access import require_role
from saring.web.forms import PostFilterForm


@require_role("viewer")
def dashboard(request, scope):
    language = get_language() or "id"
    form = PostFilterForm(request.GET, scope, language)
    posts = form.posts()
    figures = reports.dashboard_figures(
        posts, scope, language, form.region_codes()[0], form.cache_key()
    )
    context = {
        "form": form,
        "region_label": form.describe_region(),
        **figures,
        # Not cached: virality moves with every engagement update, and it is one indexed read.
        "growing": reports.fastest_growing(posts),
        "open_quarantine": reports.open_quarantine(scope),
        # The growth alerts of the same scope: election narratives unless every post is shown
        "alerts": listed_narratives(
            NarrativeSelection(election=not form.shows_all(), growing=True)
        ).order_by("-alerted_at")[:5],
        "query_string": request.GET.urlencode(),
    }
    return render(request, "web/dashboard.html", context)
