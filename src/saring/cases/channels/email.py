"""E-mail to the channel's address with the evidence packet attached.

The Message-ID is derived from the escalation's reference, so a resend after a lost answer is
recognisably the same message. The body is plain text: the notice's elements, and reporters'
identity only when the officer included it in the packet."""

from __future__ import annotations

import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from saring.cases.channels.base import (
    Deliverer,
    DeliveryResult,
    notice,
    packet_bytes,
    page_url,
    public_url,
    register,
)


def message_id(escalation) -> str:
    host = urlsplit(public_url()).hostname or "saring.localhost"
    return f"<{escalation.reference.lower()}@{host}>"


def body(escalation) -> str:
    data = notice(escalation)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Notice %(reference)s from %(notifier)s (trusted flagger).")
            % {"reference": data["notice_id"], "notifier": data["notifier"]["name"]},
            "",
            data["explanation"],
            "",
            _("Content:"),
            *[f"- {item['url']} ({item['canonical_url']})" for item in data["content"]],
            "",
            _("Answer due: %(due)s (%(source)s)")
            % {"due": data["deadline"] or "–", "source": data["deadline_source"] or "–"},
        ]
        if data["urgent"]:
            lines.append(_("This is an urgent takedown order."))
        lines += [
            "",
            _("Evidence packet: attached; SHA-256 %(sha)s") % {"sha": data["packet"]["sha256"]},
            _("Download: %(url)s") % {"url": data["packet"]["url"]},
            "",
            _("Record your decision on %(page)s or with POST %(api)s.")
            % {"page": page_url(escalation), "api": data["callback"]["decision_url"]},
            _("We report this in good faith and believe the information to be accurate."),
        ]
        for reporter in data.get("reporters", []):
            lines.append(
                _("Reporter: %(name)s, %(email)s, %(phone)s")
                % {k: reporter[k] or "–" for k in ("name", "email", "phone")}
            )
    return "\n".join(lines) + "\n"


@register
class EmailDeliverer(Deliverer):
    kind = "email"

    def __init__(self, connection=None):
        self.connection = connection

    def deliver(self, escalation) -> DeliveryResult:
        channel = escalation.channel
        if not channel.email_to:
            return DeliveryResult(False, "the channel has no e-mail address")
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("[%(reference)s] Escalation: %(title)s") % {
                "reference": escalation.reference,
                "title": escalation.case.title[:120],
            }
        message = EmailMessage(
            subject=subject,
            body=body(escalation),
            to=[channel.email_to],
            headers={
                "Message-ID": message_id(escalation),
                "X-Saring-Escalation": escalation.reference,
            },
            connection=self.connection,
        )
        packet = packet_bytes(escalation)
        if packet:
            message.attach(f"{escalation.reference}.zip", packet, "application/zip")
        try:
            sent = message.send(fail_silently=False)
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            return DeliveryResult(False, f"{type(error).__name__}: {error}"[:500])
        if sent != 1:
            return DeliveryResult(False, "the mail backend sent nothing (no SARING_SMTP_HOST?)")
        return DeliveryResult(True)
