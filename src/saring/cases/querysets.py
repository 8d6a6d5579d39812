"""Who sees which case (the visibility matrix of docs/user-guide.md, "Cases"), and the reads.

- Handlers: Bawaslu offices (and superusers/the system, which have no kind) see the cases of
  their region down the hierarchy: the centre all, a province its own and its regencies', a
  regency its own. Never a sibling's, never a region above (unlike monitoring's records).
- KPU, Komdigi and fact-checkers see the cases escalated to their organisation and the cases
  their own organisation reported.
- Platform liaisons see no case list: only the escalations addressed to their organisation.
- Reporters' personal data: handlers with at least the analyst role (`handles`), one audited
  read at a time (services.privacy).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from saring.accounts.scope import Scope

HANDLER_KINDS = {None, "bawaslu"}

# The one rule of which deadline runs (lists, API, overdue page, reminders, figures): Bawaslu's
# follow-up until the case is escalated, then the platform's answer; none once answered.
BEFORE_ESCALATION = ("received", "triaged", "reopened")
AWAITING_PLATFORM = ("escalated",)


def overdue_q(now) -> Q:
    """Cases whose running deadline has passed."""
    return Q(state__in=BEFORE_ESCALATION, follow_up_due__lt=now) | Q(
        state__in=AWAITING_PLATFORM, platform_due__lt=now
    )


def running_due(case):
    """The deadline that runs now for `case` (see overdue_q), or None."""
    if case.state in BEFORE_ESCALATION:
        return case.follow_up_due
    if case.state in AWAITING_PLATFORM:
        return case.platform_due
    return None


def handler(scope: Scope) -> bool:
    """A scope of a handling organisation (Bawaslu, or no kind: superusers and the system)."""
    return scope.role != "none" and scope.organisation_kind in HANDLER_KINDS


def region_q(scope: Scope, prefix: str = "") -> Q:
    if scope.is_national:
        return Q(**{f"{prefix}pk__isnull": False})
    if scope.regency_code is None:
        return Q(**{f"{prefix}province_id": scope.province_code})
    return Q(**{f"{prefix}regency_id": scope.regency_code})


def in_region(scope: Scope, province_code: str | None, regency_code: str | None) -> bool:
    if scope.is_national:
        return True
    if scope.regency_code is None:
        return province_code == scope.province_code
    return regency_code == scope.regency_code


class CaseQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope) -> CaseQuerySet:
        if scope.role == "none":
            return self.none()
        if handler(scope):
            return self.filter(region_q(scope))
        if scope.organisation_kind == "platform" or scope.organisation_id is None:
            return self.none()
        return self.filter(
            Q(escalations__channel__organisation_id=scope.organisation_id)
            | Q(reports__organisation_id=scope.organisation_id)
        ).distinct()

    def open(self) -> CaseQuerySet:
        return self.exclude(state__in=["closed", "rejected", "merged", "draft"])


class ReportQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope) -> ReportQuerySet:
        from saring.cases.models import Case

        return self.filter(case__in=Case.objects.visible_to(scope).values("pk"))


class EscalationQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope) -> EscalationQuerySet:
        """Handlers: the escalations of their cases; others (liaisons, KPU, Komdigi): those
        addressed to their organisation."""
        if scope.role == "none":
            return self.none()
        if handler(scope):
            return self.filter(region_q(scope, "case__"))
        if scope.organisation_id is None:
            return self.none()
        return self.filter(channel__organisation_id=scope.organisation_id)

    def addressed_to(self, scope: Scope) -> EscalationQuerySet:
        """The liaison's inbox: only what was sent to their organisation."""
        if scope.organisation_id is None:
            return self.none()
        return self.filter(channel__organisation_id=scope.organisation_id)
