"""Saring's documented generic schema, shared by ``generic-csv`` and ``generic-jsonl``.

One object (a CSV row as column -> text, or a JSON line) becomes one ``PostRecord``.

* Required: ``platform``, ``platform_id`` (alias ``id``, ``post_id``), ``text`` (aliases
  ``content``, ``message``, ``caption``, ``body``) and ``created_at`` (aliases ``date``,
  ``timestamp``, ``created_time``). ``text`` may be empty but must be there; ``platform_id``
  may not be empty.
* Dates: ISO 8601, "YYYY-MM-DD HH:MM:SS", day-first "DD/MM/YYYY HH:MM", or Unix seconds /
  milliseconds (UTC). A time without an offset is Western Indonesia Time (WIB, UTC+7).
* Counts (``views``, ``likes``, ``shares``, ``comments``): non-negative whole numbers, also
  written "1.234", "1,234", "12K", "1,2 rb", "3 jt".
* ``hashtags``/``mentions``: a JSON list or a space/comma separated string, '#'/'@' optional.
* Column names are matched case-insensitively, with spaces, dots and dashes read as '_'.
  Unknown columns go to ``extra`` when their value is short (at most 300 characters).
"""

from __future__ import annotations

import re
from typing import Any

from ._fields import clip, parse_region_code, parse_tags, short_extra
from ._values import WIB, parse_count, parse_datetime, require_id, text_value
from .detect import normalise_column
from .records import PostRecord, RecordError
from .urls import checked_url

CAPTURE_ALIASES: tuple[str, ...] = (
    "observed_at",
    "collected_at",
    "captured_at",
    "scraped_at",
    "retrieved_at",
    "fetched_at",
    "crawled_at",
    "downloaded_at",
    "observation_time",
    "collection_time",
    "capture_time",
    "timestamp_collected",
    "waktu_pengambilan",
    "diambil_pada",
)
ALIASES: dict[str, tuple[str, ...]] = {
    "platform": ("platform",),
    "platform_id": ("platform_id", "id", "post_id"),
    "text": ("text", "content", "message", "caption", "body", "isi", "teks"),
    "created_at": ("created_at", "date", "timestamp", "created_time", "tanggal", "waktu"),
    "url": ("url", "permalink", "post_url"),
    "author_handle": ("author_handle", "username", "author", "handle", "screen_name"),
    "author_name": ("author_name", "display_name"),
    "author_location": ("author_location",),
    "hashtags": ("hashtags",),
    "mentions": ("mentions",),
    "views": ("views", "view_count"),
    "likes": ("likes", "like_count"),
    "shares": ("shares", "share_count"),
    "comments": ("comments", "comment_count"),
    # When the counts were read: the names scrapers and research exports use for it.
    "observed_at": CAPTURE_ALIASES,
    "media_type": ("media_type",),
    "region_code": ("region_code",),
    "in_reply_to": ("in_reply_to", "parent_id"),
}
REQUIRED = ("platform", "platform_id", "text", "created_at")
_ALIAS_RANK = {
    alias: (canon, rank) for canon, names in ALIASES.items() for rank, alias in enumerate(names)
}

PLATFORM_ALIASES = {
    "twitter": "x",
    "twitter.com": "x",
    "x.com": "x",
    "fb": "facebook",
    "ig": "instagram",
    "yt": "youtube",
    "tt": "tiktok",
}
_PLATFORM = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,29}$")
MEDIA_TYPES = {
    "video": "video",
    "image": "image",
    "carousel": "carousel",
    "text": "text",
    "comment": "comment",
    "live": "live",
    "link": "link",
    "photo": "image",
    "picture": "image",
    "reel": "video",
    "reels": "video",
    "clip": "video",
    "album": "carousel",
    "sidecar": "carousel",
    "status": "text",
    "reply": "comment",
}

KeyMap = dict[str, str]  # canonical name -> the key actually used in the object
_KEYMAPS: dict[tuple[str, ...], tuple[KeyMap, tuple[str, ...]]] = {}


