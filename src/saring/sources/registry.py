"""The input formats by CLI name, and the file checks every import starts with.

One registry serves posts and clarifications: every format has a ``kind`` ("posts" or
"clarifications"), ``FORMATS`` holds the post formats (the names ``saring ingest --format``
takes) and ``CLARIFICATION_FORMATS`` the clarification ones (``saring clarifications import
--format``). Ingestion of either does::

    check_file(path)
    fmt = get_format(name, kind)
    for item in fmt.iter_items(path):
        if item.error:  # the reader already knows it is bad
            quarantine(item, item.error)
            continue
        try:
            records = fmt.parse(item.payload)
        except RecordError as err:
            quarantine(item, err)

``parse`` needs nothing but the payload, so a quarantined item can be edited and retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from . import (
    clarifications,
    generic_csv,
    generic_jsonl,
    meta_cl,
    tiktok_research,
    youtube,
    zeeschuimer,
)
from ._io import check_file
from .detect import detect_format
from .records import RawItem

__all__ = [
    "CLARIFICATION_FORMATS",
    "FORMATS",
    "SourceFormat",
    "UnknownFormatError",
    "check_file",
    "detect_format",
    "get_format",
]


@runtime_checkable
class SourceFormat(Protocol):
    """One input format: streams a file into RawItems and parses a payload into records."""

    name: str  # CLI name, e.g. "zeeschuimer"
    kind: str  # "posts" (parse gives PostRecords) or "clarifications" (ClarificationRecords)
    label: str  # human label

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        """Stream ``path`` in constant memory; SourceError for whole-file problems."""
        ...

    def parse(self, payload: str) -> list[Any]:
        """Records from one payload (possibly several, possibly none); RecordError if bad."""
        ...


POSTS, CLARIFICATIONS = "posts", "clarifications"
_ALL: tuple[SourceFormat, ...] = (
    zeeschuimer.FORMAT,
    tiktok_research.FORMAT,
    meta_cl.FORMAT,
    youtube.FORMAT,
    generic_csv.FORMAT,
    generic_jsonl.FORMAT,
    clarifications.CLAIMREVIEW,
    clarifications.CSV,
    clarifications.ARTICLE,
)
REGISTRY: dict[tuple[str, str], SourceFormat] = {(fmt.kind, fmt.name): fmt for fmt in _ALL}
FORMATS: dict[str, SourceFormat] = {n: f for (k, n), f in REGISTRY.items() if k == POSTS}
CLARIFICATION_FORMATS: dict[str, SourceFormat] = {
    n: f for (k, n), f in REGISTRY.items() if k == CLARIFICATIONS
}


class UnknownFormatError(ValueError):
    """A format name that is not in the registry; the message lists the valid names."""

    def __init__(self, name: str, kind: str = POSTS) -> None:
        self.name = name
        names = [n for k, n in REGISTRY if k == kind]
        super().__init__(f"unknown format {name!r}; choose one of: {', '.join(names)}")


def get_format(name: str, kind: str = POSTS) -> SourceFormat:
    """The ``kind`` format called ``name`` (case and surrounding spaces ignored)."""
    fmt = REGISTRY.get((kind, name.strip().lower()))
    if fmt is None:
        raise UnknownFormatError(name, kind)
    return fmt
