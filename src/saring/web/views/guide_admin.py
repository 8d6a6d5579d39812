"""Pages: guide content for officers (thin: rules in saring.guide.services.content).

The list of entries an officer may see, drafting a page, FAQ or announcement, editing (a new
version, or the open draft), the preview as the public would see it, submitting, the approval
queue for admins, approving or returning a version (the two-person rule is the service's), and
withdrawing. Every POST ends in a redirect with a message (POST-redirect-GET), except a form
with errors, which is shown again with what was typed.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.elections.models import Election
from saring.guide.models import Entry, Revision
from saring.guide.querysets import awaiting_approval, entries_visible_to
from saring.guide.services import content
from saring.guide.services.content import ContentError
from saring.guide.workflow import ENTRY_WORKFLOW, REVISION_WORKFLOW
from saring.web.access import require_role
from saring.web.region_choices import own_and_below
from saring.workflow import TransitionError

FORM_FIELDS = (
    "title_id",
    "title_en",
    "body_id",
    "body_en",
    "slug",
    "topic",
    "notice",
    "region",
    "election",
    "valid_from",
    "valid_until",
    "position",
)
MAX_ROWS = 300


# --- helpers ----------------------------------------------------------------------------------


def _election_choices() -> list[tuple[str, str]]:
    elections = Election.objects.order_by("-voting_day", "id").values_list("id", "name")
    return [(pk, f"{name} ({pk})") for pk, name in elections[:1000]]


def _local(value: datetime | None) -> str:
    """A datetime as a datetime-local input's value, in the deployment's time zone."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def _region_label(entry: Entry) -> str:
    if entry.regency_id:
        return f"{entry.regency.name}, {entry.province.name}"
    if entry.province_id:
        return entry.province.name
    return _("National")


def _visible_entry(scope: Scope, pk: int) -> Entry:
    return get_object_or_404(entries_visible_to(scope).select_related("election"), pk=pk)


def _visible_revision(scope: Scope, pk: int) -> Revision:
    revision = get_object_or_404(
        Revision.objects.select_related("entry", "author", "reviewer"), pk=pk
    )
    if not entries_visible_to(scope).filter(pk=revision.entry_id).exists():
        raise Http404
    return revision


def _values_from(request) -> dict[str, str]:
    return {name: request.POST.get(name, "").strip() for name in FORM_FIELDS}


def _service_fields(values: dict[str, str], *, with_meta: bool = True) -> dict:
    fields = {
        "title_id": values["title_id"],
        "title_en": values["title_en"],
        "body_id": values["body_id"],
        "body_en": values["body_en"],
        "valid_from": values["valid_from"] or None,
        "valid_until": values["valid_until"] or None,
    }
    if with_meta:
        province, regency = content.split_region(values["region"])
        fields.update(
            topic=values["topic"],
            notice=values["notice"],
            province=province,
            regency=regency,
            election=values["election"] or None,
            position=values["position"] or 100,
        )
    return fields


def _values_of(entry: Entry, revision: Revision | None) -> dict[str, str]:
    values = {
        "slug": entry.slug,
        "topic": entry.topic,
        "notice": entry.notice,
        "region": entry.regency_id or entry.province_id or "",
        "election": entry.election_id or "",
        "position": str(entry.position),
    }
    if revision is not None:
        values.update(
            title_id=revision.title_id,
            title_en=revision.title_en,
            body_id=revision.body_id,
            body_en=revision.body_en,
            valid_from=_local(revision.valid_from),
            valid_until=_local(revision.valid_until),
        )
    return values


def _form(request, scope: Scope, *, kind: str, values: dict, entry=None, error=None, status=200):
    context = {
        "kind": kind,
        "kind_label": Entry.Kind(kind).label,
        "kinds": Entry.Kind.choices,
        "values": values,
        "entry": entry,
        "fixed_meta": entry is not None and entry.published_at is not None,
        "error": error,
        "error_field": getattr(error, "field", "") if error else "",
        "topics": Entry.Topic.choices,
        "notices": Entry.Notice.choices,
        "regions": own_and_below(scope, national=True),
        "elections": _election_choices(),
    }
    return render(request, "web/guide/entry_form.html", context, status=status)


