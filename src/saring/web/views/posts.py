from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from saring.factcheck.querysets import visible_clarifications
from saring.harms import hoax
from saring.monitoring.models import Post, PostFlag
from saring.regions.models import Regency
from saring.taxonomy.models import HarmCategory
from saring.web import exports
from saring.web.access import require_role
from saring.web.forms import PostFilterForm
from saring.web.views.harms import label_rows, score_context

PAGE_SIZE = 25


@require_role("viewer")
def search(request, scope):
    form = PostFilterForm(request.GET, scope, get_language() or "id")
    posts = form.posts().select_related("province", "regency", "known_account")
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    visible_flags = {}
    for flag in (
        PostFlag.objects.visible_to(scope)
        .filter(post_id__in=[p.id for p in page])
        .select_related("category")
    ):
        visible_flags.setdefault(flag.post_id, []).append(flag.category)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "flags": visible_flags,
        "query_string": params.urlencode(),
        "region_label": form.describe_region(),
        "harm_categories": HarmCategory.objects.order_by("order", "code"),
    }
    template = "web/_results.html" if request.htmx else "web/search.html"
    return render(request, template, context)


@require_role("viewer")
def export(request, scope, kind: str):
    if kind not in ("csv", "xlsx"):
        raise Http404(kind)
    form = PostFilterForm(request.GET, scope, get_language() or "id")
    posts = form.posts().select_related("province", "regency")
    post_url = exports.post_url_from(request)  # each row links back to the post in Saring
    if kind == "xlsx":
        return exports.xlsx_response(posts, scope, post_url)
    return exports.csv_response(posts, scope, post_url)


@require_role("viewer")
def post_detail(request, scope, pk: int):
    post = get_object_or_404(
        Post.objects.select_related(
            "province", "regency", "narrative_link__narrative", "known_account", "stage__election"
        ),
        pk=pk,
    )
    flags = (
        PostFlag.objects.visible_to(scope).filter(post=post).select_related("watchlist", "category")
    )
    matches = post.claim_matches.filter(clarification__in=visible_clarifications(scope))
    context = {
        "post": post,
        "flags": flags,
        "matches": matches.select_related("clarification").order_by("-score"),
        "observations": post.observations.order_by("observed_at"),
        "language": get_language() or "id",
        "label_rows": label_rows(post, request.user),
        "hoax_evidence": hoax.evidence(post),
        **score_context(post, get_language() or "id"),
    }
    return render(request, "web/post_detail.html", context)


@require_role("viewer")
def regency_options(request, scope):
    """htmx: the regency choices of the selected province."""
    province = request.GET.get("region", "")
    regencies = Regency.objects.filter(province_id=province) if province != "all" else []
    return render(request, "web/_regency_options.html", {"regencies": regencies})
