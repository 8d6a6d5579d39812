"""Escalating a case to a platform or Komdigi, and delivering it.

`escalate()` is the officer's act (in the request): it checks the case, builds the evidence
packet, gives the escalation its reference and deadline, moves the case to "escalated" and queues
the delivery once that commits. `deliver()` is the worker's (or `saring cases deliver`'s): one
attempt through the channel's deliverer, then sent, a retry with back-off, or given up after
MAX_ATTEMPTS (failed, shown on the case). Batch channels wait for `take_batch()`: a handler's
download of the CSV/XLSX marks its escalations sent under one batch id.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.channels.base import DeliveryResult, deliverer_for
from saring.cases.models import Case, Channel, Escalation
from saring.cases.querysets import handler, in_region
from saring.cases.workflow import CASE_WORKFLOW
from saring.kernel.jobs import JobResult
from saring.workflow import transition

logger = logging.getLogger("saring.cases.escalation")
ESCALATABLE = ("triaged", "escalated", "answered", "appealed")
OPEN = (Escalation.State.QUEUED, Escalation.State.SENT, Escalation.State.FAILED)
MAX_ATTEMPTS = 6
# Wait after the 1st, 2nd, … failed attempt; the 6th failure gives up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


class EscalationError(ValueError):
    """The case cannot be escalated as asked (state, validity, no legal basis, channel)."""


def handles(scope: Scope, case: Case) -> bool:
    """An analyst (or admin) of the case's handling office: may escalate, sees its packets."""
    return (
        scope.can("analyst")
        and handler(scope)
        and in_region(scope, case.province_id, case.regency_id)
    )


def may_escalate(scope: Scope, case: Case) -> bool:
    return handles(scope, case) and bool(case.is_valid) and case.state in ESCALATABLE


def active_channels():
    return Channel.objects.filter(is_active=True).order_by("name")


def addressee(scope: Scope, escalation: Escalation) -> bool:
    """A member of the organisation the escalation was sent to (liaison, Komdigi, KPU)."""
    return (
        scope.organisation_id is not None
        and scope.organisation_id == escalation.channel.organisation_id
    )


def may_download_packet(scope: Scope, escalation: Escalation) -> bool:
    return handles(scope, escalation.case) or addressee(scope, escalation)


def _deadline(now: datetime, channel: Channel, urgent: bool) -> tuple[datetime, str]:
    """(due, the rule it comes from): Komdigi's urgent takedown order (DeadlineRule
    takedown/takedown, 4 hours), else the channel's own answer time."""
    from saring.cases import deadlines

    if urgent:
        amount, _unit, provision = deadlines.rule("takedown", "takedown")
        source = _("Komdigi urgent takedown order: %(hours)s hours") % {"hours": amount}
        if provision:
            source = f"{source} ({provision})"
        return deadlines.takedown_due(now), source[:300]
    hours = channel.answer_hours
    source = channel.answer_source or _("%(channel)s's answer time: %(hours)s hours") % {
        "channel": channel.name,
        "hours": hours,
    }
    return deadlines.platform_due(now, hours), str(source)[:300]


