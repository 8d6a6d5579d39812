"""Screenshots of a case: cleaned (saring.cases.images), stored through Django's default
storage and recorded in the audit trail with both hashes.

The public intake calls `add_screenshot` only after the report is committed, one image at a
time: a refused image (ImageRefused) never costs the reporter their report; the caller tells
them which file was refused and why.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.images import ImageRefused, clean_image, safe_name
from saring.cases.models import Attachment, Case, Report
from saring.cases.querysets import handler, in_region

MAX_SCREENSHOTS = 5  # per report, as the public form says


def add_screenshot(
    case: Case,
    name: str,
    data: bytes,
    *,
    report: Report | None = None,
    by=None,
    scope: Scope,
) -> Attachment:
    """Store one screenshot of `case` (and of `report`, when it came with one). Raises
    ImageRefused (with `.code`) for a file that is not stored, ScopeError for a scope that
    does not handle the case. The public form and partner intake act as `SYSTEM` (no person
    is logged in); officers pass their own scope."""
    require(
        scope,
        scope.can("analyst")
        and handler(scope)
        and in_region(scope, case.province_id, case.regency_id),
        _("Only the case's handlers may add screenshots."),
    )
    if report is not None and report.case_id != case.pk:
        raise ValueError(f"report {report.pk} is not a report of case {case.pk}")
    if report is not None and report.attachments.count() >= MAX_SCREENSHOTS:
        shown = safe_name(name, "")
        raise ImageRefused(
            "too_many",
            shown,
            _("%(name)s was not added: a report has at most %(limit)d screenshots.")
            % {"name": shown, "limit": MAX_SCREENSHOTS},
        )
    clean = clean_image(name, data)
    attachment = Attachment(
        case=case,
        report=report,
        name=clean.name,
        content_type=clean.content_type,
        size=len(clean.content),
        width=clean.width,
        height=clean.height,
        original_sha256=clean.original_sha256,
        sha256=clean.sha256,
        added_by=by,
    )
    if by is None and scope.user_id:
        attachment.added_by_id = scope.user_id
    attachment.file.save(clean.name, ContentFile(clean.content), save=False)
    try:
        with transaction.atomic():
            attachment.save()
            record(
                scope,
                Action.CASE_ATTACHMENT_ADDED,
                case,
                details={
                    "attachment": attachment.pk,
                    "name": clean.name,
                    "content_type": clean.content_type,
                    "bytes": len(clean.content),
                    "sha256": clean.sha256,
                    "original_sha256": clean.original_sha256,
                    "report": report.tracking_code if report is not None else "",
                },
            )
    except Exception:
        attachment.file.delete(save=False)  # no stored file without its row
        raise
    return attachment
