"""Field helpers shared by every format: tags, Kemendagri codes, URLs and ``extra``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ._values import json_dumps, text_value
from .records import RecordError

EXTRA_MAX = 300  # ``extra`` keeps small facts only; long values are dropped, never truncated

# ----------------------------------------------------------------------------- tags

_TAG_TOKEN = re.compile(r"[^\s,;#@'\"\[\]]+")
HASHTAG_IN_TEXT = re.compile(r"(?<![\w&])#(\w+)")
MENTION_IN_TEXT = re.compile(r"(?<![\w@])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")


def parse_tags(value: Any, field: str) -> tuple[str, ...]:
    """Hashtags or mentions from a list, a JSON list, a Python-repr list, or "#a #b"/"a, b"."""
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):  # one tag per element, spaces kept ("debat capres")
        tokens = [
            (item if isinstance(item, str) else _tag_name(item)).strip().lstrip("#@")
            for item in value
        ]
    elif isinstance(value, str):
        tokens = _TAG_TOKEN.findall(value)
    else:
        raise RecordError(f"expected a list of tags, got {type(value).__name__}", field)
    return unique(tokens)


def _tag_name(item: Any) -> str:
    if isinstance(item, dict):  # {"name": ...} / {"text": ...} / {"title": ...} shapes
        return text_value(item.get("name") or item.get("text") or item.get("title"))
    return text_value(item)


def tags_in_text(text: str) -> list[str]:
    return HASHTAG_IN_TEXT.findall(text) if "#" in text else []


def mentions_in_text(text: str) -> list[str]:
    return MENTION_IN_TEXT.findall(text) if "@" in text else []


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Non-empty items, first occurrence kept, order preserved."""
    out = tuple(dict.fromkeys(items))
    return tuple(item for item in out if item) if "" in out else out


# ----------------------------------------------------------------------------- codes, urls

_DOTTED_CODE = re.compile(r"^\d\d(?:\.\d\d(?:\.\d\d(?:\.\d{4})?)?)?$")


def parse_region_code(value: Any, field: str = "region_code") -> str:
    """A Kemendagri code in dotted form: "32", "32.73", "32.73.01", "32.73.01.1001"."""
    if isinstance(value, str) and _DOTTED_CODE.match(value) and value[:2] >= "11":
        return value  # already in dotted form: the common case
    text = text_value(value).strip()
    if not text:
        return ""
    digits = text.replace(".", "")
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 10) or not 11 <= int(digits[:2]) <= 99:
        raise RecordError(
            f"region code {text!r} is not a Kemendagri code like '32' or '32.73'", field
        )
    parts = (digits[:2], digits[2:4], digits[4:6], digits[6:])
    dotted = ".".join(part for part in parts if part)
    if "." in text and text != dotted:
        raise RecordError(f"region code {text!r} is not a Kemendagri code like '32.73'", field)
    return dotted


def parse_url(value: Any, field: str = "url") -> str:
    text = text_value(value).strip()
    if not text:
        return ""
    if text.startswith("www."):
        text = "https://" + text
    if not text.startswith(("http://", "https://")) or " " in text:
        raise RecordError(f"url {text[:100]!r} is not an http(s) address", field)
    return text if len(text) <= 500 else ""


def clip(text: str, limit: int) -> str:
    """Display fields (names, places) are cut to the database column; ids never are."""
    return text if len(text) <= limit else text[:limit]


def short_extra(pairs: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """``extra`` from (key, value) pairs: scalars as text, short lists as JSON, empties dropped."""
    extra: dict[str, str] = {}
    for key, value in pairs:
        if value is None or value == "" or value == [] or value == {}:
            continue
        if isinstance(value, list | dict):
            if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
                text = ",".join(str(v) for v in value)
            else:
                try:
                    text = json_dumps(value)
                except (TypeError, ValueError):  # nested past the serialiser's depth: not small
                    continue
        else:
            text = text_value(value)
        if len(text) <= EXTRA_MAX:
            extra[key[:64]] = text
    return extra
