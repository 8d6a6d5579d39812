"""E-mail through Django's mail backend, one open connection per batch.

The Message-ID is made from the delivery's key, so a resend is recognisably the same message
(and is the id a bounce names)."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from saring.broadcasts.channels.base import Message, Result, Sender, register


def message_id(key: str) -> str:
    return f"<{key}@broadcast.saring>"


@register
class EmailSender(Sender):
    channel = "email"
    batch_size = 100

    def __init__(self, timeout: float = 10.0):
        self.timeout = timeout

    def send(self, batch: Sequence[Message]) -> list[Result]:
        results = []
        try:
            connection = get_connection(fail_silently=False, timeout=self.timeout)
            connection.open()
        except (OSError, smtplib.SMTPException) as error:
            reason = f"mail server unreachable: {type(error).__name__}"
            return [Result(m.key, False, error=reason, retryable=True) for m in batch]
        try:
            for m in batch:
                mail = EmailMessage(
                    subject=m.subject,
                    body=m.text,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[m.to],
                    headers={"Message-ID": message_id(m.key)},
                    connection=connection,
                )
                try:
                    sent = connection.send_messages([mail])
                except smtplib.SMTPRecipientsRefused:
                    results.append(Result(m.key, False, error="mail server refused the address"))
                    continue
                except (OSError, smtplib.SMTPException) as error:
                    reason = f"mail not sent: {type(error).__name__}"
                    results.append(Result(m.key, False, error=reason, retryable=True))
                    continue
                if sent:
                    results.append(Result(m.key, True, gateway_id=message_id(m.key)[1:-1]))
                else:
                    # The unsent-mail backend (no SARING_SMTP_HOST): nothing left the machine.
                    reason = "mail is off (SARING_SMTP_HOST is empty)"
                    results.append(Result(m.key, False, error=reason, retryable=True))
        finally:
            connection.close()
        return results
