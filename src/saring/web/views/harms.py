"""Harm labels: on the post page, in bulk from a search, and the labelling queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import ScopeError
from saring.harms import labels, queue
from saring.harms.errors import describe
from saring.monitoring.models import Post
from saring.monitoring.services.uploads import store_upload
from saring.taxonomy.models import HarmCategory
from saring.web.access import require_role, safe_next
from saring.web.forms import PostFilterForm, TrainingForm

BULK_LIMIT = 1000  # posts one bulk labelling may touch: a typo in a search must not label 100k


def label_rows(post: Post | None, user) -> list[dict]:
    """Every category with the user's decision and the analysts' counts, for the label form."""
    summary = labels.summary(post, user) if post is not None else {}
    rows = []
    for category in HarmCategory.objects.order_by("order", "code"):
        s = summary.get(category.code)
        rows.append(
            {
                "category": category,
                "mine": None if s is None else s.mine,
                "present": 0 if s is None else s.present,
                "absent": 0 if s is None else s.absent,
                "disputed": bool(s and s.disputed),
            }
        )
    return rows


def _decisions(data: QueryDict) -> dict[str, bool | None]:
    values = {"1": True, "0": False, "": None}
    return {
        key.removeprefix("label-"): values[value]
        for key, value in data.items()
        if key.startswith("label-") and value in values
    }


def _set_labels(post_ids: list[int], decisions: dict[str, bool | None], scope) -> None:
    try:
        labels.set_labels(post_ids, decisions, scope=scope)
    except ScopeError as error:
        raise PermissionDenied(str(error)) from error


@require_role("analyst")
@require_POST
def post_labels(request, scope, pk: int):
    post = get_object_or_404(Post, pk=pk)
    _set_labels([post.pk], _decisions(request.POST), scope)
    messages.success(request, _("Labels saved."))
    return redirect(safe_next(request, "web:post", pk=post.pk))


@require_role("analyst")
@require_POST
def bulk_label(request, scope):
    """Label every post of a search result (at most BULK_LIMIT) with one decision."""
    query = QueryDict(request.POST.get("query", ""))
    form = PostFilterForm(query, scope, get_language() or "id")
    code, value = request.POST.get("category", ""), request.POST.get("present", "")
    if not HarmCategory.objects.filter(code=code).exists() or value not in ("1", "0"):
        messages.error(request, _("Choose a label and whether it is present."))
        return redirect(f"{reverse('web:search')}?{query.urlencode()}")
    ids = list(form.posts().values_list("id", flat=True)[: BULK_LIMIT + 1])
    if len(ids) > BULK_LIMIT:
        messages.error(
            request,
            _("The search has more than %(n)d posts; narrow it down before labelling in bulk.")
            % {"n": BULK_LIMIT},
        )
    else:
        _set_labels(ids, {code: value == "1"}, scope)
        messages.success(request, _("%(n)d posts labelled.") % {"n": len(ids)})
    return redirect(f"{reverse('web:search')}?{query.urlencode()}")


@require_role("analyst")
def label_queue(request, scope):
    """The next post to label: most uncertain first, weighted by how fast it spreads."""
    code = request.GET.get("category", "")
    if request.method == "POST":
        post = get_object_or_404(Post, pk=request.POST.get("post", 0))
        _set_labels([post.pk], _decisions(request.POST), scope)
        return redirect(f"{request.path}?category={code}")
    post, reason = queue.next_post(request.user, category=code or None)
    context = {
        "post": post,
        "reason": reason,
        "rows": label_rows(post, request.user) if post else [],
        "score": getattr(post, "harm_score", None) if post else None,
        "categories": HarmCategory.objects.filter(parent=None),
        "category": code,
        "remaining": queue.remaining(request.user),
    }
    return render(request, "web/label_queue.html", context)


def score_context(post: Post, language: str) -> dict:
    """The active model's scores and their explanations for the post page."""
    from saring.harms.models import PostHarmScore

    score = PostHarmScore.objects.filter(post=post).select_related("model").first()
    if score is None:
        return {"harm_score": None, "harm_scores": []}
    from saring.harms import scoring  # loads the model (once per process)

    names = {
        c.code: c.name_en if language == "en" else c.name_id for c in HarmCategory.objects.all()
    }
    items = scoring.explain(post)
    for item in items:
        item["name"] = names.get(item["code"], item["code"])
    return {"harm_score": score, "harm_scores": items[:8]}


