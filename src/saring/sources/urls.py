"""Addresses taken from input: only http(s) is ever stored, so nothing stored can run script.

A ``javascript:``, ``data:``, ``file:`` or ``vbscript:`` value, an address with spaces or control
characters in it (browsers skip those, so ``java\\tscript:`` still runs) and one with no host are
not addresses: the field is left empty and the record itself is kept. Pure Python, no Django.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ._values import text_value

MAX_URL = 2000
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f]")
# the common case, decided without urlsplit: scheme, a plain host, an optional port and path
_PLAIN = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#][^\x00-\x20\x7f-\x9f]*)?",
    re.I,
)


def http_url(value: Any, limit: int = MAX_URL) -> str:
    """``value`` as an http(s) address, or '' when it is not one (or longer than ``limit``).

    ``www.example.org/x`` gets ``https://``.
    """
    text = text_value(value).strip()
    if not text:
        return ""
    if text[:4].lower() == "www.":
        text = "https://" + text
    if len(text) <= limit and _PLAIN.fullmatch(text):
        return text
    if len(text) > limit or _UNSAFE.search(text):
        return ""
    scheme, _, rest = text.partition(":")
    if scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return ""
    try:
        host = urlsplit(text).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return ""
    return text if host else ""


def checked_url(value: Any, field: str, limit: int = MAX_URL) -> tuple[str, str]:
    """(address or '', a warning naming ``field`` when a non-empty value was dropped)."""
    url = http_url(value, limit)
    raw = text_value(value).strip()
    if url or not raw:
        return url, ""
    return "", f"{field}: {raw[:80]!r} is not an http(s) address; left empty"


def http_urls(values: Any, limit: int = MAX_URL) -> tuple[str, ...]:
    """The http(s) addresses among ``values`` (a list, or text with addresses in it)."""
    if isinstance(values, str):
        values = re.split(r"[\s,;]+", values)
    if not isinstance(values, list | tuple):
        return ()
    return tuple(url for url in (http_url(value, limit) for value in values) if url)
