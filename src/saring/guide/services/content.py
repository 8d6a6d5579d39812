"""Drafting, approving and withdrawing guide content, with the two-person rule.

Interface (others code against it):
    draft(scope, *, kind, slug, title_id, body_id, title_en="", body_en="", topic="",
          notice="", province=None, regency=None, election=None, valid_from=None,
          valid_until=None, position=100) -> Revision   # a new entry and its first draft
    revise(scope, entry, **fields) -> Revision          # a new draft from the latest text
    submit(scope, revision) -> Revision
    approve(scope, revision, note="") -> Revision       # publishes; never the author
    return_to_author(scope, revision, note) -> Revision
    withdraw(scope, entry, why) -> Entry
    ContentError(ValueError): bad input, with `.field` naming the field
Also: update(scope, revision, **fields) edits an open draft in place; unsubmit(scope, revision)
pulls a submission back; split_region("32.05") -> ("32", "32.05").

An entry's identity (kind, address) never changes; its region, election, type, topic and order
may change only while it has never been published, since a published entry's metadata would
otherwise change without a second person's approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from slugify import slugify

from saring.accounts.scope import Scope, ScopeError, require
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.services import record
from saring.elections.models import Election
from saring.guide import sanitize
from saring.guide.models import Entry, Revision
from saring.guide.workflow import ENTRY_WORKFLOW, REVISION_WORKFLOW
from saring.regions.models import Province, Regency
from saring.workflow import transition

TEXT_FIELDS = ("title_id", "title_en", "body_id", "body_en", "valid_from", "valid_until")
ENTRY_FIELDS = ("topic", "notice", "province", "regency", "election", "position")
OPEN_STATES = (Revision.State.DRAFT, Revision.State.SUBMITTED)
SLUG_MAX = 120
TITLE_MAX = 300


class ContentError(ValueError):
    """Input the rules refuse; `field` names the form field (or "" for the whole request)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# --- checks of the input ----------------------------------------------------------------------


def split_region(code: str | None) -> tuple[str | None, str | None]:
    """ "" → national; "32" → (province, None); "32.05" → ("32", "32.05")."""
    code = (code or "").strip()
    if not code:
        return None, None
    if "." in code:
        return code.split(".", 1)[0], code
    return code, None


