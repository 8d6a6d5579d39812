"""The typed record every input format yields, and the errors a source can raise.

Pure Python: no Django import. Every parser in this package turns its platform's shape into
``PostRecord``; the ingestion service in ``saring.monitoring`` is the only consumer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class PostRecord:
    """One post (or comment) as a source saw it at ``observed_at``."""

    platform: str  # lower-case: tiktok, instagram, x, facebook, youtube, or a generic name
    platform_id: str  # the platform's own id, unique within the platform
    text: str
    created_at: datetime  # timezone-aware
    url: str = ""
    author_handle: str = ""
    author_name: str = ""
    author_location: str = ""  # free text from the profile (bio place, location field)
    hashtags: tuple[str, ...] = ()  # without '#', as written
    mentions: tuple[str, ...] = ()  # without '@'
    views: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    observed_at: datetime | None = None  # when the counts were read; None: the importer decides
    media_type: str = ""  # video, image, carousel, text, comment, live, link
    region_code: str = ""  # dotted Kemendagri code ("32", "32.73") when the source knows it
    in_reply_to: str = ""  # platform id of the parent (a YouTube comment's video)
    extra: dict[str, str] = field(default_factory=dict)  # small source-specific facts kept verbatim
    warnings: list[str] = field(default_factory=list)  # what was dropped, e.g. a javascript: url


@dataclass(slots=True, frozen=True)
class RawItem:
    """One unparsed unit of a file: a line, a CSV row or one element of a JSON array.

    ``payload`` is the text stored in quarantine when parsing fails and re-parsed on retry
    (an NDJSON line verbatim; a CSV row as a JSON object of column to value; one JSON array
    element as written in the file). ``offset`` is how many bytes of the file were consumed, for
    progress. ``error`` is set when the reader already knows the item cannot be read (a line
    over the size limit, a document cut off inside the item): it goes to quarantine unparsed.
    """

    location: str  # human-readable: "line 17", "row 17", "videos[3]"
    line: int | None
    payload: str
    offset: int = 0
    error: RecordError | None = None


class SourceError(Exception):
    """The whole file cannot be read as this format (nothing of it can be trusted)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class RecordError(ValueError):
    """One item is malformed; it goes to quarantine and the rest of the file goes on.

    ``code`` and ``params`` (optional) say the same for callers that word it for their users in
    another language (the quarantine page does); the message stays the technical English text."""

    def __init__(self, message: str, field: str = "", *, code: str = "", **params: object) -> None:
        self.field = field
        self.message = message
        self.code, self.params = code, params
        super().__init__(f"{field}: {message}" if field else message)

    @property
    def detail(self) -> dict:
        """``{"code", "params"}`` for storage, or ``{}`` when the error has no code."""
        return {"code": self.code, "params": self.params} if self.code else {}


_logger = logging.getLogger("saring.sources")


def parse_item(
    fmt, item: RawItem, check: Callable[[object], None] | None = None
) -> tuple[list, RecordError | None]:
    """The records of one raw item (each passed to `check`, which may raise RecordError), or the
    RecordError that sends the item to the quarantine. Any other exception is a reader's bug on
    this one item: it is logged and coded `reader_failed`, so it never ends the file."""
    if item.error is not None:
        return [], item.error
    try:
        parsed = fmt.parse(item.payload)
        if check is not None:
            for rec in parsed:
                check(rec)
    except RecordError as error:
        return [], error
    except Exception as error:
        _logger.warning("reader failed on %s", item.location, exc_info=True)
        return [], RecordError(
            f"the reader failed on this record ({type(error).__name__}: {str(error)[:300]})",
            "",
            code="reader_failed",
            detail=type(error).__name__,
        )
    return parsed, None
