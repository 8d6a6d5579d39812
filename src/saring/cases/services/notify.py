"""The reporter kept informed: a receipt, then one message per change of their case.

- `report_received(report)`: the receipt (tracking code, status link, what happens next).
- `case_changed(case, event)`: one message to each reporter of the (live) case about `event`,
  the new state. Callers call it after the state change commits.

One `Notification` per (report, event key): the key is the state plus the number of the audit
event that recorded the move ("triaged:4711"), so a replayed call sends nothing while a later,
real return to the same state (reopened → triaged) is told again. The receipt's key is
"received". Rows are written at once; sending happens after commit through a task
(`tasks.send_notifications_task`: in the worker with SARING_TASKS=database). A failed
send stays `failed` with the reason, retried by `saring cases notify-retry` (and `remind`).

A message names only the reporter's own tracking code, the case's state, outcome or reason and
the status link: never the case title, other reports or anyone's contact details. Mails are
plain text (HTML in a reason stays inert text); SMS is the short form of the same words.
Indonesian first, then English (the reporter's language is not stored).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saring import config
from saring.audit.models import AuditEvent
from saring.cases.models import Case, Decision, Notification, Report
from saring.kernel.address import public_url
from saring.kernel.jobs import JobResult
from saring.kernel.sms import SmsError, gateway

logger = logging.getLogger("saring.cases.notify")

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)  # a pending message this old lost its task: retry it
SMS_LIMIT = 459  # three concatenated SMS parts
RECEIVED = "received"
# States a reporter is not told about: a merged case's reports already live in the other case.
SILENT = {"draft", "merged"}

STATE_WORDS = {
    "received": _("Your report has been received."),
    "triaged": _(
        "Your report has been checked and is being handled by the election supervisory body "
        "(Bawaslu)."
    ),
    "escalated": _("The reported content has been forwarded to the platform for action."),
    "answered": _("The platform has answered."),
    "closed": _("The handling of your report is finished."),
    "rejected": _("Your report will not be taken further."),
    "reopened": _("The handling of your report has been reopened."),
    "appealed": _("The platform's decision is being disputed."),
}


@dataclass
class DeliveryResult(JobResult):
    sent: int = 0
    failed: int = 0

    def __str__(self) -> str:
        return f"messages to reporters: {self.sent} sent, {self.failed} failed ({self.seconds}s)"


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    return config.env(name) if value is None else str(value)


def status_url(report: Report) -> str:
    """The public tracking page of `report`, as an absolute URL (SARING_PUBLIC_URL)."""
    try:
        path = reverse("web:report_status", args=[report.tracking_code])
    except NoReverseMatch:  # the tracking page's route is another area's; keep its address
        path = f"/lapor/status/{report.tracking_code}/"
    return public_url(path)


# Who gets what -------------------------------------------------------------------------------


def medium_for(report: Report) -> str | None:
    """How `report`'s reporter is told: "email", "sms" or None (no contact, or no messages).

    SMS when chosen and a gateway is configured; else e-mail when there is an address. A
    reporter with only a phone while SMS is off still gets an "sms" row, which fails visibly
    ("SMS is off") on the case's messages page instead of silently sending nothing."""
    if report.notify == Report.Notify.NONE:
        return None
    phone, email = report.reporter_phone, report.reporter_email
    if report.notify == Report.Notify.SMS and phone and gateway() is not None:
        return "sms"
    if email:
        return "email"
    return "sms" if phone else None


