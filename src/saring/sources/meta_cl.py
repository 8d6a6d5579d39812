"""``meta-cl``: CSV exports of Facebook and Instagram posts from the Meta Content Library.

Column names follow the Content Library API fields (``id``, ``text``, ``creation_time``,
``post_owner.name``/``.username``/``.id``/``.type``, ``surface.*``, ``statistics.*``,
``link_attachment.link``, ``multimedia``, ``media_type``, ``lang``, ``is_branded_content``);
dotted, underscored and spaced spellings are all read ('Post owner name' == 'post_owner.name').

* Required columns: ``id``, ``creation_time`` and ``text``. The Library leaves ``text`` out
  of the default field set, so an export without it is refused with that advice.
* ``creation_time`` is UTC, as Meta documents it; an explicit offset wins.
* Likes are ``statistics.reaction_count`` (Facebook, all reactions) or
  ``statistics.like_count`` (Instagram); also ``comment_count``, ``share_count``, ``views``.
* Platform, in order: a ``platform`` column; the domain of a ``url`` column; Facebook-only
  columns (``statistics.reaction_count``, ``statistics.share_count``, per-emoji counts,
  ``surface.*``) mean facebook; Instagram-only ones (``hashtags``, a like count without a
  reaction count) mean instagram; otherwise facebook.
* The Library gives no permalink, so ``url`` is set only from a ``url``/``post_url`` column.
* Every other column is kept in ``extra`` when its value is short.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from ._fields import (
    clip,
    mentions_in_text,
    parse_tags,
    short_extra,
    tags_in_text,
    unique,
)
from ._values import parse_count, parse_datetime, require_id, text_value
from .detect import mismatch_hint, normalise_column
from .generic_csv import csv_items, row_object
from .generic_schema import CAPTURE_ALIASES
from .records import PostRecord, RawItem, SourceError
from .urls import checked_url

ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "post_id", "content_id"),
    "text": ("text", "message", "caption", "post_text"),
    "creation_time": ("creation_time", "created_time", "creation_date", "created_at", "date"),
    "handle": ("post_owner_username", "owner_username", "username", "surface_username"),
    "name": ("post_owner_name", "owner_name", "surface_name", "page_name"),
    "likes": (
        "statistics_reaction_count",
        "reaction_count",
        "reactions",
        "statistics_like_count",
        "like_count",
        "likes",
    ),
    "comments": ("statistics_comment_count", "comment_count", "comments"),
    "shares": ("statistics_share_count", "share_count", "shares"),
    "views": ("statistics_views", "statistics_view_count", "views", "view_count"),
    "url": ("url", "post_url", "permalink"),
    "media": ("media_type", "content_type", "multimedia", "multimedia_type"),
    "observed": CAPTURE_ALIASES,  # a column the researcher added: when the export was taken
    "hashtags": ("hashtags",),
    "platform": ("platform", "source_platform"),
}
REQUIRED = ("id", "creation_time", "text")
_RANK = {
    alias: (canon, rank) for canon, names in ALIASES.items() for rank, alias in enumerate(names)
}
_FACEBOOK_ONLY = (
    "statistics_reaction_count",
    "reaction_count",
    "statistics_share_count",
    "statistics_love_count",
    "statistics_haha_count",
    "statistics_angry_count",
    "surface_id",
    "surface_name",
    "surface_type",
)
_INSTAGRAM_ONLY = ("hashtags",)
_MEDIA = {
    "photo": "image",
    "photos": "image",
    "image": "image",
    "video": "video",
    "videos": "video",
    "reel": "video",
    "reels": "video",
    "album": "carousel",
    "albums": "carousel",
    "carousel": "carousel",
    "link": "link",
    "text": "text",
    "status": "text",
    "live_video": "live",
    "live": "live",
}

_CACHE: dict[tuple[str, ...], tuple[dict[str, str], str]] = {}


def columns(keys: tuple[str, ...]) -> tuple[dict[str, str], str]:
    """(field -> column, platform guessed from the column set), cached per header."""
    cached = _CACHE.get(keys)
    if cached:
        return cached
    found: dict[str, tuple[int, str]] = {}
    normal = {normalise_column(key): key for key in keys}
    for norm, key in normal.items():
        hit = _RANK.get(norm)
        if hit and (hit[0] not in found or hit[1] < found[hit[0]][0]):
            found[hit[0]] = (hit[1], key)
    if any(name in normal for name in _FACEBOOK_ONLY):
        platform = "facebook"
    elif any(name in normal for name in _INSTAGRAM_ONLY) or "likes" in found:
        platform = "instagram"
    else:
        platform = "facebook"
    result = ({field: key for field, (_, key) in found.items()}, platform)
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[keys] = result
    return result


def _platform(row: dict[str, Any], cols: dict[str, str], guessed: str, url: str) -> str:
    named = text_value(row.get(cols.get("platform", ""))).strip().lower()
    if named:
        if "insta" in named or named == "ig":
            return "instagram"
        if "face" in named or named == "fb":
            return "facebook"
        if "threads" in named:
            return "threads"
    if "instagram.com/" in url:
        return "instagram"
    if "facebook.com/" in url or "fb.com/" in url:
        return "facebook"
    return guessed


def _media(value: str) -> str:
    """``media_type`` word, or the kinds named in a ``multimedia`` list ("[{'type': 'photo'}]")."""
    word = value.strip().lower()
    if word in _MEDIA:
        return _MEDIA[word]
    kinds = [kind for kind in ("video", "photo", "image") if kind in word]
    if not kinds:
        return ""
    if word.count("type") > 1 or word.count("{") > 1:
        return "carousel"
    return "video" if kinds[0] == "video" else "image"


def map_row(row: dict[str, Any]) -> PostRecord:
    cols, guessed = columns(tuple(row))

    def get(field: str) -> Any:
        return row.get(cols[field]) if field in cols else None

    text = text_value(get("text"))
    url, warning = checked_url(get("url"), "url")
    platform = _platform(row, cols, guessed, url)
    listed = parse_tags(get("hashtags"), "hashtags") if get("hashtags") else ()
    used = set(cols.values())
    return PostRecord(
        platform=platform,
        platform_id=require_id(get("id"), source=cols.get("id", "id")),
        text=text,
        created_at=parse_datetime(
            get("creation_time"), "created_at", UTC, cols.get("creation_time")
        ),
        url=url,
        author_handle=clip(text_value(get("handle")).strip().lstrip("@"), 200),
        author_name=clip(text_value(get("name")).strip(), 300),
        hashtags=unique([*listed, *tags_in_text(text)]),
        mentions=unique(mentions_in_text(text)),
        views=parse_count(get("views"), "views", cols.get("views")),
        likes=parse_count(get("likes"), "likes", cols.get("likes")),
        shares=parse_count(get("shares"), "shares", cols.get("shares")),
        comments=parse_count(get("comments"), "comments", cols.get("comments")),
        media_type=_media(text_value(get("media"))),
        observed_at=(
            parse_datetime(get("observed"), "observed_at", UTC, cols.get("observed"))
            if get("observed") not in (None, "")
            else None
        ),
        extra=short_extra((key, value) for key, value in row.items() if key not in used),
        warnings=[warning] if warning else [],
    )


class MetaContentLibrary:
    name = "meta-cl"
    kind = "posts"
    label = "Meta Content Library export (CSV)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        path = Path(path)

        def required(header: list[str]) -> None:
            cols, _ = columns(tuple(header))
            missing = [field for field in REQUIRED if field not in cols]
            if not missing:
                return
            field = missing[0]
            advice = (
                " (the Content Library leaves post text out unless the 'text' field is "
                "selected before exporting)"
                if field == "text"
                else f" (also accepted: {', '.join(ALIASES[field][1:])})"
            )
            raise SourceError(
                str(path),
                f"missing required column '{field}'{advice}; columns "
                f"found: {', '.join(header)}{mismatch_hint(path, self.name)}",
            )

        yield from csv_items(path, self.name, required)

    def parse(self, payload: str) -> list[PostRecord]:
        return [map_row(row_object(payload))]


FORMAT = MetaContentLibrary()
