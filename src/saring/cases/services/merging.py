"""Merging and splitting cases: both recorded on every case they touch, and reversible.

- `merge` moves a duplicate's items, reports and screenshots into the surviving case; the items
  keep `origin_case` and the reports `first_case`, which is what `unmerge` sends back.
- `split` moves chosen items (and the reports that named only them) into a new case; the moved
  rows take the new case as their origin, so merging it back and undoing that merge both work.
- No case is ever left without content.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.services import record, subject_of
from saring.cases.models import Attachment, Case, CaseItem, Report
from saring.cases.services import notify
from saring.cases.services.handling import HandlingError, handles
from saring.cases.services.items import live_case
from saring.cases.workflow import CASE_WORKFLOW
from saring.sources import links
from saring.workflow import transition


def _require_both(scope: Scope, *cases: Case) -> None:
    require(
        scope,
        all(handles(scope, case) for case in cases),
        _("You may only merge or split cases your office handles."),
    )


def _why(why: str) -> str:
    why = (why or "").strip()
    if not why:
        raise HandlingError(_("Say why."), "why")
    return why


def find_by_reference(reference: str, scope: Scope) -> Case | None:
    """A case named as KSR-000123, #123 or 123, among those the scope sees."""
    digits = "".join(ch for ch in reference.strip().upper().removeprefix("KSR-") if ch.isdigit())
    if not digits:
        return None
    return Case.objects.visible_to(scope).filter(pk=int(digits)).first()


def _absorbed(case: Case) -> set[int]:
    """The case and every case merged into it, directly or through a chain."""
    found, todo = {case.pk}, [case.pk]
    while todo:
        children = Case.objects.filter(merged_into_id__in=todo).values_list("pk", flat=True)
        todo = [pk for pk in children if pk not in found]
        found.update(todo)
    return found


def merge(scope: Scope, source: Case, target: Case, why: str) -> Case:
    """Merge `source` (a duplicate) into `target`; returns the target."""
    why = _why(why)
    target = live_case(target)
    if target.pk == source.pk or target.pk in _absorbed(source):
        raise HandlingError(_("A case cannot be merged into itself."), "target")
    if target.state == Case.State.MERGED:
        raise HandlingError(_("That case was merged into another."), "target")
    _require_both(scope, source, target)
    with transaction.atomic():
        # Rows filed before first_case/origin_case existed name their case now, so undoing
        # the merge knows where they came from.
        CaseItem.objects.filter(case=source, origin_case__isnull=True).update(origin_case=source)
        Report.objects.filter(case=source, first_case__isnull=True).update(first_case=source)
        attachments = list(Attachment.objects.filter(case=source).values_list("pk", flat=True))
        items = CaseItem.objects.filter(case=source).update(case=target)
        reports = Report.objects.filter(case=source).update(case=target)
        Attachment.objects.filter(pk__in=attachments).update(case=target)
        details = {
            "target": target.reference,
            "items": items,
            "reports": reports,
            "attachments": attachments,
        }
        source = transition(
            source,
            CASE_WORKFLOW,
            Case.State.MERGED,
            scope=scope,
            why=why,
            changes={"merged_into": target},
            details=details,
        )
        record(
            scope,
            Action.CASE_MERGED,
            target,
            reason=why,
            details={"absorbed": source.reference, "items": items, "reports": reports},
        )
        transaction.on_commit(lambda: notify.case_changed(source, Case.State.MERGED))
    return target


def _merged_attachments(source: Case) -> list[int]:
    """The screenshots the last merge of `source` moved (its audit event names them)."""
    subject_type, subject_id, _label = subject_of(source)
    event = (
        AuditEvent.objects.filter(
            subject_type=subject_type, subject_id=subject_id, action=Action.CASE_MERGED.value
        )
        .order_by("-seq")
        .first()
    )
    return list((event.details or {}).get("attachments", [])) if event else []