def keymap_for(keys: tuple[str, ...]) -> tuple[KeyMap, tuple[str, ...]]:
    """(canonical -> actual key, unknown keys) for an object's keys; cached per key set.

    When two keys alias the same field, the earlier alias in ``ALIASES`` wins.
    """
    cached = _KEYMAPS.get(keys)
    if cached is not None:
        return cached
    best: dict[str, tuple[int, str]] = {}
    unknown = []
    for key in keys:
        hit = _ALIAS_RANK.get(normalise_column(key))
        if hit is None:
            unknown.append(key)
            continue
        canon, rank = hit
        if canon not in best or rank < best[canon][0]:
            if canon in best:
                unknown.append(best[canon][1])
            best[canon] = (rank, key)
        else:
            unknown.append(key)
    result = ({canon: key for canon, (_, key) in best.items()}, tuple(unknown))
    if len(_KEYMAPS) > 512:  # many ad-hoc key sets (hand-edited JSON): don't grow forever
        _KEYMAPS.clear()
    _KEYMAPS[keys] = result
    return result


def missing_required(keys: tuple[str, ...]) -> list[str]:
    """Required fields that no key (or alias) supplies."""
    keymap, _ = keymap_for(keys)
    return [name for name in REQUIRED if name not in keymap]


def alias_hint(name: str) -> str:
    others = ALIASES[name][1:]
    return f" (also accepted: {', '.join(others)})" if others else ""


def parse_platform(value: Any) -> str:
    name = text_value(value).strip().lower()
    if not name:
        raise RecordError("missing platform", "platform", code="missing_value")
    name = PLATFORM_ALIASES.get(name, name)
    if not _PLATFORM.match(name):
        raise RecordError(f"platform {name[:40]!r} is not a short lower-case name", "platform")
    return name


def build_record(obj: dict[str, Any]) -> PostRecord:
    """One generic-schema object to a record; RecordError names the first bad field."""
    keymap, unknown = keymap_for(tuple(obj))
    get = obj.get
    for name in REQUIRED:
        if name not in keymap:
            raise RecordError(
                f"missing field{alias_hint(name)}",
                name,
                code="missing_field",
                aliases=", ".join(ALIASES[name]),
            )

    platform = parse_platform(get(keymap["platform"]))
    platform_id = require_id(get(keymap["platform_id"]), "platform_id")
    text = get(keymap["text"])
    if text is not None and not isinstance(text, str):
        if isinstance(text, list | dict):
            raise RecordError(f"text is a {type(text).__name__}, not a string", "text")
        text = text_value(text)
    created_at = parse_datetime(get(keymap["created_at"]), "created_at", WIB)

    record = PostRecord(
        platform=platform, platform_id=platform_id, text=text or "", created_at=created_at
    )
    key = keymap.get
    if k := key("url"):
        record.url, warning = checked_url(get(k), "url")
        if warning:
            record.warnings.append(warning)
    if k := key("author_handle"):
        record.author_handle = clip(text_value(get(k)).strip().lstrip("@"), 200)
    if k := key("author_name"):
        record.author_name = clip(text_value(get(k)).strip(), 300)
    if k := key("author_location"):
        record.author_location = clip(text_value(get(k)).strip(), 300)
    if k := key("hashtags"):
        record.hashtags = parse_tags(get(k), "hashtags")
    if k := key("mentions"):
        record.mentions = parse_tags(get(k), "mentions")
    if k := key("views"):
        record.views = parse_count(get(k), "views")
    if k := key("likes"):
        record.likes = parse_count(get(k), "likes")
    if k := key("shares"):
        record.shares = parse_count(get(k), "shares")
    if k := key("comments"):
        record.comments = parse_count(get(k), "comments")
    if (k := key("observed_at")) and get(k) not in (None, ""):
        record.observed_at = parse_datetime(get(k), "observed_at", WIB)
    extra_pairs: list[tuple[str, Any]] = [(name, get(name)) for name in unknown]
    if k := key("media_type"):
        raw = text_value(get(k)).strip().lower()
        record.media_type = MEDIA_TYPES.get(raw, "")
        if raw and not record.media_type:
            extra_pairs.append(("media_type", raw))  # an unknown kind is kept, not fatal
    if k := key("region_code"):
        record.region_code = parse_region_code(get(k), "region_code")
    if k := key("in_reply_to"):
        record.in_reply_to = clip(text_value(get(k)).strip(), 100)
    if extra_pairs:
        record.extra = short_extra(extra_pairs)
    return record
