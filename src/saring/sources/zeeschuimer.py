"""``zeeschuimer``: NDJSON captures from the Zeeschuimer browser extension (as 4CAT imports them).

Each line is an envelope ``{"id", "item_id", "source_platform", "source_platform_url",
"source_url", "timestamp_collected" (ms), "data": {the platform's own item}}``. The platform
items are mapped the way 4CAT's import datasources read them (``datasources/tiktok``,
``datasources/instagram`` and ``datasources/twitter-import`` in digitalmethodsinitiative/4cat):

* TikTok (``tiktok.com``): ``id``, ``desc``, ``createTime``, ``author.uniqueId/nickname``
  (or the embedded-page form ``author`` + ``nickname``), ``stats`` (or ``statsV2``),
  ``textExtra[].hashtagName/userUniqueId`` (``challenges[].title`` as fallback). The bio
  (``author.signature``) is the author location text, where a place name is most often written.
* Instagram (``instagram.com``): item-list shape (``code``, ``caption.text``, ``taken_at``,
  ``user``, ``like_count``, ``comment_count``, ``play_count``/``view_count``, ``media_type``
  1/2/8) and the older Graph shape (``shortcode``, ``edge_media_to_caption``...). The id is the
  shortcode, as in 4CAT. The post's geotag (``location.name``) stands in for the author
  location, Instagram items carrying no profile place. Ads are skipped (no record).
* X (``twitter.com``/``x.com``): GraphQL tweet results (``rest_id``, ``legacy.*``,
  ``core.user_results.result.legacy|core``, ``views.count``, ``note_tweet`` for long posts,
  ``RT @user: text`` for reposts as 4CAT writes them) and the older "adaptive" shape.

``observed_at`` is ``timestamp_collected``. URLs: ``https://www.tiktok.com/@user/video/ID``,
``https://www.instagram.com/p/CODE``, ``https://x.com/user/status/ID``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from ._fields import clip, mentions_in_text, short_extra, tags_in_text, unique
from ._values import dig, load_json, parse_count, parse_datetime, require_id, text_value
from .generic_jsonl import iter_json_lines
from .records import PostRecord, RawItem, RecordError

PLATFORMS = {"tiktok.com": "tiktok", "instagram.com": "instagram", "twitter.com": "x", "x.com": "x"}
_IG_MEDIA = {1: "image", 2: "video", 8: "carousel"}
_IG_GRAPH_MEDIA = {"GraphImage": "image", "GraphVideo": "video", "GraphSidecar": "carousel"}


def _count(obj: dict[str, Any], key: str, field: str, prefix: str = "data") -> int | None:
    return parse_count(obj.get(key), field, f"{prefix}.{key}")


def _first(*values: Any) -> Any:
    return next((value for value in values if value not in (None, "")), None)


def map_tiktok(d: dict[str, Any]) -> PostRecord:
    platform_id = require_id(d.get("id"), source="data.id")
    author = d.get("author")
    if isinstance(author, dict):  # intercepted API response
        handle, name = text_value(author.get("uniqueId")), text_value(author.get("nickname"))
        bio, author_id = text_value(author.get("signature")), author.get("id")
    else:  # item embedded in the page's JSON
        handle, name, bio, author_id = text_value(author), text_value(d.get("nickname")), "", None
    text = text_value(d.get("desc"))
    extras = [e for e in d.get("textExtra") or [] if isinstance(e, dict)]
    hashtags = [text_value(e.get("hashtagName")) for e in extras]
    if not any(hashtags):
        hashtags = [
            text_value(c.get("title")) for c in d.get("challenges") or [] if isinstance(c, dict)
        ] or tags_in_text(text)
    mentions = [text_value(e.get("userUniqueId")) for e in extras] or mentions_in_text(text)
    stats = d.get("stats") if isinstance(d.get("stats"), dict) else {}
    stats_v2 = d.get("statsV2") if isinstance(d.get("statsV2"), dict) else {}

    def stat(key: str, field: str) -> int | None:
        return parse_count(_first(stats.get(key), stats_v2.get(key)), field, f"data.stats.{key}")

    images = dig(d, "imagePost", "images")
    media = "video" if not isinstance(images, list) else "carousel" if len(images) > 1 else "image"
    return PostRecord(
        platform="tiktok",
        platform_id=platform_id,
        text=text,
        created_at=parse_datetime(d.get("createTime"), "created_at", UTC, "data.createTime"),
        url=f"https://www.tiktok.com/@{handle}/video/{platform_id}" if handle else "",
        author_handle=clip(handle, 200),
        author_name=clip(name, 300),
        author_location=clip(bio.strip(), 300),
        hashtags=unique(hashtags),
        mentions=unique(mentions),
        views=stat("playCount", "views"),
        likes=stat("diggCount", "likes"),
        shares=stat("shareCount", "shares"),
        comments=stat("commentCount", "comments"),
        media_type=media,
        extra=short_extra(
            [
                ("author_id", author_id),
                ("country", d.get("locationCreated")),
                ("music_id", dig(d, "music", "id")),
                ("music_title", dig(d, "music", "title")),
                ("duration_s", dig(d, "video", "duration")),
                ("is_ad", d.get("isAd") or None),
                ("author_followers", dig(d, "authorStats", "followerCount")),
            ]
        ),
    )


def map_instagram(d: dict[str, Any]) -> PostRecord | None:
    link = text_value(d.get("link"))
    if d.get("product_type") == "ad" or link.startswith("https://www.facebook.com/ads/"):
        return None  # a sponsored item in the feed, not public discourse
    graph = "__typename" in d and d["__typename"] != "XDTMediaDict"
    if graph:
        code = require_id(d.get("shortcode"), source="data.shortcode")
        text = text_value(dig(d, "edge_media_to_caption", "edges", 0, "node", "text"))
        created = parse_datetime(
            d.get("taken_at_timestamp"), "created_at", UTC, "data.taken_at_timestamp"
        )
        likes = parse_count(
            _first(dig(d, "edge_media_preview_like", "count"), dig(d, "edge_liked_by", "count")),
            "likes",
            "data.edge_media_preview_like.count",
        )
        comments = parse_count(
            _first(
                dig(d, "edge_media_to_comment", "count"),
                dig(d, "edge_media_preview_comment", "count"),
            ),
            "comments",
            "data.edge_media_to_comment.count",
        )
        views = _count(d, "video_view_count", "views")
        media = _IG_GRAPH_MEDIA.get(text_value(d.get("__typename")), "")
    else:
        code = require_id(d.get("code"), source="data.code")
        text = text_value(dig(d, "caption", "text"))
        created = parse_datetime(d.get("taken_at"), "created_at", UTC, "data.taken_at")
        likes = _count(d, "like_count", "likes")
        comments = _count(d, "comment_count", "comments")
        views = parse_count(
            _first(d.get("play_count"), d.get("ig_play_count"), d.get("view_count")),
            "views",
            "data.play_count",
        )
        media = _IG_MEDIA.get(d.get("media_type"), "")  # type: ignore[arg-type]
        if d.get("product_type") == "clips":
            media = "video"
    user = d.get("user") if isinstance(d.get("user"), dict) else {}
    owner = d.get("owner") if isinstance(d.get("owner"), dict) else {}
    place = text_value(dig(d, "location", "name")).strip()
    return PostRecord(
        platform="instagram",
        platform_id=code,
        text=text,
        created_at=created,
        url=f"https://www.instagram.com/p/{code}",
        author_handle=clip(text_value(_first(user.get("username"), owner.get("username"))), 200),
        author_name=clip(text_value(_first(user.get("full_name"), owner.get("full_name"))), 300),
        author_location=clip(place, 300),
        hashtags=unique(tags_in_text(text)),
        mentions=unique(mentions_in_text(text)),
        views=views,
        likes=likes,
        comments=comments,
        media_type=media,
        extra=short_extra(
            [
                ("media_pk", _first(d.get("pk"), d.get("id"))),
                ("product_type", d.get("product_type")),
                ("post_location", place),
                ("location_city", dig(d, "location", "city")),
            ]
        ),
    )


def _unwrap_tweet(obj: Any) -> Any:
    """Tweets come wrapped as ``TweetWithVisibilityResults`` or ``{"tweet": ...}``."""
    if isinstance(obj, dict) and isinstance(obj.get("tweet"), dict):
        return obj["tweet"]
    return obj


def _screen_name(tweet: dict[str, Any]) -> str:
    user = dig(tweet, "core", "user_results", "result") or {}
    return text_value(
        _first(
            dig(user, "core", "screen_name"),
            dig(user, "legacy", "screen_name"),
            dig(tweet, "user", "screen_name"),
        )
    )


def map_x(d: dict[str, Any]) -> PostRecord:
    d = _unwrap_tweet(d)
    if d.get("__typename") == "TweetTombstone":
        raise RecordError(
            "the post is withheld or deleted (tombstone)", "platform_id", code="withheld"
        )
    legacy = d.get("legacy")
    if not isinstance(legacy, dict):
        raise RecordError("no 'legacy' object in data: not a tweet", "platform_id")
    raw_id = d.get("rest_id") if d.get("rest_id") else legacy.get("id_str")
    platform_id = require_id(raw_id, source="data.rest_id")
    user = dig(d, "core", "user_results", "result") or {}
    handle = _screen_name(d)
    note = dig(d, "note_tweet", "note_tweet_results", "result", "text")
    if legacy.get("full_text") is None and note is None:
        raise RecordError("missing text in data.legacy.full_text", "text")
    text = text_value(_first(note, legacy.get("full_text")))
    retweet = _unwrap_tweet(dig(legacy, "retweeted_status_result", "result"))
    if isinstance(retweet, dict) and isinstance(retweet.get("legacy"), dict):
        original = _first(
            dig(retweet, "note_tweet", "note_tweet_results", "result", "text"),
            retweet["legacy"].get("full_text"),
        )
        text = f"RT @{_screen_name(retweet)}: {text_value(original)}"
    entities = legacy.get("entities") if isinstance(legacy.get("entities"), dict) else {}
    media_types = {
        m.get("type")
        for m in dig(legacy, "extended_entities", "media") or entities.get("media") or []
        if isinstance(m, dict)
    }
    media = (
        "video"
        if media_types & {"video", "animated_gif"}
        else "image"
        if media_types
        else "link"
        if entities.get("urls")
        else "text"
    )
    quoted = _unwrap_tweet(dig(d, "quoted_status_result", "result"))
    return PostRecord(
        platform="x",
        platform_id=platform_id,
        text=text,
        created_at=parse_datetime(
            legacy.get("created_at"), "created_at", UTC, "data.legacy.created_at"
        ),
        url=f"https://x.com/{handle or 'i'}/status/{platform_id}",
        author_handle=clip(handle, 200),
        author_name=clip(
            text_value(
                _first(
                    dig(user, "core", "name"), dig(user, "legacy", "name"), dig(d, "user", "name")
                )
            ),
            300,
        ),
        author_location=clip(
            text_value(
                _first(dig(user, "location", "location"), dig(user, "legacy", "location"))
            ).strip(),
            300,
        ),
        hashtags=unique(
            text_value(h.get("text")) for h in entities.get("hashtags") or [] if isinstance(h, dict)
        ),
        mentions=unique(
            text_value(m.get("screen_name"))
            for m in entities.get("user_mentions") or []
            if isinstance(m, dict)
        ),
        views=parse_count(
            _first(dig(d, "views", "count"), dig(d, "ext_views", "count")),
            "views",
            "data.views.count",
        ),
        likes=_count(legacy, "favorite_count", "likes", "data.legacy"),
        shares=_count(legacy, "retweet_count", "shares", "data.legacy"),
        comments=_count(legacy, "reply_count", "comments", "data.legacy"),
        media_type=media,
        in_reply_to=text_value(legacy.get("in_reply_to_status_id_str")),
        extra=short_extra(
            [
                ("lang", legacy.get("lang")),
                ("quotes", legacy.get("quote_count")),
                ("conversation_id", legacy.get("conversation_id_str")),
                ("retweet_of", retweet.get("rest_id") if isinstance(retweet, dict) else None),
                ("quote_of", quoted.get("rest_id") if isinstance(quoted, dict) else None),
                ("author_id", legacy.get("user_id_str")),
            ]
        ),
    )


def _guess_platform(d: dict[str, Any]) -> str:
    if "createTime" in d and ("desc" in d or "author" in d):
        return "tiktok"
    if "taken_at" in d or "shortcode" in d or "taken_at_timestamp" in d:
        return "instagram"
    if "legacy" in d or "rest_id" in d or "tweet" in d:
        return "x"
    return ""


class Zeeschuimer:
    name = "zeeschuimer"
    kind = "posts"
    label = "Zeeschuimer/4CAT capture (NDJSON)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        return iter_json_lines(Path(path), self.name)

    def parse(self, payload: str) -> list[PostRecord]:
        envelope = load_json(payload)
        if not isinstance(envelope, dict):
            raise RecordError(f"expected a JSON object, got {type(envelope).__name__}")
        data = envelope.get("data")
        if not isinstance(data, dict):
            raise RecordError("not a Zeeschuimer item: no 'data' object", "data")
        source = text_value(envelope.get("source_platform")).lower()
        platform = PLATFORMS.get(source) or (_guess_platform(data) if not source else "")
        if platform == "tiktok":
            record: PostRecord | None = map_tiktok(data)
        elif platform == "instagram":
            record = map_instagram(data)
        elif platform == "x":
            record = map_x(data)
        else:
            raise RecordError(
                f"unsupported platform {source or 'unknown'!r}: Saring reads "
                "tiktok.com, instagram.com, twitter.com and x.com captures",
                "source_platform",
            )
        if record is None:
            return []
        collected = envelope.get("timestamp_collected")
        if collected not in (None, ""):
            record.observed_at = parse_datetime(
                collected, "observed_at", UTC, "timestamp_collected"
            )
        return [record]


FORMAT = Zeeschuimer()
