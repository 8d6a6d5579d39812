"""The input formats by CLI name, and the file checks every import starts with.

Ingestion does::

    check_file(path)
    fmt = get_format(name)
    for item in fmt.iter_items(path):
        try:
            records = fmt.parse(item.payload)
        except RecordError as err:
            quarantine(item.location, item.payload, err.field, err.message)

``parse`` needs nothing but the payload, so a quarantined item can be edited and retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from . import generic_csv, generic_jsonl, meta_cl, tiktok_research, youtube, zeeschuimer
from ._io import check_file
from .detect import detect_format
from .records import PostRecord, RawItem

__all__ = [
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
    label: str  # human label

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        """Stream ``path`` in constant memory; SourceError for whole-file problems."""
        ...

    def parse(self, payload: str) -> list[PostRecord]:
        """Records from one payload (possibly several, possibly none); RecordError if bad."""
        ...


FORMATS: dict[str, SourceFormat] = {
    fmt.name: fmt
    for fmt in (
        zeeschuimer.FORMAT,
        tiktok_research.FORMAT,
        meta_cl.FORMAT,
        youtube.FORMAT,
        generic_csv.FORMAT,
        generic_jsonl.FORMAT,
    )
}


class UnknownFormatError(ValueError):
    """A format name that is not in ``FORMATS``; the message lists the valid names."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}")


def get_format(name: str) -> SourceFormat:
    """The format called ``name`` (case and surrounding spaces ignored)."""
    fmt = FORMATS.get(name.strip().lower())
    if fmt is None:
        raise UnknownFormatError(name)
    return fmt