def earliest_open_due(case: Case) -> datetime | None:
    """The case's `platform_due`: the earliest deadline among its unanswered escalations."""
    return (
        case.escalations.filter(state__in=OPEN, due_at__isnull=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )


def _store_packet(escalation: Escalation, packet) -> None:
    path = Path(str(packet.path))
    media = Path(settings.MEDIA_ROOT)
    if path.is_absolute() and path.is_relative_to(media):
        escalation.packet.name = str(path.relative_to(media))
    elif not path.is_absolute() and (media / path).exists():
        escalation.packet.name = str(path)
    else:  # built elsewhere (a temporary directory): keep a copy with the escalation
        data = path.read_bytes()
        escalation.packet.save(f"{escalation.reference}.zip", ContentFile(data), save=False)
    escalation.packet_sha256 = packet.sha256


def _check_escalatable(case: Case) -> None:
    if not case.is_valid:
        raise EscalationError(_("Only a case triaged as a violation can be escalated."))
    if case.state not in ESCALATABLE:
        raise EscalationError(
            _("A case in state “%(state)s” cannot be escalated.")
            % {"state": case.get_state_display()}
        )
    if not case.bases.exists():
        raise EscalationError(_("Choose at least one legal basis before escalating."))


def _reference(escalation: Escalation) -> str:
    return f"ESC-{escalation.created_at:%Y}-{escalation.pk:06d}"


def escalate(
    scope: Scope,
    case: Case,
    channel: Channel,
    *,
    urgent: bool = False,
    note: str = "",
    include_personal: bool = False,
) -> Escalation:
    """Send `case` to `channel`: an Escalation with its packet, reference and deadline; the
    case moves to "escalated"; delivery is queued for after the commit."""
    from saring.cases import packets

    require(
        scope,
        handles(scope, case),
        _("Only analysts of the case's handling office may escalate it."),
    )
    if not channel.is_active:
        raise EscalationError(_("The channel “%(name)s” is not active.") % {"name": channel.name})
    urgent = bool(urgent) or channel.platform == "komdigi"
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)  # the state as it is now
        _check_escalatable(case)
        now = timezone.now()
        due_at, due_source = _deadline(now, channel, urgent)
        escalation = Escalation.objects.create(
            case=case,
            channel=channel,
            reference=f"ESC-TMP-{secrets.token_hex(8)}",
            urgent=urgent,
            due_at=due_at,
            due_source=due_source,
            note=note.strip(),
            include_personal=bool(include_personal),
            created_by_id=scope.user_id,
        )
        escalation.reference = _reference(escalation)
        packet = packets.build_packet(case, scope=scope, include_personal=bool(include_personal))
        _store_packet(escalation, packet)
        escalation.save(update_fields=["reference", "packet", "packet_sha256"])
        changes = {"platform_due": earliest_open_due(case)}
        moved = case.state != Case.State.ESCALATED
        if moved or case.escalated_at is None:
            changes["escalated_at"] = now
        case = transition(
            case,
            CASE_WORKFLOW,
            Case.State.ESCALATED,
            scope=scope,
            why=note.strip(),
            changes=changes,
            details={
                "escalation": escalation.reference,
                "channel": channel.name,
                "urgent": urgent,
                "include_personal": bool(include_personal),
                "due_at": due_at.isoformat(),
                "packet_sha256": escalation.packet_sha256,
            },
        )
        if channel.kind != Channel.Kind.BATCH:
            pk = escalation.pk
            transaction.on_commit(lambda: _queue(pk))
        if moved:  # the reporter hears of the change once, not of each further platform
            from saring.cases.services import notify

            transaction.on_commit(lambda: notify.case_changed(case, "escalated"))
    return escalation


def _queue(escalation_id: int, run_after: datetime | None = None) -> None:
    from saring.cases.tasks import deliver_escalation_task

    task = deliver_escalation_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # immediate backend: `saring cases deliver` (cron) picks the retry up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(escalation_id)
    except Exception:  # stored and queued: `saring cases deliver` sends it all the same
        logger.exception("could not queue the delivery of escalation %s", escalation_id)


def deliver(escalation_id: int, **options) -> DeliveryResult:
    """One delivery attempt of a queued escalation. Idempotent: an escalation already sent,
    answered, failed or withdrawn is left alone (ok when it was delivered)."""
    escalation = (
        Escalation.objects.select_related("channel", "case", "case__organisation")
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        return DeliveryResult(False, f"no escalation {escalation_id}")
    if escalation.state != Escalation.State.QUEUED:
        delivered = escalation.state in (Escalation.State.SENT, Escalation.State.ANSWERED)
        return DeliveryResult(delivered, "" if delivered else escalation.state)
    result = deliverer_for(escalation.channel, **options).deliver(escalation)
    if result.deferred:
        return result
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation_id)
        if escalation.state != Escalation.State.QUEUED:
            return DeliveryResult(escalation.state == Escalation.State.SENT)
        now = timezone.now()
        escalation.attempts += 1
        details = {"attempt": escalation.attempts, "channel": escalation.channel.name}
        if result.ok:
            escalation.state = Escalation.State.SENT
            escalation.sent_at = now
            escalation.next_attempt_at = None
            escalation.last_error = ""
            record(
                SYSTEM,
                Action.ESCALATION_SENT,
                escalation,
                from_state="queued",
                to_state="sent",
                details=details,
            )
        elif escalation.attempts >= MAX_ATTEMPTS:
            escalation.state = Escalation.State.FAILED
            escalation.last_error = result.error
            escalation.next_attempt_at = None
            record(
                SYSTEM,
                Action.ESCALATION_FAILED,
                escalation,
                from_state="queued",
                to_state="failed",
                reason=result.error,
                details=details,
            )
        else:
            escalation.last_error = result.error
            escalation.next_attempt_at = now + BACKOFF[escalation.attempts - 1]
            when = escalation.next_attempt_at
            transaction.on_commit(lambda: _queue(escalation_id, run_after=when))
        escalation.save(
            update_fields=["state", "sent_at", "attempts", "next_attempt_at", "last_error"]
        )
    return result


