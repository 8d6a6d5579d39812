"""Input formats: platform exports and captures turned into ``PostRecord``\\s. No Django here.

See ``docs/formats.md`` for the formats and the generic schema, and :mod:`.registry` for
how ingestion drives them.
"""

from ._fields import mentions_in_text, tags_in_text
from .records import PostRecord, RawItem, RecordError, SourceError
from .registry import (
    CLARIFICATION_FORMATS,
    FORMATS,
    SourceFormat,
    UnknownFormatError,
    check_file,
    detect_format,
    get_format,
)
from .urls import checked_url, http_url

__all__ = [
    "CLARIFICATION_FORMATS",
    "FORMATS",
    "PostRecord",
    "RawItem",
    "RecordError",
    "SourceError",
    "SourceFormat",
    "UnknownFormatError",
    "check_file",
    "checked_url",
    "detect_format",
    "get_format",
    "http_url",
    "mentions_in_text",
    "tags_in_text",
]
