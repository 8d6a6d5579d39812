"""``youtube``: YouTube Data API v3 ``videos.list`` and ``commentThreads.list`` responses.

The file may hold one response, a JSON array of responses, or NDJSON of responses; every
element of ``items`` is one RawItem. Items say what they are in ``kind``:

* ``youtube#video``: text is ``snippet.title`` + newline + ``snippet.description``; hashtags
  are the ``#words`` of that text followed by ``snippet.tags``; counts from ``statistics``
  (strings in the API; absent when the owner hides them). media_type is "live" while
  ``liveBroadcastContent`` is "live", else "video". URL ``https://www.youtube.com/watch?v=ID``.
* ``youtube#searchResult`` (``search.list``) is read like a video without statistics.
* ``youtube#commentThread``: the top-level comment and every reply in ``replies.comments``,
  one record each, media_type "comment". ``in_reply_to`` is the video id for a top-level
  comment and ``parentId`` for a reply. Text is ``textOriginal``, else ``textDisplay`` with
  its HTML removed. URL ``https://www.youtube.com/watch?v=VIDEO&lc=COMMENT``.

The author handle is the channel id (``UC...``) everywhere: ``videos.list`` carries no @handle,
and one id per person keeps videos and comments of the same channel together. The display
name goes to ``author_name``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from ._fields import clip, mentions_in_text, parse_tags, short_extra, tags_in_text, unique
from ._jsondoc import api_items, response_objects
from ._values import dig, load_json, parse_count, parse_datetime, require_id, text_value
from .records import PostRecord, RawItem, RecordError
from .urls import http_url

LIST_PATH = ("items",)
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _is_response(obj: dict[str, Any]) -> bool:
    kind = text_value(obj.get("kind"))
    return (
        kind.endswith("ListResponse")
        or ("items" in obj and "snippet" not in obj)
        or ("error" in obj and "id" not in obj)
    )


def _plain(display: str) -> str:
    """``textDisplay`` is HTML: line breaks kept, tags dropped, entities decoded."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", display)))


def map_video(item: dict[str, Any]) -> PostRecord:
    raw_id = item.get("id")
    if isinstance(raw_id, dict):  # search.list: {"kind": "youtube#video", "videoId": ...}
        raw_id = raw_id.get("videoId")
    video_id = require_id(raw_id, source="id")
    snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
    title, description = text_value(snippet.get("title")), text_value(snippet.get("description"))
    text = f"{title}\n{description}" if description else title
    stats = item.get("statistics") if isinstance(item.get("statistics"), dict) else {}
    tags = parse_tags(snippet.get("tags"), "hashtags") if snippet.get("tags") else ()
    live = snippet.get("liveBroadcastContent") == "live"
    return PostRecord(
        platform="youtube",
        platform_id=video_id,
        text=text,
        created_at=parse_datetime(
            snippet.get("publishedAt"), "created_at", UTC, "snippet.publishedAt"
        ),
        url=f"https://www.youtube.com/watch?v={video_id}",
        author_handle=clip(text_value(snippet.get("channelId")), 200),
        author_name=clip(text_value(snippet.get("channelTitle")), 300),
        hashtags=unique([*tags_in_text(text), *tags]),
        mentions=unique(mentions_in_text(text)),
        views=parse_count(stats.get("viewCount"), "views", "statistics.viewCount"),
        likes=parse_count(stats.get("likeCount"), "likes", "statistics.likeCount"),
        comments=parse_count(stats.get("commentCount"), "comments", "statistics.commentCount"),
        media_type="live" if live else "video",
        extra=short_extra(
            [
                ("language", snippet.get("defaultAudioLanguage") or snippet.get("defaultLanguage")),
                ("category_id", snippet.get("categoryId")),
                ("duration", dig(item, "contentDetails", "duration")),
            ]
        ),
    )


def map_comment(comment: Any, video_id: str, parent_id: str, replies: Any = None) -> PostRecord:
    if not isinstance(comment, dict):
        raise RecordError("comment is not an object", "")
    comment_id = require_id(comment.get("id"), source="comment id")
    snippet = comment.get("snippet") if isinstance(comment.get("snippet"), dict) else {}
    video_id = text_value(snippet.get("videoId")) or video_id
    original = snippet.get("textOriginal")
    text = (
        text_value(original)
        if original is not None
        else _plain(text_value(snippet.get("textDisplay")))
    )
    channel = text_value(dig(snippet, "authorChannelId", "value"))
    url = http_url(snippet.get("authorChannelUrl"))
    return PostRecord(
        platform="youtube",
        platform_id=comment_id,
        text=text,
        created_at=parse_datetime(
            snippet.get("publishedAt"), "created_at", UTC, "snippet.publishedAt"
        ),
        url=f"https://www.youtube.com/watch?v={video_id}&lc={comment_id}" if video_id else "",
        author_handle=clip(channel or url.rsplit("/", 1)[-1], 200),
        author_name=clip(text_value(snippet.get("authorDisplayName")), 300),
        hashtags=unique(tags_in_text(text)),
        mentions=unique(mentions_in_text(text)),
        likes=parse_count(snippet.get("likeCount"), "likes", "snippet.likeCount"),
        comments=parse_count(replies, "comments", "snippet.totalReplyCount"),
        media_type="comment",
        in_reply_to=text_value(snippet.get("parentId")) or parent_id,
        extra=short_extra([("video_id", video_id), ("author_url", url)]),
    )


def map_thread(item: dict[str, Any]) -> list[PostRecord]:
    snippet = item.get("snippet") if isinstance(item.get("snippet"), dict) else {}
    video_id = text_value(snippet.get("videoId"))
    top = snippet.get("topLevelComment")
    if not isinstance(top, dict):
        raise RecordError("comment thread has no snippet.topLevelComment", "platform_id")
    records = [map_comment(top, video_id, video_id, snippet.get("totalReplyCount"))]
    for reply in dig(item, "replies", "comments") or []:
        records.append(map_comment(reply, video_id, records[0].platform_id))
    return records


def map_item(item: Any) -> list[PostRecord]:
    if not isinstance(item, dict):
        raise RecordError(f"expected an item object, got {type(item).__name__}")
    kind = text_value(item.get("kind"))
    if kind == "youtube#commentThread" or dig(item, "snippet", "topLevelComment"):
        return map_thread(item)
    if kind == "youtube#comment":
        snippet = item.get("snippet") or {}
        return [map_comment(item, text_value(dig(snippet, "videoId")), "")]
    if kind in ("youtube#video", "youtube#searchResult", ""):
        if kind == "youtube#searchResult" and dig(item, "id", "kind") not in (
            None,
            "youtube#video",
        ):
            return []  # a channel or playlist hit in search results: not a post
        return [map_video(item)]
    raise RecordError(
        f"unsupported item kind {kind!r}: Saring reads videos and comment threads", ""
    )


class YouTube:
    name = "youtube"
    kind = "posts"
    label = "YouTube Data API v3 response (JSON)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        return api_items(Path(path), self.name, LIST_PATH, "items")

    def parse(self, payload: str) -> list[PostRecord]:
        items = response_objects(load_json(payload), LIST_PATH, _is_response)
        return [record for item in items for record in map_item(item)]


FORMAT = YouTube()
