"""Deadlines that need a person: the overdue list and the reminder digests.

Two deadlines are watched (the deadline engine sets them; saring.cases.deadlines):
- the follow-up (`Case.follow_up_due`) of a case not yet escalated: received, triaged, reopened;
- the platform's answer (`Case.platform_due`) of an escalated case without an answer.

`saring cases remind` mails each assignee one digest of their cases whose deadline has passed or
ends within 24 hours, at most once per case per local calendar day (`Case.reminded_at`), each
reminder in the audit trail (CASE_REMINDED). A case without an assignee goes to the admins of
its handling office.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Case as When_
from django.db.models import CharField, DateTimeField, F, Q, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM, Scope
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases import querysets
from saring.cases.models import Case, DeadlineRule
from saring.cases.querysets import AWAITING_PLATFORM, BEFORE_ESCALATION
from saring.kernel.address import public_url
from saring.kernel.jobs import JobResult

DUE_SOON = timedelta(hours=24)
DEADLINE_LABELS = {
    "follow_up": _("Follow-up by Bawaslu"),
    "platform": _("Platform's answer"),
}


def _follow_up_q() -> Q:
    return Q(state__in=BEFORE_ESCALATION, follow_up_due__isnull=False)


def _platform_q() -> Q:
    return Q(state__in=AWAITING_PLATFORM, platform_due__isnull=False)


def overdue_q(now: datetime) -> Q:
    """Cases whose watched deadline has passed (also used by the transparency figures)."""
    return querysets.overdue_q(now)


def overdue(scope: Scope, now: datetime | None = None) -> QuerySet[Case]:
    """Open cases of `scope` past their follow-up (not yet escalated) or platform deadline
    (escalated, unanswered)."""
    now = now or timezone.now()
    return Case.objects.visible_to(scope).filter(overdue_q(now))


def with_deadline(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """`queryset` annotated with the watched deadline: `due` and `deadline` ("follow_up" or
    "platform"); cases without one have due = None."""
    return queryset.annotate(
        due=When_(
            When(_follow_up_q(), then=F("follow_up_due")),
            When(_platform_q(), then=F("platform_due")),
            default=None,
            output_field=DateTimeField(),
        ),
        deadline=When_(
            When(_follow_up_q(), then=Value("follow_up")),
            When(_platform_q(), then=Value("platform")),
            default=Value(""),
            output_field=CharField(),
        ),
    )


def attention(scope: Scope, now: datetime | None = None) -> QuerySet[Case]:
    """Overdue cases and those due within 24 hours, most overdue first."""
    now = now or timezone.now()
    cases = with_deadline(Case.objects.visible_to(scope))
    return cases.filter(due__isnull=False, due__lt=now + DUE_SOON).order_by("due", "id")


def remaining(due: datetime, now: datetime):
    """The deadline engine's Remaining(seconds, overdue, label) for `due`."""
    from saring.cases.deadlines import time_left

    return time_left(due, now)


def deadline_sources() -> dict[tuple[str, str], str]:
    """{(regime, step): source} of the deadline rules (one query for a whole list)."""
    return {
        (rule.regime, rule.step): rule.source
        for rule in DeadlineRule.objects.only("regime", "step", "source")
    }


def source_of(case: Case, sources: dict[tuple[str, str], str], escalation_sources: dict) -> str:
    """Which provision or platform rule sets the case's watched deadline."""
    if getattr(case, "deadline", "") == "platform":
        return escalation_sources.get(case.pk, "")
    step = "extension" if case.follow_up_extended else "follow_up"
    return sources.get((case.regime, step), "")


def escalation_sources(case_ids: list[int]) -> dict[int, str]:
    """{case id: due_source of its latest open escalation}."""
    from saring.cases.models import Escalation

    found: dict[int, str] = {}
    rows = (
        Escalation.objects.filter(case_id__in=case_ids)
        .exclude(state__in=["answered", "withdrawn"])
        .order_by("case_id", "-created_at")
        .values_list("case_id", "due_source", "channel__answer_source")
    )
    for case_id, due_source, channel_source in rows:
        found.setdefault(case_id, due_source or channel_source or "")
    return found