def _event_key(case: Case, event: str) -> str:
    if event == RECEIVED:
        return RECEIVED  # the receipt and a later return to "received" are one message
    seq = (
        AuditEvent.objects.filter(
            subject_type="cases.case", subject_id=str(case.pk), to_state=event
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return f"{event}:{seq}" if seq else event


def report_received(report: Report) -> None:
    """The receipt for a new report, sent after the report's transaction commits."""
    medium = medium_for(report)
    if medium is None:
        return
    notification, created = Notification.objects.get_or_create(
        report=report, event=RECEIVED, defaults={"medium": medium}
    )
    if created:
        _queue([notification.pk])


def case_changed(case: Case, event: str) -> None:
    """One message to each reporter of `case` (its own reports, moved ones included) about
    `event`, the state the case just reached. Replays create nothing new."""
    if event in SILENT:
        return
    key = _event_key(case, event)
    created_ids = []
    for report in Report.objects.filter(case=case).exclude(notify=Report.Notify.NONE):
        medium = medium_for(report)
        if medium is None:
            continue
        notification, created = Notification.objects.get_or_create(
            report=report, event=key, defaults={"medium": medium}
        )
        if created:
            created_ids.append(notification.pk)
    _queue(created_ids)


def _queue(ids: list[int]) -> None:
    if not ids:
        return

    def enqueue() -> None:
        from saring.cases.tasks import send_notifications_task

        try:
            send_notifications_task.enqueue(ids)
        except Exception:  # the rows stay pending: notify-retry sends them
            logger.exception("could not queue %d message(s) to reporters", len(ids))

    transaction.on_commit(enqueue)


# What is said ---------------------------------------------------------------------------------


def outcome_words(case: Case) -> str:
    """The platform's decision in plain words (Case.outcome holds a code or words)."""
    if not case.outcome:
        return ""
    labels = dict(Decision.Visibility.choices)
    return str(labels.get(case.outcome, case.outcome))


def _context(report: Report, state: str) -> dict:
    case = report.case
    return {
        "code": report.tracking_code,
        "link": status_url(report),
        "state": state,
        "words": STATE_WORDS.get(state, ""),
        "state_label": dict(Case.State.choices).get(state, state),
        "outcome": outcome_words(case) if state in {"answered", "closed", "appealed"} else "",
        "reason": case.validity_reason if state == "rejected" else "",
    }


def _render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        ctx = {
            **context,
            "words": str(context["words"]),
            "state_label": str(context["state_label"]),
        }
        return render_to_string(template, ctx).strip()


def compose_mail(notification: Notification) -> tuple[str, str]:
    """(subject, body) of an e-mail: Indonesian, then the same in English."""
    state = notification.event.split(":", 1)[0]
    report = notification.report
    context = _context(report, state)
    template = "cases/mail/received.txt" if state == RECEIVED else "cases/mail/changed.txt"
    with translation.override("id"):
        subject = gettext("Saring report %(code)s: %(state)s") % {
            "code": report.tracking_code,
            "state": str(context["state_label"]),
        }
    body = "\n\n".join(
        [
            _render(template, context, "id"),
            "— English —",
            _render(template, context, "en"),
            _render("cases/mail/footer.txt", context, "id"),
        ]
    )
    return subject, body + "\n"


def compose_sms(notification: Notification) -> str:
    state = notification.event.split(":", 1)[0]
    text = _render("cases/mail/sms.txt", _context(notification.report, state), "id")
    text = " ".join(text.split())
    return text if len(text) <= SMS_LIMIT else text[: SMS_LIMIT - 1] + "…"


# Sending --------------------------------------------------------------------------------------


def _safe_error(error: Exception) -> str:
    """What went wrong, without addresses or numbers (officers read it; logs may keep it)."""
    if isinstance(error, SmsError):
        return str(error)[:300]
    if isinstance(error, smtplib.SMTPResponseException):
        return f"mail server answered {error.smtp_code}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "mail server refused the recipient"
    return f"mail not sent: {type(error).__name__}"


def _send(notification: Notification) -> None:
    report = notification.report
    if notification.medium == "sms":
        sms = gateway()
        if sms is None:
            raise SmsError("SMS is off (SARING_SMS_URL is empty) and there is no e-mail address")
        sms.send(report.reporter_phone, compose_sms(notification))
        return
    subject, body = compose_mail(notification)
    message = EmailMessage(subject, body, to=[report.reporter_email])
    if message.send(fail_silently=False) != 1:
        raise smtplib.SMTPException("not delivered")


def deliver(ids: list[int] | None = None) -> DeliveryResult:
    """Send the given messages (or every one due a retry): each is claimed first by raising its
    attempt count, so two workers never send the same message."""
    result = DeliveryResult()
    queryset = Notification.objects.filter(attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids).exclude(status=Notification.Status.SENT)
    else:
        stuck = timezone.now() - STUCK_AFTER
        queryset = queryset.filter(
            Q(status=Notification.Status.FAILED)
            | Q(status=Notification.Status.PENDING, created_at__lt=stuck)
        )
    for notification in queryset.select_related("report__case").order_by("id"):
        claimed = Notification.objects.filter(
            pk=notification.pk, attempts=notification.attempts, status=notification.status
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        try:
            _send(notification)
        except (SmsError, smtplib.SMTPException, OSError) as error:
            Notification.objects.filter(pk=notification.pk).update(
                status=Notification.Status.FAILED, last_error=_safe_error(error)
            )
            result.failed += 1
            continue
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.SENT, sent_at=timezone.now(), last_error=""
        )
        result.sent += 1
    return result.stop()


def retry() -> DeliveryResult:
    """`saring cases notify-retry`: failed messages (up to MAX_ATTEMPTS tries) and pending ones
    whose task was lost."""
    return deliver(None)


def messages_for(case: Case):
    """The messages to the reporters of `case`, for officers: code, medium, event, status; no
    contact details."""
    return (
        Notification.objects.filter(report__case=case)
        .select_related("report")
        .order_by("-created_at", "-id")
    )