@require_role("viewer")
def model_list(request, scope):
    from saring.audit.querysets import history_of
    from saring.harms.models import HarmModel
    from saring.harms.training import may_manage

    models = list(HarmModel.objects.select_related("trained_by")[:30])
    english = get_language() == "en"
    names = {c.code: c.name_en if english else c.name_id for c in HarmCategory.objects.all()}
    for model in models:  # the metrics table names each label as analysts know it
        model.label_rows = [
            {"code": code, "name": names.get(code, code), **row}
            for code, row in (model.metrics.get("labels") or {}).items()
        ]
        model.events = list(history_of(model))  # who moved it when, from the audit trail
    context = {
        "models": models,
        "form": TrainingForm(),
        "min_examples": labels.MIN_EXAMPLES,
        "can_manage": may_manage(scope),
    }
    return render(request, "web/models.html", context)


@require_role("admin")
@require_POST
def model_train(request, scope):
    """Start a new version; a training CSV is checked here, so a file with the wrong columns or
    encoding is refused at once and no version is created for it."""
    from saring.harms import training

    try:
        training.require_manager(scope)  # before a file is stored for nothing
    except ScopeError as error:
        messages.error(request, str(error))
        return redirect("web:models")
    form = TrainingForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("web:models")
    upload, csv_path, extra = form.cleaned_data["file"], None, ""
    if upload is not None:
        csv_path = store_upload(upload)
        try:
            texts, columns = training.read_training_csv(csv_path)
        except training.engine.TrainingError as error:
            csv_path.unlink(missing_ok=True)
            detail = describe(error.code, error.params, str(error))
            messages.error(request, detail.replace(csv_path.name, upload.name))
            return redirect("web:models")
        extra = " " + _("%(file)s: %(rows)s rows, labels %(labels)s.") % {
            "file": upload.name,
            "rows": number_format(len(texts), force_grouping=True),
            "labels": ", ".join(sorted(columns)),
        }
    model = training.start_training(scope, csv_path=csv_path, note=form.cleaned_data["note"])
    messages.success(
        request,
        _("Training of version %(v)d has started in the background.") % {"v": model.version}
        + extra,
    )
    return redirect("web:models")


@require_role("admin")
@require_POST
def model_activate(request, scope, version: int):
    from saring.harms import training
    from saring.harms.models import HarmModel

    model = get_object_or_404(HarmModel, version=version)
    try:
        training.activate(model, scope=scope, force=request.POST.get("force") == "1")
    except (training.ModelStateError, ScopeError) as error:
        messages.error(request, str(error))
    except training.engine.ModelFormatError as error:
        messages.error(request, _model_file_error(version, error))
    else:
        messages.success(
            request, _("Version %(v)d is active; posts are being re-scored.") % {"v": version}
        )
    return redirect("web:models")


@require_role("admin")
@require_POST
def model_rollback(request, scope):
    from saring.harms import training

    try:
        model = training.rollback(scope=scope)
    except (training.ModelStateError, ScopeError) as error:
        messages.error(request, str(error))
    except training.engine.ModelFormatError as error:
        messages.error(request, _model_file_error(None, error))
    else:
        messages.success(request, _("Rolled back to version %(v)d.") % {"v": model.version})
    return redirect("web:models")


def _model_file_error(version: int | None, error: Exception) -> str:
    """A missing, damaged or foreign model file: nothing changed, and the reason is kept."""
    text = _("The model file cannot be used, so nothing was changed: %(reason)s")
    if version is not None:
        text = _("The model file of v%(v)d cannot be used, so nothing was changed: %(reason)s")
    return text % {"v": version, "reason": error}
