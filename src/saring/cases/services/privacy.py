"""Reporters' personal data (UU 27/2022): one audited read at a time, for the case's handlers.

Pages and exports show reporters as "Reporter 1, 2, …"; an officer who needs to reach one asks
for the contact, and each time that read is written to the audit trail with the report's
tracking code (never the data itself)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.models import Report
from saring.cases.querysets import handler, in_region


def may_reveal(scope: Scope, report: Report) -> bool:
    case = report.case
    return (
        handler(scope)
        and scope.can("analyst")
        and in_region(scope, case.province_id, case.regency_id)
    )


def reveal_reporter(scope: Scope, report: Report) -> dict[str, str]:
    """The reporter's name, e-mail and phone; ScopeError for anyone but the case's handlers."""
    require(
        scope,
        may_reveal(scope, report),
        _("Only the case's handlers may see a reporter's contact."),
    )
    record(
        scope,
        Action.REPORTER_VIEWED,
        report,
        details={"tracking_code": report.tracking_code, "case": report.case.reference},
    )
    return {
        "name": report.reporter_name,
        "email": report.reporter_email,
        "phone": report.reporter_phone,
    }
