"""Composing a broadcast: save with its checks, schedule, unschedule, cancel.

Rules: analysts of the broadcast's region and organisation kind compose and change it (the
workflow's rule, `broadcasts.workflow`); only a draft is edited. Checks on save: an SMS is at
most SARING_SMS_MAX_SEGMENTS segments (refused with its count and encoding), a WhatsApp text at
most 4,096 characters, an e-mail needs a subject, every list must be visible to the scope, and
the target region must lie inside the scope's region (a provincial office's broadcast is kept
to its province even over a national list). State changes go through saring.workflow.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.broadcasts.models import Broadcast, Channel, RecipientList
from saring.broadcasts.querysets import visible_lists
from saring.broadcasts.workflow import BROADCAST_WORKFLOW
from saring.regions.models import Regency
from saring.text.sms import UCS2, measure
from saring.workflow import transition

WHATSAPP_MAX_CHARS = 4096
MAX_RATE = 5000
SCHEDULE_SLACK = timedelta(minutes=1)  # a time "now" typed into a form is not in the past


class ComposeError(ValueError):
    """A broadcast refused for its content; `field` names the form field at fault."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message, self.field = message, field


def max_segments() -> int:
    return int(getattr(settings, "SARING_SMS_MAX_SEGMENTS", 3))


def check_text(channel: str, text: str, subject: str = "") -> None:
    """ComposeError when the message cannot be sent on `channel` as written."""
    if not text.strip():
        raise ComposeError(_("Write the message."), "text")
    if channel == Channel.SMS:
        sms = measure(text)
        limit = max_segments()
        if sms.segments > limit:
            encoding = "UCS-2" if sms.encoding == UCS2 else "GSM-7"
            raise ComposeError(
                _(
                    "The SMS is %(segments)d segments long (%(characters)d characters, "
                    "%(encoding)s); at most %(limit)d are allowed."
                )
                % {
                    "segments": sms.segments,
                    "characters": sms.characters,
                    "encoding": encoding,
                    "limit": limit,
                },
                "text",
            )
    elif channel == Channel.WHATSAPP and len(text) > WHATSAPP_MAX_CHARS:
        raise ComposeError(
            _("A WhatsApp message has at most %(limit)d characters; this one has %(n)d.")
            % {"limit": WHATSAPP_MAX_CHARS, "n": len(text)},
            "text",
        )
    elif channel == Channel.EMAIL and not subject.strip():
        raise ComposeError(_("An e-mail needs a subject."), "subject")


def _inside_scope(scope: Scope, recipient_list: RecipientList) -> bool:
    return scope.is_national or (
        recipient_list.province_id == scope.province_code
        and (scope.regency_code is None or recipient_list.regency_id == scope.regency_code)
    )


def _target(
    scope: Scope, province: str | None, regency: str | None, lists: list[RecipientList]
) -> tuple[str | None, str | None]:
    """The region recipients must live in: the one asked for, kept inside the scope's. With
    none asked for, lists of the scope's own region go whole (their unplaced recipients too);
    a wider list (e.g. a national one) is cut to the scope's region."""
    if not province and not regency and all(_inside_scope(scope, lst) for lst in lists):
        return None, None
    if regency:
        found = Regency.objects.filter(code=regency).values_list("province_id", flat=True).first()
        if found is None:
            raise ComposeError(_("No such regency/city."), "target_regency")
        if province and province != found:
            raise ComposeError(_("The regency/city is not in that province."), "target_regency")
        province = found
    if province is None and not scope.is_national:
        province, regency = scope.province_code, scope.regency_code
    if not scope.may_see(province, regency) or (
        not scope.is_national and (province is None or (scope.regency_code and not regency))
    ):
        raise ComposeError(
            _("The target region must lie inside your own region."), "target_province"
        )
    return province, regency


def may_compose(scope: Scope) -> bool:
    return scope.can("analyst") and scope.role != "none"


