"""Streaming readers shared by the formats: file checks, decoded lines, CSV rows.

All readers hold one line (or one CSV row) at a time, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .records import SourceError

HEAD_BYTES = 64 * 1024
# a 10 MB text field must pass; an unclosed quote must not swallow the whole file into RAM
CSV_FIELD_LIMIT = 64 * 1024 * 1024
_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BINARY_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook?); export the sheet as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook; export the sheet as CSV",
    b"\x1f\x8b": "a gzip archive; decompress it first",
    b"%PDF": "a PDF document",
}


def check_file(path: Path | str) -> None:
    """Raise ``SourceError`` unless ``path`` is a readable, non-empty regular file."""
    path = Path(path)
    name = str(path)
    if not path.exists():
        raise SourceError(name, "file not found")
    if path.is_dir():
        raise SourceError(name, "is a directory, not a file")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(HEAD_BYTES):
                if chunk.strip(b" \t\r\n\x00\x0b\x0c" + _BOM):
                    return
                if chunk.startswith(_UTF16_BOMS) and chunk.decode("utf-16", "replace").strip():
                    return
    except OSError as err:
        raise SourceError(name, f"cannot be read: {err.strerror or err}") from None
    raise SourceError(
        name, "file is empty" if path.stat().st_size == 0 else "file contains only whitespace"
    )


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes without a UTF-8 BOM and without leading whitespace."""
    with path.open("rb") as handle:
        head = handle.read(size)
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", "replace").encode("utf-8")
    return head.removeprefix(_BOM).lstrip()


def binary_kind(head: bytes) -> str | None:
    """A description when ``head`` is a known binary container rather than text."""
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return what
    return None


def decode_line(raw: bytes) -> str:
    """UTF-8, else cp1252, else latin-1: one bad line never fails a file."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


@dataclass(slots=True)
class LineReader:
    """Decoded lines of a file with running line number and byte offset.

    UTF-16 files (Excel's "Unicode text") are decoded as a stream; anything else line by line
    with :func:`decode_line`. NUL bytes are dropped: they break the csv module and JSON parsers.
    """

    path: Path
    line_no: int = 0
    offset: int = 0

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as handle:
            first = handle.read(2)
            handle.seek(0)
            if first in _UTF16_BOMS:
                text = io.TextIOWrapper(handle, encoding="utf-16", newline="")
                for line in text:
                    self.line_no += 1
                    self.offset = handle.tell()
                    yield line.replace("\x00", "")
                return
            for raw in handle:
                self.line_no += 1
                self.offset += len(raw)
                if self.line_no == 1:
                    raw = raw.removeprefix(_BOM)
                if b"\x00" in raw:
                    raw = raw.replace(b"\x00", b"")
                yield decode_line(raw)


def sniff_delimiter(header: str) -> str:
    """The most frequent of , ; and tab outside quotes in the header line (comma on a tie)."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def unique_header(cells: list[str]) -> list[str]:
    """Header cells stripped, blanks named ``column_N``, duplicates suffixed ``_2``, ``_3``."""
    seen: dict[str, int] = {}
    names = []
    for index, cell in enumerate(cells, 1):
        name = cell.strip().strip("\ufeff") or f"column_{index}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 1
        names.append(name)
    return names


@dataclass(slots=True)
class CsvRow:
    number: int  # 1-based data row (header excluded)
    line: int  # physical line where the row starts
    offset: int
    values: dict[str, str]
    overflow: list[str]  # cells beyond the header
    unclosed_quote: bool = False  # short row whose last cell ran over lines: a quote never closed


def _raise_field_limit() -> None:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(min(CSV_FIELD_LIMIT, sys.maxsize))


@dataclass(slots=True, frozen=True)
class CsvHeader:
    names: list[str]
    delimiter: str
    line: int  # physical line of the header


def read_csv_header(path: Path) -> CsvHeader:
    """The header, its delimiter and line; SourceError for binaries and header-less files.

    Excel's "sep=;" first line names the delimiter and is skipped.
    """
    kind = binary_kind(read_head(path, 8))
    if kind:
        raise SourceError(str(path), f"this is {kind}, not a CSV file")
    reader = LineReader(path)
    delimiter = ""
    for line in reader:
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.lower().startswith("sep=") and len(stripped) == 5 and not delimiter:
            delimiter = stripped[4]
            continue
        delimiter = delimiter or sniff_delimiter(line)
        cells = next(csv.reader([line], delimiter=delimiter), [])
        return CsvHeader(unique_header(cells), delimiter, reader.line_no)
    raise SourceError(str(path), "no header line")


def iter_csv_rows(path: Path) -> Iterator[CsvRow]:
    """Rows as dicts keyed by the header; blank rows skipped; a broken quote is a SourceError."""
    _raise_field_limit()
    head = read_csv_header(path)
    header = head.names
    lines = LineReader(path)
    reader = csv.reader(lines, delimiter=head.delimiter)
    try:
        while lines.line_no < head.line:  # up to and including the header, read above
            next(reader)
        number, last_line = 0, lines.line_no
        for cells in reader:
            start, last_line = last_line + 1, lines.line_no
            if not cells or not any(cell.strip() for cell in cells):
                continue
            number += 1
            values = dict(zip(header, cells, strict=False))
            for name in header[len(cells) :]:
                values[name] = ""
            unclosed = len(cells) < len(header) and "\n" in cells[-1]
            yield CsvRow(number, start, lines.offset, values, cells[len(header) :], unclosed)
    except csv.Error as err:
        raise SourceError(
            str(path),
            f"CSV cannot be read from here on ({err}); an unclosed quote "
            "usually starts shortly before this line",
            line=lines.line_no,
        ) from None
