"""``tiktok-research``: TikTok Research API ``/v2/research/video/query/`` responses.

A response is ``{"data": {"videos": [...], "cursor", "has_more", "search_id"}, "error":
{"code", "message", "log_id"}}``. The file may hold one response, a JSON array of responses
(or of bare videos), or NDJSON with one response per line, as teams concatenate pages. One
response is streamed with ijson down to ``data.videos.item``, so file size does not matter.

Video fields read: ``id``, ``video_description``, ``create_time`` (Unix seconds, UTC),
``username``, ``view_count``, ``like_count``, ``share_count``, ``comment_count``,
``hashtag_names``, ``video_mention_list`` (else @names in the description). ``region_code`` is
the country the video was posted from ("ID"), not a Kemendagri code: it goes to
``extra["country"]``. ``voice_to_text``, ``playlist_id``, ``music_id``, ``effect_ids`` and
``video_duration`` are kept in ``extra`` when short. URL: ``https://www.tiktok.com/@user/video/ID``.
Locations read "videos[17]", "line 3, videos[17]" or "[2].videos[17]".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from ._fields import clip, mentions_in_text, parse_tags, short_extra, unique
from ._jsondoc import api_items, response_objects
from ._values import load_json, parse_count, parse_datetime, require_id, text_value
from .records import PostRecord, RawItem, RecordError

LIST_PATH = ("data", "videos")
_EXTRA_KEYS = (
    "voice_to_text",
    "playlist_id",
    "music_id",
    "effect_ids",
    "video_duration",
    "is_stem_verified",
    "favorites_count",
    "video_label",
)


def _is_response(obj: dict[str, Any]) -> bool:
    return "id" not in obj and ("data" in obj or "error" in obj)


def map_video(video: Any) -> PostRecord:
    if not isinstance(video, dict):
        raise RecordError(f"expected a video object, got {type(video).__name__}")
    platform_id = require_id(video.get("id"), source="id")
    text = text_value(video.get("video_description"))
    handle = text_value(video.get("username")).strip()
    mentions = video.get("video_mention_list")
    return PostRecord(
        platform="tiktok",
        platform_id=platform_id,
        text=text,
        created_at=parse_datetime(video.get("create_time"), "created_at", UTC, "create_time"),
        url=f"https://www.tiktok.com/@{handle}/video/{platform_id}" if handle else "",
        author_handle=clip(handle, 200),
        hashtags=parse_tags(video.get("hashtag_names"), "hashtags"),
        mentions=(parse_tags(mentions, "mentions") if mentions else unique(mentions_in_text(text))),
        views=parse_count(video.get("view_count"), "views", "view_count"),
        likes=parse_count(video.get("like_count"), "likes", "like_count"),
        shares=parse_count(video.get("share_count"), "shares", "share_count"),
        comments=parse_count(video.get("comment_count"), "comments", "comment_count"),
        media_type="video",
        extra=short_extra(
            [("country", video.get("region_code"))] + [(key, video.get(key)) for key in _EXTRA_KEYS]
        ),
    )


class TiktokResearch:
    name = "tiktok-research"
    kind = "posts"
    label = "TikTok Research API video query response (JSON)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        return api_items(Path(path), self.name, LIST_PATH, "videos")

    def parse(self, payload: str) -> list[PostRecord]:
        videos = response_objects(load_json(payload), LIST_PATH, _is_response)
        return [map_video(video) for video in videos]


FORMAT = TiktokResearch()
