"""Handling a case: officers' findings (temuan), triage with a legal basis, the workflow's
moves, assignment and the follow-up extension. Every write checks the acting scope; every state
change goes through the kernel's `transition()` (which writes the audit event), and the
reporters hear of it through `notify.case_changed` once the change has committed.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError, require, scope_for
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases import categories
from saring.cases.models import Case, CaseItem, LegalBasis, Report
from saring.cases.querysets import handler, in_region
from saring.cases.services import items as item_service
from saring.cases.services import notify, offices
from saring.cases.workflow import CASE_WORKFLOW
from saring.regions.models import Regency
from saring.sources import links
from saring.sources.links import Content
from saring.workflow import transition

# A narrative can hold thousands of copies; a case keeps the most viral ones as its items.
MAX_FINDING_ITEMS = 500
FINDER_KINDS_REFUSED = {"platform"}
# Moves an officer makes with `move()`; triage, escalation, answers and merges have their own.
PLAIN_MOVES = {"received", "closed", "reopened", "appealed", "rejected"}
WHY_REQUIRED = {"rejected", "reopened", "appealed"}
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class HandlingError(ValueError):
    """A request the rules refuse for a reason the officer can fix; `field` names the input."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# --- who may do what --------------------------------------------------------------------------


def may_find(scope: Scope) -> bool:
    """Analysts and admins of any organisation but a platform's open findings."""
    return scope.can("analyst") and scope.organisation_kind not in FINDER_KINDS_REFUSED


def handles(scope: Scope, case: Case) -> bool:
    """An analyst+ of a handling office whose region holds the case."""
    return scope.can("analyst") and CASE_WORKFLOW.may_act(scope, case)


def _require_handles(scope: Scope, case: Case) -> None:
    require(scope, handles(scope, case), _("Only the case's handling office may change it."))


def may_be_assigned(user, province_code: str | None, regency_code: str | None) -> bool:
    """A member of a handling office, analyst or above, whose region holds the case."""
    member = scope_for(user)
    return (
        handler(member) and member.can("analyst") and in_region(member, province_code, regency_code)
    )


def assignable_users(case: Case) -> list:
    """Members who may be assigned the case (for the triage form's list), in one query: the
    analysts and admins of Bawaslu offices whose region holds it, and superusers."""
    region = Q(membership__organisation__province__isnull=True)
    if case.province_id:
        region |= Q(
            membership__organisation__province_id=case.province_id,
            membership__organisation__regency__isnull=True,
        )
    if case.regency_id:
        region |= Q(membership__organisation__regency_id=case.regency_id)
    members = (
        Q(
            membership__organisation__kind="bawaslu",
            membership__role__in=["analyst", "admin"],
        )
        & region
    )
    users = get_user_model().objects.filter(is_active=True).filter(members | Q(is_superuser=True))
    return list(users.distinct().order_by("username")[:500])


def _on_commit_notify(case: Case, event: str) -> None:
    transaction.on_commit(lambda: notify.case_changed(case, event))


# --- officers' findings -----------------------------------------------------------------------


def tracking_code(prefix: str = "TMN") -> str:
    """A fresh code for an officer's finding (TMN: temuan); the intake has its own for reports."""
    while True:
        code = f"{prefix}-" + "".join(secrets.choice(_CODE_ALPHABET) for _i in range(8))
        if not Report.objects.filter(tracking_code=code).exists():
            return code


def content_of_post(post) -> Content:
    """The content key of an ingested post: the link canonicaliser's when it knows the URL,
    else the post's own platform and id (the same `platform:id` key shape)."""
    if post.url:
        try:
            content = links.canonicalise(post.url)
        except (NotImplementedError, links.LinkError):
            content = None
        if content is not None and content.content_id:
            return content
    key = f"{post.platform}:{post.platform_id}"
    return Content(
        url=post.url or "",
        platform=post.platform,
        content_id=post.platform_id,
        key=key,
        canonical_url=post.url or "",
    )


def _finding_region(scope: Scope, posts: Sequence) -> tuple[str | None, str | None]:
    """Where the content was seen (the first post with a region); a handler's finding stays in
    its own reach, so a post placed outside it (region inference is a guess) falls back to the
    officer's own region, as does content with no region."""
    for post in posts:
        if post.province_id:
            if handler(scope) and not in_region(scope, post.province_id, post.regency_id):
                break
            return post.province_id, post.regency_id
    return scope.province_code, scope.regency_code


def _finding_title(posts: Sequence, narrative, contents: Sequence[Content]) -> str:
    if narrative is not None:
        text = narrative.representative.text if narrative.representative_id else ""
        return (_("Narrative N%(number)d") % {"number": narrative.number} + f": {text}")[:300]
    if len(posts) == 1:
        post = posts[0]
        return f"{post.platform} @{post.author_handle}: {post.text}"[:300]
    if len(contents) == 1:
        return contents[0].canonical_url[:300]
    return (_("%(n)d pieces of content") % {"n": len(contents)} + f": {contents[0].canonical_url}")[
        :300
    ]