def retry(scope: Scope, escalation: Escalation) -> Escalation:
    """A handler sends a failed escalation again (after the channel was fixed)."""
    require(scope, handles(scope, escalation.case), _("Only the case's handlers may retry."))
    if escalation.state != Escalation.State.FAILED:
        raise EscalationError(_("Only a failed delivery can be retried."))
    Escalation.objects.filter(pk=escalation.pk).update(
        state=Escalation.State.QUEUED, attempts=0, next_attempt_at=None
    )
    pk = escalation.pk
    transaction.on_commit(lambda: _queue(pk))
    escalation.refresh_from_db()
    return escalation


@dataclass
class DeliverSummary(JobResult):
    due: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.due} due: {self.sent} sent, {self.retrying} to retry, "
            f"{self.failed} given up ({self.seconds:.1f} s)"
        )


def due_for_delivery(now: datetime | None = None):
    """Queued escalations of sending channels whose first attempt or back-off is due."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        Escalation.objects.filter(state=Escalation.State.QUEUED)
        .exclude(channel__kind=Channel.Kind.BATCH)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("created_at", "id")
    )


def deliver_due(now: datetime | None = None, **options) -> DeliverSummary:
    """`saring cases deliver`: every escalation that is due, one attempt each."""
    summary = DeliverSummary()
    for pk in list(due_for_delivery(now).values_list("pk", flat=True)):
        summary.due += 1
        result = deliver(pk, **options)
        state = Escalation.objects.filter(pk=pk).values_list("state", flat=True).first()
        if result.ok:
            summary.sent += 1
        elif state == Escalation.State.FAILED:
            summary.failed += 1
            summary.errors.append(f"{pk}: {result.error}")
        else:
            summary.retrying += 1
    return summary.stop()


# Batches for upload portals.


@dataclass(frozen=True)
class Batch:
    batch_id: str
    file_name: str
    content: bytes
    content_type: str
    references: list[str]


BATCH_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def queued_for_batch(scope: Scope, channel: Channel):
    from saring.cases.querysets import region_q

    return (
        Escalation.objects.filter(channel=channel, state=Escalation.State.QUEUED, batch="")
        .filter(region_q(scope, "case__"))
        .select_related("case", "channel")
        .prefetch_related("case__items", "case__bases")
        .order_by("created_at", "id")
    )


def take_batch(scope: Scope, channel: Channel, fmt: str) -> Batch:
    """The channel's queued escalations (of the scope's region) as one CSV/XLSX file; they are
    marked sent under a new batch id, so each escalation is in exactly one batch."""
    from saring.cases.channels import batch as batch_channel

    require(
        scope,
        scope.can("analyst") and handler(scope),
        _("Only analysts of a handling office may download batches."),
    )
    if channel.kind != Channel.Kind.BATCH:
        raise EscalationError(_("“%(name)s” is not a batch channel.") % {"name": channel.name})
    if fmt not in BATCH_TYPES:
        raise EscalationError(_("Choose csv or xlsx."))
    with transaction.atomic():
        escalations = list(queued_for_batch(scope, channel).select_for_update(of=("self",)))
        if not escalations:
            raise EscalationError(
                _("Nothing is waiting for a batch on “%(name)s”.") % {"name": channel.name}
            )
        now = timezone.now()
        batch_id = f"BATCH-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        content = batch_channel.write(escalations, fmt)
        for escalation in escalations:
            escalation.state = Escalation.State.SENT
            escalation.sent_at = now
            escalation.batch = batch_id
            escalation.attempts += 1
            escalation.save(update_fields=["state", "sent_at", "batch", "attempts"])
            record(
                scope,
                Action.ESCALATION_SENT,
                escalation,
                from_state="queued",
                to_state="sent",
                details={"batch": batch_id, "channel": channel.name, "format": fmt},
            )
    return Batch(
        batch_id=batch_id,
        file_name=f"{batch_id}.{fmt}",
        content=content,
        content_type=BATCH_TYPES[fmt],
        references=[e.reference for e in escalations],
    )
