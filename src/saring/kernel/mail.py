"""The mail backend used when no mail server is configured (`SARING_SMTP_HOST` empty).

Django's console backend would print every message whole, recipients' addresses included, into
the server's output, which operators keep as a log. This one writes only that a mail was not
sent, its subject and how many people it was for.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("saring.mail")


class UnsentMailLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            logger.info(
                "mail not sent (no SARING_SMTP_HOST): %r for %d recipient(s)",
                message.subject,
                len(message.recipients()),
            )
        return 0  # nothing was delivered
