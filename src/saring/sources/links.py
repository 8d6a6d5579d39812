"""What content a URL points at, per platform (interface; implementation in progress)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Content:
    url: str  # as given (trimmed)
    platform: str  # tiktok, instagram, facebook, youtube, x, threads, … or "other"
    content_id: str  # the platform's id of the post/video ("" for other sites)
    key: str  # "platform:content_id", or "other:" + canonical URL
    canonical_url: str


class LinkError(ValueError):
    """Not a web address; `code` says why (for the reader's language)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def canonicalise(url: str) -> Content:
    raise NotImplementedError
