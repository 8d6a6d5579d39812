"""Guess a file's format from its first 64 KB, to say "this looks like X, not Y".

Detection is deliberately conservative: it answers only on strong markers (a Zeeschuimer
envelope key, a YouTube ``kind``, TikTok Research API field names, a Meta Content Library
column) and returns None otherwise, so it never blocks a file it merely does not recognise.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ._io import binary_kind, read_head, sniff_delimiter
from .records import SourceError

_ZEESCHUIMER = re.compile(rb'"source_platform"\s*:\s*"')
_YOUTUBE = re.compile(rb'"kind"\s*:\s*"youtube#')
_TIKTOK_RESEARCH = (
    re.compile(rb'"video_description"\s*:'),
    re.compile(rb'"videos"\s*:\s*\[[\s\S]*"(?:create_time|region_code|hashtag_names)"\s*:'),
    re.compile(rb'"(?:search_id|has_more)"\s*:[\s\S]*"videos"\s*:'),
    re.compile(rb'"error"\s*:\s*\{[^{}]*"log_id"\s*:'),  # a Research API error response
)
_GENERIC_JSON = re.compile(rb'"platform"\s*:\s*"')
_CSV_META_PREFIXES = ("post_owner_", "statistics_", "surface_")
_CSV_ID = {"platform_id", "id", "post_id"}


def normalise_column(name: str) -> str:
    """'Post Owner.Name' -> 'post_owner_name': the key every CSV alias table is written in."""
    out = name.strip().strip('"\ufeff').lower()
    for char in ".- /":
        out = out.replace(char, "_")
    return out


def detect_format(path: Path | str) -> str | None:
    """The format name ``path`` most likely is, or None when nothing is certain."""
    path = Path(path)
    try:
        head = read_head(path)
    except OSError:
        return None
    return detect_bytes(head)


def detect_bytes(head: bytes) -> str | None:
    if not head or binary_kind(head):
        return None
    if head[:1] in (b"{", b"["):
        if _ZEESCHUIMER.search(head):
            return "zeeschuimer"
        if _YOUTUBE.search(head):
            return "youtube"
        if any(pattern.search(head) for pattern in _TIKTOK_RESEARCH):
            return "tiktok-research"
        if head[:1] == b"{" and _GENERIC_JSON.search(head):
            return "generic-jsonl"
        return None
    return _detect_csv(head)


def _detect_csv(head: bytes) -> str | None:
    lines = head.split(b"\n", 2)
    first = lines[0].decode("utf-8", "replace").strip()
    delimiter = ""
    if first.lower().startswith("sep=") and len(first) == 5 and len(lines) > 1:
        delimiter, first = first[4], lines[1].decode("utf-8", "replace")  # Excel's hint line
    cells = next(csv.reader([first], delimiter=delimiter or sniff_delimiter(first)), [])
    names = {normalise_column(cell) for cell in cells}
    if len(names) < 2:
        return None
    from .generic_schema import missing_required  # late: generic_schema imports this module

    if not missing_required(tuple(cells)):  # a complete generic header wins over stray columns
        return "generic-csv"
    if "creation_time" in names or any(n.startswith(_CSV_META_PREFIXES) for n in names):
        return "meta-cl"
    if "platform" in names and names & _CSV_ID:
        return "generic-csv"
    return None


LABELS = {
    "zeeschuimer": "Zeeschuimer/4CAT capture (NDJSON)",
    "tiktok-research": "TikTok Research API video query response (JSON)",
    "meta-cl": "Meta Content Library export (CSV)",
    "youtube": "YouTube Data API v3 response (JSON)",
    "generic-csv": "Saring generic schema (CSV)",
    "generic-jsonl": "Saring generic schema (JSON lines)",
}


def mismatch_hint(path: Path, expected: str) -> str:
    """' (it looks like a X file: choose the format 'x')' when detection disagrees, else ''."""
    found = detect_format(path)
    if found is None or found == expected:
        return ""
    return f" (it looks like a {LABELS[found]} file: choose the format '{found}')"


def refuse_other_format(path: Path, expected: str) -> None:
    """SourceError up front when the file is clearly another format, before reading it all."""
    kind = binary_kind(read_head(path, 8))
    if kind:
        raise SourceError(str(path), f"this is {kind}, not a {LABELS[expected]} file")
    hint = mismatch_hint(path, expected)
    if hint:
        raise SourceError(str(path), f"not a {LABELS[expected]} file{hint}")