def save_broadcast(
    scope: Scope,
    broadcast: Broadcast | None = None,
    *,
    title: str,
    text: str,
    channel: str,
    lists: Iterable[RecipientList | int],
    subject: str = "",
    target_province: str | None = None,
    target_regency: str | None = None,
    rate_per_second: int = 50,
    announcement_id: int | None = None,
) -> Broadcast:
    """Create (broadcast None) or change a draft; ComposeError says what to fix."""
    require(scope, may_compose(scope), _("Composing a broadcast needs the analyst role."))
    if broadcast is not None:
        require(
            scope,
            scope.edits_record(broadcast, role="analyst"),
            _("Only analysts of the broadcast's region and organisation may change it."),
        )
        if broadcast.state != Broadcast.State.DRAFT:
            raise ComposeError(_("Only a draft can be changed; unschedule it first."))
    if channel not in Channel.values:
        raise ComposeError(_("Choose a channel."), "channel")
    if not title.strip():
        raise ComposeError(_("Give the broadcast a title."), "title")
    check_text(channel, text, subject)
    ids = {item.pk if isinstance(item, RecipientList) else int(item) for item in lists}
    if not ids:
        raise ComposeError(_("Choose at least one recipient list."), "lists")
    chosen = list(visible_lists(scope).filter(pk__in=ids))
    if len(chosen) != len(ids):
        raise ComposeError(_("A chosen list does not exist or is not visible to you."), "lists")
    province, regency = _target(scope, target_province or None, target_regency or None, chosen)
    if not 1 <= rate_per_second <= MAX_RATE:
        raise ComposeError(
            _("Messages per second must be between 1 and %(max)d.") % {"max": MAX_RATE},
            "rate_per_second",
        )
    fields = {
        "title": title.strip()[:200],
        "text": text,
        "subject": subject.strip()[:200] if channel == Channel.EMAIL else "",
        "channel": channel,
        "target_province_id": province,
        "target_regency_id": regency,
        "rate_per_second": rate_per_second,
        "announcement_id": announcement_id,
    }
    with transaction.atomic():
        if broadcast is None:
            broadcast = Broadcast.objects.create(
                organisation_id=scope.organisation_id,
                province_id=scope.province_code,
                regency_id=scope.regency_code,
                created_by_id=scope.user_id,
                **fields,
            )
            created = True
        else:
            for name, value in fields.items():
                setattr(broadcast, name, value)
            broadcast.save(update_fields=[*fields])
            created = False
        broadcast.lists.set(chosen)
        sms = measure(text) if channel == Channel.SMS else None
        record(
            scope,
            Action.BROADCAST_SAVED,
            broadcast,
            details={
                "created": created,
                "channel": channel,
                "lists": sorted(ids),
                "segments": sms.segments if sms else None,
            },
        )
    return broadcast


def schedule(scope: Scope, broadcast: Broadcast, when: datetime) -> Broadcast:
    """Draft → scheduled for `when` (the sender's due job starts it then)."""
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    if when < timezone.now() - SCHEDULE_SLACK:
        raise ComposeError(_("Choose a time in the future."), "when")
    if not broadcast.lists.exists():
        raise ComposeError(_("Choose at least one recipient list."), "lists")
    return transition(
        broadcast,
        BROADCAST_WORKFLOW,
        Broadcast.State.SCHEDULED,
        scope=scope,
        changes={"scheduled_for": when},
        details={"scheduled_for": when.isoformat()},
    )


def unschedule(scope: Scope, broadcast: Broadcast) -> Broadcast:
    """Scheduled → draft (to change it)."""
    return transition(
        broadcast,
        BROADCAST_WORKFLOW,
        Broadcast.State.DRAFT,
        scope=scope,
        changes={"scheduled_for": None},
    )


def cancel(scope: Scope, broadcast: Broadcast, why: str) -> Broadcast:
    """Stop it for good (a sending run notices between chunks); the reason is required."""
    if not why.strip():
        raise ComposeError(_("Say why the broadcast is cancelled."), "why")
    return transition(
        broadcast,
        BROADCAST_WORKFLOW,
        Broadcast.State.CANCELLED,
        scope=scope,
        why=why.strip()[:500],
        changes={"finished_at": timezone.now()},
    )