# Reminders ------------------------------------------------------------------------------------


@dataclass
class RemindResult(JobResult):
    cases: int = 0
    mails: int = 0
    failed: int = 0
    without_recipient: int = 0
    messages_retried: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"reminders: {self.cases} case(s) in {self.mails} mail(s), {self.failed} failed, "
            f"{self.without_recipient} without anyone to tell ({self.seconds}s)"
        )


def _path(name: str, args: list | None, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def _office_admins(organisation_ids: set[int]) -> dict[int, list]:
    admins: dict[int, list] = defaultdict(list)
    memberships = Membership.objects.filter(
        organisation_id__in=organisation_ids, role=Membership.Role.ADMIN, user__is_active=True
    ).select_related("user")
    for membership in memberships:
        if membership.user.email:
            admins[membership.organisation_id].append(membership.user)
    return admins


def due_for_reminder(now: datetime) -> QuerySet[Case]:
    """Cases to remind about now: overdue or due within 24 h, not yet reminded today."""
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return attention(SYSTEM, now).filter(
        Q(reminded_at__isnull=True) | Q(reminded_at__lt=start_of_day)
    )


def send_reminders(now: datetime | None = None) -> RemindResult:
    """One digest per person; cases are marked reminded only when their mail went out."""
    now = now or timezone.now()
    result = RemindResult()
    cases = list(due_for_reminder(now).select_related("assignee"))
    admins = _office_admins({c.organisation_id for c in cases if c.organisation_id})
    users = {}
    per_user: dict[int, list[tuple[Case, str]]] = defaultdict(list)
    for case in cases:
        if case.assignee_id and case.assignee.is_active and case.assignee.email:
            recipients, whom = [case.assignee], "assignee"
        else:
            recipients, whom = admins.get(case.organisation_id, []), "office_admins"
        if not recipients:
            result.without_recipient += 1
            continue
        for user in recipients:
            users[user.pk] = user
            per_user[user.pk].append((case, whom))
    reminded: dict[int, str] = {}
    for user_id, entries in per_user.items():
        if _mail_digest(users[user_id], [case for case, _whom in entries], now):
            result.mails += 1
            for case, whom in entries:
                reminded.setdefault(case.pk, whom)
        else:
            result.failed += 1
    by_pk = {case.pk: case for case in cases}
    for pk, whom in reminded.items():
        case = by_pk[pk]
        Case.objects.filter(pk=pk).update(reminded_at=now)
        record(
            SYSTEM,
            Action.CASE_REMINDED,
            case,
            details={
                "to": whom,
                "deadline": case.deadline,
                "due": case.due.isoformat(),
                "overdue": case.due < now,
            },
        )
    result.cases = len(reminded)
    return result.stop()


def _mail_digest(user, cases: list[Case], now: datetime) -> bool:
    overdue_path = _path("web:cases_overdue", None, "/cases/overdue/")
    rows = []
    for case in cases:
        left = remaining(case.due, now)
        rows.append(
            {
                "reference": case.reference,
                "title": case.title,
                "due": timezone.localtime(case.due),
                "time_left": left.label,
                "deadline_label": DEADLINE_LABELS.get(case.deadline, ""),
                "link": public_url(_path("web:case", [case.pk], f"/cases/{case.pk}/")),
            }
        )
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        rows = [{**row, "deadline_label": str(row["deadline_label"])} for row in rows]
        body = render_to_string(
            "cases/mail/reminder.txt", {"rows": rows, "overdue_link": public_url(overdue_path)}
        )
        subject = gettext("Saring: %(n)d case(s) at or past their deadline") % {"n": len(rows)}
    try:
        return EmailMessage(subject, body, to=[user.email]).send(fail_silently=False) == 1
    except OSError:  # smtplib errors are OSErrors: the cases stay unreminded for the next run
        return False