def unmerge(scope: Scope, source: Case, why: str) -> Case:
    """Undo a merge: `source` is received again with its own items and reports back."""
    why = _why(why)
    if source.state != Case.State.MERGED or not source.merged_into_id:
        raise HandlingError(_("This case is not merged."), "why")
    target = source.merged_into
    _require_both(scope, source, target)
    own = _absorbed(source)
    with transaction.atomic():
        items = CaseItem.objects.filter(case=target, origin_case_id__in=own)
        if not items.exists():
            raise HandlingError(_("None of this case's content is left to give back."), "why")
        if not CaseItem.objects.filter(case=target).exclude(origin_case_id__in=own).exists():
            raise HandlingError(_("Undoing the merge would leave the other case empty."), "why")
        moved_items = items.update(case=source)
        moved_reports = Report.objects.filter(case=target, first_case_id__in=own).update(
            case=source
        )
        Attachment.objects.filter(case=target, pk__in=_merged_attachments(source)).update(
            case=source
        )
        Attachment.objects.filter(case=target, report__case=source).update(case=source)
        details = {"from": target.reference, "items": moved_items, "reports": moved_reports}
        source = transition(
            source,
            CASE_WORKFLOW,
            Case.State.RECEIVED,
            scope=scope,
            why=why,
            changes={"merged_into": None},
            details=details,
        )
        record(
            scope,
            Action.CASE_UNMERGED,
            target,
            reason=why,
            details={"released": source.reference, "items": moved_items},
        )
        transaction.on_commit(lambda: notify.case_changed(source, Case.State.RECEIVED))
    return source


def _report_keys(report: Report) -> set[str] | None:
    """The content keys a report named (None when a URL cannot be read)."""
    keys = set()
    for url in report.urls or []:
        try:
            keys.add(links.canonicalise(url).key)
        except (NotImplementedError, links.LinkError):
            return None
    return keys


def split(scope: Scope, case: Case, item_ids: Iterable[int], why: str) -> Case:
    """Move the chosen items into a new case; returns the new case."""
    why = _why(why)
    _require_both(scope, case)
    if case.state == Case.State.MERGED:
        raise HandlingError(_("A merged case cannot be split; undo the merge first."), "items")
    ids = set(int(pk) for pk in item_ids)
    chosen = list(CaseItem.objects.filter(case=case, pk__in=ids))
    if not chosen or len(chosen) != len(ids):
        raise HandlingError(_("Choose content of this case to split off."), "items")
    if not CaseItem.objects.filter(case=case).exclude(pk__in=ids).exists():
        raise HandlingError(_("Leave at least one piece of content in the case."), "items")
    chosen_keys = {item.key for item in chosen}
    chosen_urls = {u for item in chosen for u in (item.url, item.canonical_url)}
    with transaction.atomic():
        new = Case.objects.create(
            title=case.title,
            state=Case.State.RECEIVED,
            origin=case.origin,
            category=case.category,
            summary=case.summary,
            organisation_id=case.organisation_id,
            province_id=case.province_id,
            regency_id=case.regency_id,
            priority=case.priority,
            regime=case.regime,
            election_id=case.election_id,
            in_quiet_period=case.in_quiet_period,
            discovered_at=case.discovered_at,
            follow_up_due=case.follow_up_due,
            created_by_id=scope.user_id,
        )
        CaseItem.objects.filter(pk__in=ids).update(case=new, origin_case=new)
        moved_reports = []
        for report in Report.objects.filter(case=case):
            keys = _report_keys(report)
            only_chosen = (
                keys <= chosen_keys
                if keys
                else bool(report.urls) and set(report.urls) <= chosen_urls
            )
            if only_chosen:
                moved_reports.append(report.pk)
        if len(moved_reports) == Report.objects.filter(case=case).count():
            moved_reports = []  # every report stays with the original: it needs one too
        Report.objects.filter(pk__in=moved_reports).update(case=new, first_case=new)
        Attachment.objects.filter(case=case, report_id__in=moved_reports).update(case=new)
        details = {
            "from": case.reference,
            "to": new.reference,
            "items": sorted(ids),
            "reports": moved_reports,
        }
        record(scope, Action.CASE_SPLIT, case, reason=why, details=details)
        record(scope, Action.CASE_SPLIT, new, reason=why, details=details)
    return new