def _submit_too(request, scope: Scope, revision: Revision) -> None:
    """The form's "Save and submit" button: submit right after saving."""
    if "submit" not in request.POST:
        messages.success(request, _("Draft saved."))
        return
    try:
        content.submit(scope, revision)
    except (ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved and submitted for approval."))


# --- the list ---------------------------------------------------------------------------------


@require_role("viewer")
def entry_list(request, scope):
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    entries = entries_visible_to(scope).order_by("-updated_at", "-id")
    if kind in Entry.Kind.values:
        entries = entries.filter(kind=kind)
    if status in Entry.Status.values:
        entries = entries.filter(status=status)
    if q:
        entries = entries.filter(
            Q(slug__icontains=q)
            | Q(revisions__title_id__icontains=q)
            | Q(revisions__title_en__icontains=q)
        ).distinct()
    rows = []
    for entry in entries[:MAX_ROWS]:
        latest = entry.revisions.order_by("-number").first()
        rows.append((entry, latest, _region_label(entry)))
    context = {
        "rows": rows,
        "kind": kind,
        "status": status,
        "q": q,
        "kinds": Entry.Kind.choices,
        "statuses": Entry.Status.choices,
        "may_draft": content.may_draft(scope),
        "awaiting": awaiting_approval(scope).count() if scope.can("admin") else 0,
    }
    return render(request, "web/guide/entry_list.html", context)


# --- drafting and editing ---------------------------------------------------------------------


@require_role("analyst")
def entry_new(request, scope):
    kind = request.GET.get("kind") or request.POST.get("kind") or Entry.Kind.PAGE
    if kind not in Entry.Kind.values:
        raise Http404
    if request.method != "POST":
        values = {name: "" for name in FORM_FIELDS}
        values.update(region=scope.regency_code or scope.province_code or "", position="100")
        return _form(request, scope, kind=kind, values=values)
    values = _values_from(request)
    try:
        revision = content.draft(scope, kind=kind, slug=values["slug"], **_service_fields(values))
    except (ContentError, ScopeError) as error:
        return _form(request, scope, kind=kind, values=values, error=error, status=400)
    _submit_too(request, scope, revision)
    return redirect("web:guide_entry", pk=revision.entry_id)


@require_role("analyst")
def entry_edit(request, scope, pk: int):
    """Edit the open draft, or start a new version from the latest text."""
    entry = _visible_entry(scope, pk)
    if not content.may_edit(scope, entry):
        raise PermissionDenied(_("Only analysts of this entry's region may edit it."))
    open_revision = entry.revisions.filter(state__in=content.OPEN_STATES).first()
    if open_revision is not None and open_revision.state == Revision.State.SUBMITTED:
        messages.warning(
            request,
            _("Version %(n)d is awaiting approval: take it back to draft to change it.")
            % {"n": open_revision.number},
        )
        return redirect("web:guide_entry", pk=entry.pk)
    latest = open_revision or entry.revisions.order_by("-number").first()
    if request.method != "POST":
        return _form(request, scope, kind=entry.kind, values=_values_of(entry, latest), entry=entry)
    values = _values_from(request)
    values["slug"] = entry.slug
    fields = _service_fields(values, with_meta=entry.published_at is None)
    try:
        if open_revision is not None:
            revision = content.update(scope, open_revision, **fields)
        else:
            revision = content.revise(scope, entry, **fields)
    except (ContentError, ScopeError) as error:
        return _form(
            request, scope, kind=entry.kind, values=values, entry=entry, error=error, status=400
        )
    _submit_too(request, scope, revision)
    return redirect("web:guide_entry", pk=entry.pk)


# --- one entry --------------------------------------------------------------------------------


def _history(entry: Entry, revision_ids: list[int]):
    subjects = Q(subject_type="guide.entry", subject_id=str(entry.pk))
    if revision_ids:
        subjects |= Q(subject_type="guide.revision", subject_id__in=[str(i) for i in revision_ids])
    return AuditEvent.objects.filter(subjects).order_by("-seq")[:200]


@require_role("viewer")
def entry_detail(request, scope, pk: int):
    entry = _visible_entry(scope, pk)
    revisions = list(entry.revisions.select_related("author", "reviewer").order_by("-number"))
    rows = [
        (
            revision,
            REVISION_WORKFLOW.permits(scope, revision, Revision.State.SUBMITTED),
            content.may_review(scope, revision),
            revision.state == Revision.State.SUBMITTED
            and REVISION_WORKFLOW.permits(scope, revision, Revision.State.DRAFT),
        )
        for revision in revisions
    ]
    context = {
        "entry": entry,
        "live": entry.live,
        "rows": rows,
        "region": _region_label(entry),
        "history": _history(entry, [r.pk for r in revisions]),
        "action_labels": dict(Action.choices),
        "may_edit": content.may_edit(scope, entry),
        "may_withdraw": ENTRY_WORKFLOW.permits(scope, entry, Entry.Status.WITHDRAWN),
    }
    return render(request, "web/guide/entry_detail.html", context)


@require_role("viewer")
def revision_preview(request, scope, pk: int):
    """A version as the public page shows it (the site's own templates are the renderer's)."""
    revision = _visible_revision(scope, pk)
    entry = revision.entry
    language = request.GET.get("lang", "id")
    english = language == "en" and bool(revision.title_en or revision.body_en)
    context = {
        "revision": revision,
        "entry": entry,
        "region": _region_label(entry),
        "title": (revision.title_en or revision.title_id) if english else revision.title_id,
        "body": (revision.body_en or revision.body_id) if english else revision.body_id,
        "english": english,
        "has_english": bool(revision.title_en or revision.body_en),
    }
    response = render(request, "web/guide/preview.html", context)
    response["X-Robots-Tag"] = "noindex"  # a draft must not end up in a search engine
    return response


# --- the workflow moves -----------------------------------------------------------------------


def _back(revision_or_entry) -> object:
    pk = getattr(revision_or_entry, "entry_id", None) or revision_or_entry.pk
    return redirect("web:guide_entry", pk=pk)


@require_role("analyst")
@require_POST
def revision_submit(request, scope, pk: int):
    revision = _visible_revision(scope, pk)
    try:
        content.submit(scope, revision)
    except (ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Submitted for approval."))
    return _back(revision)


@require_role("analyst")
@require_POST
def revision_unsubmit(request, scope, pk: int):
    revision = _visible_revision(scope, pk)
    try:
        content.unsubmit(scope, revision)
    except (ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Taken back to draft."))
    return _back(revision)


@require_role("admin")
@require_POST
def revision_approve(request, scope, pk: int):
    revision = _visible_revision(scope, pk)
    try:
        content.approve(scope, revision, note=request.POST.get("note", ""))
    except (ContentError, ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Approved and published."))
    if request.POST.get("from") == "queue":
        return redirect("web:guide_approvals")
    return _back(revision)


@require_role("admin")
@require_POST
def revision_return(request, scope, pk: int):
    revision = _visible_revision(scope, pk)
    try:
        content.return_to_author(scope, revision, request.POST.get("note", ""))
    except (ContentError, ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Returned to its author."))
    if request.POST.get("from") == "queue":
        return redirect("web:guide_approvals")
    return _back(revision)


@require_role("admin")
@require_POST
def entry_withdraw(request, scope, pk: int):
    entry = _visible_entry(scope, pk)
    try:
        content.withdraw(scope, entry, request.POST.get("why", ""))
    except (ContentError, ScopeError, TransitionError) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Withdrawn from the public guide."))
    return _back(entry)


@require_role("admin")
def approvals(request, scope):
    revisions = (
        awaiting_approval(scope)
        .select_related("entry__province", "entry__regency")
        .order_by("submitted_at", "id")
    )
    rows = [
        (revision, _region_label(revision.entry), content.may_review(scope, revision))
        for revision in revisions[:MAX_ROWS]
    ]
    return render(request, "web/guide/approvals.html", {"rows": rows})


urlpatterns: list = [
    path("guide/", entry_list, name="guide"),
    path("guide/new/", entry_new, name="guide_new"),
    path("guide/approvals/", approvals, name="guide_approvals"),
    path("guide/<int:pk>/", entry_detail, name="guide_entry"),
    path("guide/<int:pk>/edit/", entry_edit, name="guide_edit"),
    path("guide/<int:pk>/withdraw/", entry_withdraw, name="guide_withdraw"),
    path("guide/revisions/<int:pk>/preview/", revision_preview, name="guide_preview"),
    path("guide/revisions/<int:pk>/submit/", revision_submit, name="guide_submit"),
    path("guide/revisions/<int:pk>/unsubmit/", revision_unsubmit, name="guide_unsubmit"),
    path("guide/revisions/<int:pk>/approve/", revision_approve, name="guide_approve"),
    path("guide/revisions/<int:pk>/return/", revision_return, name="guide_return"),
]