def _officer_report(scope: Scope, case: Case, contents, category: str, summary: str) -> Report:
    report = Report.objects.create(
        case=case,
        first_case=case,
        tracking_code=tracking_code(),
        channel=Report.Channel.OFFICER,
        organisation_id=scope.organisation_id,
        submitted_by_id=scope.user_id,
        urls=[content.url or content.canonical_url for content in contents][:50],
        category=category,
        description=summary,
        province_id=case.province_id,
        regency_id=case.regency_id,
        good_faith=True,
        notify=Report.Notify.NONE,
    )
    record(scope, Action.REPORT_RECEIVED, report, details={"case": case.reference})
    return report


def _follow_up_due(case: Case, *, extended: bool = False) -> datetime | None:
    from saring.cases import deadlines  # another part of the context; read at call time

    return deadlines.follow_up_due(
        case.regime,
        case.created_at,
        zone=deadlines.zone_of(case),
        extended=extended,
    )


def open_finding(
    scope: Scope,
    *,
    posts: Iterable = (),
    narrative=None,
    urls: Iterable[str] = (),
    category: str,
    summary: str = "",
) -> tuple[Case, list[str]]:
    """An officer's finding from a post, a narrative (one case for the narrative, its posts as
    items) or a bulk selection. Content already in a case is not duplicated: a single piece
    already in a case returns that case (with the officer's report added); for several, the
    keys already in other cases come back as `skipped`."""
    require(scope, may_find(scope), _("Only analysts may open a finding."))
    if category not in categories.codes():
        raise HandlingError(_("Choose a category."), "category")
    posts = list(posts)
    if narrative is not None:
        from saring.monitoring.models import Post

        posts = list(
            Post.objects.filter(narrative_link__narrative=narrative).order_by(
                "-virality", "-created_at"
            )[:MAX_FINDING_ITEMS]
        )
    contents = [content_of_post(post) for post in posts]
    contents += [links.canonicalise(url) for url in urls]
    contents = list({content.key: content for content in contents}.values())
    if not contents:
        raise HandlingError(_("Select at least one post or URL."), "posts")
    with transaction.atomic():
        existing = dict(
            CaseItem.objects.filter(key__in=[c.key for c in contents]).values_list("key", "case")
        )
        target = None
        if narrative is not None:
            target = (
                Case.objects.filter(narrative=narrative)
                .exclude(state=Case.State.MERGED)
                .order_by("id")
                .first()
            )
        if target is None and existing and (len(contents) == 1 or len(existing) == len(contents)):
            # Everything is already in a case: report it there instead of opening an empty one.
            first = next(c.key for c in contents if c.key in existing)
            target = item_service.live_case(Case.objects.get(pk=existing[first]))
        if target is not None:
            _added, skipped = item_service.add_items(target, contents, by=_user(scope))
            skipped = [key for key in skipped if existing.get(key) != target.pk]
            _officer_report(scope, target, contents, category, summary)
            return target, skipped
        province, regency = _finding_region(scope, posts)
        office = offices.handling_office(province, regency)
        seen = min((post.created_at for post in posts), default=None)
        regime = offices.regime_at(office.province_code, office.regency_code, seen)
        case = Case.objects.create(
            title=_finding_title(posts, narrative, contents),
            state=Case.State.RECEIVED,
            origin=Case.Origin.OFFICER,
            category=category,
            summary=summary,
            **offices.placement(office, regime),
            narrative=narrative,
            discovered_at=seen,
            created_by_id=scope.user_id,
        )
        _added, skipped = item_service.add_items(case, contents, by=_user(scope))
        try:
            case.follow_up_due = _follow_up_due(case)
            case.save(update_fields=["follow_up_due"])
        except ImportError:  # the deadline engine is not installed yet: no due date
            pass
        record(
            scope,
            Action.CASE_OPENED,
            case,
            details={"origin": "officer", "items": len(_added), "skipped": skipped},
        )
        _officer_report(scope, case, contents, category, summary)
    return case, skipped


def _user(scope: Scope):
    if scope.user_id is None:
        return None
    return get_user_model().objects.filter(pk=scope.user_id).first()


# --- triage -----------------------------------------------------------------------------------


def _check_region(
    scope: Scope, province: str | None, regency: str | None
) -> tuple[str | None, str | None]:
    """The region a case is routed to: a regency only within its own, a province to itself or
    its regencies, the centre anywhere."""
    if regency:
        owner = Regency.objects.filter(pk=regency).values_list("province_id", flat=True).first()
        if owner is None:
            raise HandlingError(_("Unknown regency/city."), "regency")
        if province and province != owner:
            raise HandlingError(_("This regency/city is not in that province."), "regency")
        province = owner
    province, regency = province or None, regency or None
    if not in_region(scope, province, regency):
        raise HandlingError(_("You may only route a case within your own region."), "province")
    return province, regency