def _code(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(getattr(value, "pk", value)).strip() or None


def _region(province: Any, regency: Any) -> tuple[str | None, str | None]:
    """The (province, regency) codes after checking they exist; a regency implies its province."""
    province_code, regency_code = _code(province), _code(regency)
    if regency_code is not None:
        found = Regency.objects.filter(pk=regency_code).values_list("province_id", flat=True)
        if not found:
            raise ContentError(
                _("There is no regency or city with the code %(code)s.") % {"code": regency_code},
                "region",
            )
        if province_code is not None and province_code != found[0]:
            raise ContentError(
                _("The regency %(regency)s is not in the province %(province)s.")
                % {"regency": regency_code, "province": province_code},
                "region",
            )
        return found[0], regency_code
    if province_code is not None and not Province.objects.filter(pk=province_code).exists():
        raise ContentError(
            _("There is no province with the code %(code)s.") % {"code": province_code}, "region"
        )
    return province_code, None


def _election(value: Any) -> str | None:
    election_id = _code(value)
    if election_id is not None and not Election.objects.filter(pk=election_id).exists():
        raise ContentError(
            _("There is no election with the id %(id)s.") % {"id": election_id}, "election"
        )
    return election_id


def _moment(value: Any, field: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ContentError(_("Not a date and time: %(v)s") % {"v": value}, field) from None
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        raise ContentError(_("Not a date and time: %(v)s") % {"v": value}, field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _text(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Titles, sanitised bodies and the validity window, checked."""
    title_id = str(fields.get("title_id") or "").strip()
    title_en = str(fields.get("title_en") or "").strip()
    if not title_id:
        raise ContentError(_("The Indonesian title is required."), "title_id")
    for name, title in (("title_id", title_id), ("title_en", title_en)):
        if len(title) > TITLE_MAX:
            raise ContentError(_("A title has at most %(n)d characters.") % {"n": TITLE_MAX}, name)
    raw_id, raw_en = str(fields.get("body_id") or ""), str(fields.get("body_en") or "")
    body_id, body_en = sanitize.clean(raw_id), sanitize.clean(raw_en)
    if not raw_id.strip():
        raise ContentError(_("The Indonesian text is required."), "body_id")
    if sanitize.is_blank(body_id):
        raise ContentError(
            _("Nothing readable is left of the Indonesian text once cleaned."), "body_id"
        )
    if raw_en.strip() and sanitize.is_blank(body_en):
        raise ContentError(
            _("Nothing readable is left of the English text once cleaned."), "body_en"
        )
    if sanitize.is_blank(body_en):
        body_en = ""
    valid_from = _moment(fields.get("valid_from"), "valid_from")
    valid_until = _moment(fields.get("valid_until"), "valid_until")
    if valid_from and valid_until and valid_until <= valid_from:
        raise ContentError(_("“Valid until” must come after “valid from”."), "valid_until")
    return {
        "title_id": title_id,
        "title_en": title_en,
        "body_id": body_id,
        "body_en": body_en,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def _entry_meta(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    topic = str(fields.get("topic") or "").strip()
    if topic and topic not in Entry.Topic.values:
        raise ContentError(_("Unknown topic: %(v)s") % {"v": topic}, "topic")
    notice = str(fields.get("notice") or "").strip()
    if kind == Entry.Kind.ANNOUNCEMENT:
        if not notice:
            raise ContentError(_("An announcement needs its type."), "notice")
        if notice not in Entry.Notice.values:
            raise ContentError(_("Unknown announcement type: %(v)s") % {"v": notice}, "notice")
    else:
        notice = ""  # only announcements are typed notifications
    try:
        position = int(fields.get("position", 100) if fields.get("position") != "" else 100)
    except (TypeError, ValueError):
        raise ContentError(_("The order is a whole number."), "position") from None
    if position < 0:
        raise ContentError(_("The order is a whole number."), "position")
    province, regency = _region(fields.get("province"), fields.get("regency"))
    return {
        "topic": topic or (Entry.Topic.OTHER if kind != Entry.Kind.ANNOUNCEMENT else ""),
        "notice": notice,
        "province_id": province,
        "regency_id": regency,
        "election_id": _election(fields.get("election")),
        "position": position,
    }


def _slug(kind: str, slug: str, title_id: str) -> str:
    slug = (slug or "").strip()
    if slug:
        if slugify(slug, max_length=SLUG_MAX) != slug:
            raise ContentError(
                _("An address has only small letters, digits and hyphens, e.g. cara-memilih."),
                "slug",
            )
        if Entry.objects.filter(kind=kind, slug=slug).exists():
            raise ContentError(_("Another entry of this kind has that address."), "slug")
        return slug
    base = slugify(title_id, max_length=SLUG_MAX - 4) or kind
    candidate, n = base, 2
    while Entry.objects.filter(kind=kind, slug=candidate).exists():
        candidate, n = f"{base}-{n}", n + 1
    return candidate


# --- who may do what --------------------------------------------------------------------------


def may_draft(scope: Scope) -> bool:
    return scope.can("analyst")


def may_edit(scope: Scope, entry: Entry) -> bool:
    """An analyst or admin of the entry's region or above, of its kind of organisation."""
    return scope.edits_record(entry, role="analyst")


def may_review(scope: Scope, revision: Revision) -> bool:
    """Whether `scope` could approve `revision` now (to show the buttons)."""
    return REVISION_WORKFLOW.permits(scope, revision, Revision.State.APPROVED) and not _is_author(
        scope, revision
    )


def _drafter(revision: Revision) -> str:
    event = (
        AuditEvent.objects.filter(
            subject_type="guide.revision",
            subject_id=str(revision.pk),
            action=Action.GUIDE_DRAFTED.value,
        )
        .order_by("seq")
        .values_list("actor", flat=True)
        .first()
    )
    return event or ""


def _is_author(scope: Scope, revision: Revision) -> bool:
    if revision.author_id is not None or scope.user_id is not None:
        return revision.author_id == scope.user_id
    # Both without a person (the system and the import): the audit trail names the drafter.
    return _drafter(revision) == scope.username


def _require_edit(scope: Scope, entry: Entry) -> None:
    require(
        scope,
        may_edit(scope, entry),
        _("Only analysts of this entry's region or a region above it may edit it."),
    )


# --- drafting ---------------------------------------------------------------------------------


def draft(
    scope: Scope,
    *,
    kind: str,
    slug: str = "",
    title_id: str,
    body_id: str,
    title_en: str = "",
    body_en: str = "",
    topic: str = "",
    notice: str = "",
    province: Any = None,
    regency: Any = None,
    election: Any = None,
    valid_from: Any = None,
    valid_until: Any = None,
    position: Any = 100,
) -> Revision:
    """A new entry (not published yet) and its revision 1, in the author's organisation."""
    require(scope, may_draft(scope), _("Only analysts and admins may draft guide content."))
    if kind not in Entry.Kind.values:
        raise ContentError(_("Unknown kind of content: %(v)s") % {"v": kind}, "kind")
    text = _text(locals())
    meta = _entry_meta(
        kind,
        {
            "topic": topic,
            "notice": notice,
            "province": province,
            "regency": regency,
            "election": election,
            "position": position,
        },
    )
    require(
        scope,
        scope.may_edit(
            meta["province_id"], meta["regency_id"], scope.organisation_kind, role="analyst"
        ),
        _("You may draft content only for your own region or a region inside it."),
    )
    with transaction.atomic():
        entry = Entry.objects.create(
            kind=kind,
            slug=_slug(kind, slug, text["title_id"]),
            organisation_id=scope.organisation_id,
            created_by_id=scope.user_id,
            **meta,
        )
        revision = Revision.objects.create(entry=entry, number=1, author_id=scope.user_id, **text)
        record(scope, Action.GUIDE_DRAFTED, revision, details={"entry": entry.pk, "kind": kind})
    return revision


def _latest(entry: Entry) -> Revision | None:
    return entry.revisions.order_by("-number").first()


def revise(scope: Scope, entry: Entry, **fields: Any) -> Revision:
    """A new draft, number n+1, from the latest revision's text with `fields` changed."""
    unknown = set(fields) - set(TEXT_FIELDS) - set(ENTRY_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ContentError(_("This field cannot be changed: %(f)s") % {"f": name}, name)
    _require_edit(scope, entry)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        if entry.revisions.filter(state__in=OPEN_STATES).exists():
            raise ContentError(
                _("This entry already has a version in progress: edit or finish that one first.")
            )
        latest = _latest(entry)
        base = {name: getattr(latest, name) for name in TEXT_FIELDS} if latest else {}
        text = _text({**base, **{k: v for k, v in fields.items() if k in TEXT_FIELDS}})
        _change_meta(entry, fields)
        number = (entry.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = Revision.objects.create(
            entry=entry, number=number, author_id=scope.user_id, **text
        )
        record(
            scope,
            Action.GUIDE_DRAFTED,
            revision,
            details={"entry": entry.pk, "from": latest.number if latest else None},
        )
    return revision


def _change_meta(entry: Entry, fields: Mapping[str, Any]) -> None:
    """Apply region/election/type/topic/order changes (never-published entries only)."""
    given = {k: v for k, v in fields.items() if k in ENTRY_FIELDS}
    if not given:
        return
    current = {
        "topic": entry.topic,
        "notice": entry.notice,
        "province": entry.province_id,
        "regency": entry.regency_id,
        "election": entry.election_id,
        "position": entry.position,
    }
    if "province" in given and "regency" not in given:
        current["regency"] = None  # a new province alone means the whole province
    meta = _entry_meta(entry.kind, {**current, **given})
    changed = [name for name, value in meta.items() if getattr(entry, name) != value]
    if not changed:
        return
    if entry.published_at is not None:
        name = changed[0].removesuffix("_id")
        raise ContentError(
            _(
                "A published entry keeps its region, election, type, topic and order: withdraw "
                "it and draft a new entry instead."
            ),
            "region" if name in ("province", "regency") else name,
        )
    for name, value in meta.items():
        setattr(entry, name, value)
    entry.save()


def update(scope: Scope, revision: Revision, **fields: Any) -> Revision:
    """Edit a draft in place (its author or another analyst of the region)."""
    unknown = set(fields) - set(TEXT_FIELDS) - set(ENTRY_FIELDS)
    if unknown:
        name = sorted(unknown)[0]
        raise ContentError(_("This field cannot be changed: %(f)s") % {"f": name}, name)
    _require_edit(scope, revision.entry)
    with transaction.atomic():
        revision = Revision.objects.select_for_update().select_related("entry").get(pk=revision.pk)
        if revision.state != Revision.State.DRAFT:
            raise ContentError(_("Only a draft can be edited; this version is no longer one."))
        base = {name: getattr(revision, name) for name in TEXT_FIELDS}
        text = _text({**base, **{k: v for k, v in fields.items() if k in TEXT_FIELDS}})
        _change_meta(revision.entry, fields)
        for name, value in text.items():
            setattr(revision, name, value)
        revision.save(update_fields=list(text))
        record(scope, Action.GUIDE_DRAFTED, revision, details={"entry": revision.entry_id})
    return revision


# --- the workflow -----------------------------------------------------------------------------


def submit(scope: Scope, revision: Revision) -> Revision:
    return transition(
        revision,
        REVISION_WORKFLOW,
        Revision.State.SUBMITTED,
        scope=scope,
        changes={"submitted_at": timezone.now()},
    )


def unsubmit(scope: Scope, revision: Revision) -> Revision:
    """The author (or an analyst of the region) takes a submission back to draft."""
    return transition(revision, REVISION_WORKFLOW, Revision.State.DRAFT, scope=scope)


def approve(scope: Scope, revision: Revision, note: str = "") -> Revision:
    """Approve a submitted revision and publish it: it becomes the entry's live text, the
    previous live one is superseded, the entry is published; all or nothing. Never by the
    revision's author (the two-person rule)."""
    note = (note or "").strip()
    now = timezone.now()
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=revision.entry_id)
        revision = Revision.objects.select_related("entry").get(pk=revision.pk)
        if _is_author(scope, revision):
            raise ScopeError(
                _("Two-person rule: you wrote this version, so another admin must approve it.")
            )
        previous = entry.live if entry.live_id and entry.live_id != revision.pk else None
        revision = transition(
            revision,
            REVISION_WORKFLOW,
            Revision.State.APPROVED,
            scope=scope,
            why=note,
            changes={"reviewer_id": scope.user_id, "reviewed_at": now, "review_note": note},
            details={"entry": entry.pk, "number": revision.number},
        )
        if previous is not None and previous.state == Revision.State.APPROVED:
            transition(
                previous,
                REVISION_WORKFLOW,
                Revision.State.SUPERSEDED,
                scope=scope,
                details={"by": revision.number},
            )
        entry = transition(
            entry,
            ENTRY_WORKFLOW,
            Entry.Status.PUBLISHED,
            scope=scope,
            why=note,
            changes={
                "live": revision,
                "published_at": entry.published_at or now,
                "updated_at": now,  # the change feed's cursor (auto_now skips update_fields)
            },
            details={"revision": revision.number},
        )
        kind, pk = entry.kind, entry.pk
        transaction.on_commit(lambda: _published(kind, pk, "published"))
    return revision


def return_to_author(scope: Scope, revision: Revision, note: str) -> Revision:
    """Send a submission back with the reviewer's note (required: the author must know why)."""
    note = (note or "").strip()
    if not note:
        raise ContentError(_("Say what the author should change."), "note")
    return transition(
        revision,
        REVISION_WORKFLOW,
        Revision.State.REJECTED,
        scope=scope,
        why=note,
        changes={
            "reviewer_id": scope.user_id,
            "reviewed_at": timezone.now(),
            "review_note": note,
        },
    )


def withdraw(scope: Scope, entry: Entry, why: str) -> Entry:
    """Take a published entry off the public side (its history stays)."""
    why = (why or "").strip()
    if not why:
        raise ContentError(_("Say why the entry is withdrawn."), "why")
    with transaction.atomic():
        entry = transition(
            entry,
            ENTRY_WORKFLOW,
            Entry.Status.WITHDRAWN,
            scope=scope,
            why=why,
            changes={"updated_at": timezone.now()},
        )
        kind, pk = entry.kind, entry.pk
        transaction.on_commit(lambda: _published(kind, pk, "withdrawn"))
    return entry


def _published(kind: str, pk: int, action: str) -> None:
    from saring.guide.services import events  # read at call time (tests replace it)

    events.published(kind, [pk], action=action)
