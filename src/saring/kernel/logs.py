"""Log formatting that keeps personal data out of the log.

Saring's own log lines name files and counts, never people, but a traceback or a library's
message can carry what a request or a record contained. The formatter of the console handler
masks e-mail addresses and phone numbers in the whole formatted entry, traceback included.
"""

from __future__ import annotations

import logging
import re

EMAIL = re.compile(r"[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Indonesian mobile numbers (08…, 628…, +628…, with spaces, dots or dashes) and any
# international number written with a leading +.
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+?62[\s.-]?|0)8\d{1,3}[\s.-]?\d{3,4}[\s.-]?\d{3,5}|\+\d(?:[\s.-]?\d){7,14})"
    r"(?!\d)"
)


def redact(text: str) -> str:
    """`text` with e-mail addresses and phone numbers replaced by [email] and [phone]."""
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
