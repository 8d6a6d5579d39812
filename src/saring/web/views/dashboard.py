from django.shortcuts import render
from django.utils.translation import get_language

from saring.factcheck.models import Narrative
from saring.monitoring import reports
from saring.web.access import require_role
from saring.web.forms import PostFilterForm


@require_role("viewer")
def dashboard(request, scope):
    language = get_language() or "id"
    form = PostFilterForm(request.GET, scope, language)
    posts = form.posts()
    terms, terms_read = reports.top_terms(posts)
    context = {
        "form": form,
        "region_label": form.describe_region(),
        "totals": reports.totals(posts, scope),
        "volume": reports.volume_by_day(posts),
        "hashtags": reports.top_hashtags(posts),
        "terms": terms,
        "terms_read": terms_read,
        "categories": reports.flags_by_category(posts, scope, language),
        "growing": reports.fastest_growing(posts),
        "regions": reports.by_region(posts, scope, form.region_codes()[0]),
        "open_quarantine": reports.open_quarantine(scope),
        "alerts": Narrative.objects.filter(alerted_at__isnull=False, merged_into=None)
        .select_related("representative")
        .order_by("-alerted_at")[:5],
        "query_string": request.GET.urlencode(),
    }
    return render(request, "web/dashboard.html", context)