def triage(
    scope: Scope,
    case: Case,
    *,
    valid: bool,
    reason: str,
    category: str,
    bases: Sequence[LegalBasis] = (),
    province: str | None,
    regency: str | None,
    priority: int,
    assignee=None,
) -> Case:
    """Record the triage: valid → triaged (again, if already triaged), not valid → rejected
    with the reason the reporter is told. Routing to another region re-picks the office."""
    _require_handles(scope, case)
    reason = (reason or "").strip()
    if not valid and not reason:
        raise HandlingError(_("Say why the report is not valid: the reporter is told."), "reason")
    if category not in categories.codes():
        raise HandlingError(_("Choose a category."), "category")
    if priority not in Case.Priority.values:
        raise HandlingError(_("Choose a priority."), "priority")
    province, regency = _check_region(scope, province, regency)
    if assignee is not None and not may_be_assigned(assignee, province, regency):
        raise HandlingError(_("This person cannot handle cases of this region."), "assignee")
    if case.in_quiet_period:
        priority = max(priority, Case.Priority.HIGH)  # the quiet period raises priority
    changes = {
        "is_valid": valid,
        "validity_reason": reason,
        "category": category,
        "priority": priority,
        "assignee": assignee,
        "triaged_at": timezone.now(),
    }
    if (province, regency) != (case.province_id, case.regency_id):
        office = offices.handling_office(province, regency)
        changes.update(organisation=office.organisation, province_id=province, regency_id=regency)
    bases = list(bases)
    to = Case.State.TRIAGED if valid else Case.State.REJECTED
    with transaction.atomic():
        case = transition(
            case,
            CASE_WORKFLOW,
            to,
            scope=scope,
            why=reason,
            changes=changes,
            details={
                "valid": valid,
                "category": category,
                "bases": [basis.code for basis in bases],
                "priority": priority,
                "region": regency or province or "",
                "assignee": assignee.get_username() if assignee else "",
            },
        )
        case.bases.set(bases)
        _on_commit_notify(case, to)
    return case


# --- moves, assignment, extension -------------------------------------------------------------


def move(scope: Scope, case: Case, to_state: str, why: str = "") -> Case:
    """Close, reopen, appeal, reject, or accept a proposed case (draft → received)."""
    if to_state not in PLAIN_MOVES:
        raise HandlingError(_("This change has its own form."), "to")
    why = (why or "").strip()
    if to_state in WHY_REQUIRED and not why:
        raise HandlingError(_("Say why."), "why")
    changes: dict = {}
    now = timezone.now()
    if to_state == Case.State.CLOSED:
        changes["closed_at"] = now
    with transaction.atomic():
        case = transition(case, CASE_WORKFLOW, to_state, scope=scope, why=why, changes=changes)
        if to_state == Case.State.RECEIVED and case.follow_up_due is None:
            try:  # a proposal becomes a registered case now: its follow-up clock starts
                from saring.cases import deadlines

                case.follow_up_due = deadlines.follow_up_due(
                    case.regime, now, zone=deadlines.zone_of(case)
                )
                case.save(update_fields=["follow_up_due"])
            except ImportError:
                pass
        _on_commit_notify(case, to_state)
    return case


def allowed_moves(scope: Scope, case: Case) -> list[str]:
    """The plain moves the table permits this scope now (the buttons to show)."""
    order = ["received", "closed", "reopened", "appealed", "rejected"]
    return [to for to in order if CASE_WORKFLOW.permits(scope, case, to)]


def assign(scope: Scope, case: Case, user) -> Case:
    """Give the case to a person who can handle it (None: nobody)."""
    _require_handles(scope, case)
    if user is not None and not may_be_assigned(user, case.province_id, case.regency_id):
        raise HandlingError(_("This person cannot handle cases of this region."), "assignee")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.assignee = user
        case.save(update_fields=["assignee", "updated_at"])
        record(
            scope,
            Action.CASE_UPDATED,
            case,
            details={"assignee": user.get_username() if user else ""},
        )
    return case


def extend_follow_up(scope: Scope, case: Case, why: str) -> Case:
    """The statute's extension for more information (+7 days Pemilu, +2 Pilkada), once."""
    _require_handles(scope, case)
    why = (why or "").strip()
    if not why:
        raise HandlingError(_("Say why more time is needed."), "why")
    if case.follow_up_extended:
        raise HandlingError(_("The follow-up was already extended."), "why")
    if case.state not in ("received", "triaged", "reopened"):
        raise ScopeError(_("Only a case still being examined can get more time."))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        before = case.follow_up_due
        case.follow_up_due = _follow_up_due(case, extended=True)
        case.follow_up_extended = True
        case.save(update_fields=["follow_up_due", "follow_up_extended", "updated_at"])
        record(
            scope,
            Action.CASE_UPDATED,
            case,
            reason=why,
            details={
                "follow_up_extended": True,
                "follow_up_due": case.follow_up_due.isoformat() if case.follow_up_due else "",
                "was": before.isoformat() if before else "",
            },
        )
    return case
