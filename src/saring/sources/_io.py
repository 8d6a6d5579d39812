"""Streaming readers shared by the formats: file checks, decoded lines, CSV rows.

All readers hold one line (or one CSV row) at a time, so memory does not grow with the file.
Bytes become text by the rule of :mod:`._text` (UTF-16 with or without a byte-order mark; UTF-8
with cp1252/latin-1 for what is not UTF-8; NUL dropped). A CSV row that cannot be read (a quote
never closed, a line the csv module refuses, a line past ``MAX_LINE_BYTES``) is handed on as a
broken row, and reading goes on from the line after it: one bad row never drops its neighbours.
"""

from __future__ import annotations

import codecs
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ._text import decode_bytes, is_utf16, sniff_encoding, text_stream
from .records import SourceError

HEAD_BYTES = 64 * 1024
# a 10 MB text field must pass; an unclosed quote must not swallow the whole file into RAM
CSV_FIELD_LIMIT = 64 * 1024 * 1024
MAX_LINE_BYTES = 64 * 1024 * 1024  # a longer line is kept as its first KEPT_OF_LONG_LINE
KEPT_OF_LONG_LINE = 1024 * 1024
_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_BINARY_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook?); export the sheet as CSV",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook; export the sheet as CSV",
    b"\x1f\x8b": "a gzip archive; decompress it first",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
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


def raw_head(path: Path, size: int = 8) -> bytes:
    """The first ``size`` bytes as they are on disk (for recognising binary containers)."""
    with path.open("rb") as handle:
        return handle.read(size)


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes as UTF-8 text: decoded, NUL dropped, leading whitespace and
    byte-order mark removed (what detection and the JSON readers look at)."""
    with path.open("rb") as handle:
        raw = handle.read(max(2 * size + 2, 4096))  # enough to tell UTF-16, and to strip
    codec, bom = sniff_encoding(raw)
    if is_utf16(codec):
        raw = raw[bom:]
        head = decode_bytes(raw[: len(raw) - len(raw) % 2], codec).encode("utf-8")
    else:
        head = raw.removeprefix(_BOM).replace(b"\x00", b"")
    return head.lstrip()[:size]


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

    UTF-16 files (with or without a byte-order mark) are decoded as a stream; anything else line
    by line with :func:`decode_line`. NUL characters are dropped. A file whose only line breaks
    are carriage returns (old Mac exports) is split on them. A line over ``MAX_LINE_BYTES`` is
    yielded as its first ``KEPT_OF_LONG_LINE`` bytes with ``overlong`` set to its full length;
    ``ended`` says whether the line had a line break (the last line of a cut file has none).
    """

    path: Path
    line_no: int = 0
    offset: int = 0
    overlong: int = 0
    ended: bool = True
    codec: str = field(default="", init=False)

    def __iter__(self) -> Iterator[str]:
        with self.path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
            self.codec, bom = sniff_encoding(head)
            handle.seek(bom)
            self.offset = bom
            if is_utf16(self.codec):
                yield from self._text_lines(handle)
                return
            carriage = b"\r" in head and b"\n" not in head
            raw_lines = _cr_lines(handle) if carriage else _lf_lines(handle)
            for raw, length in raw_lines:
                self.line_no += 1
                self.offset += length
                self.overlong = length if length > len(raw) else 0
                self.ended = raw.endswith(b"\r" if carriage else b"\n") or self.overlong > 0
                if b"\x00" in raw:
                    raw = raw.replace(b"\x00", b"")
                yield decode_line(raw)

    def _text_lines(self, handle) -> Iterator[str]:
        text = text_stream(handle, self.codec)
        chars = MAX_LINE_BYTES // 2
        while line := text.readline(chars + 1):
            length = len(line)
            if length > chars and not line.endswith("\n"):
                while (rest := text.readline(chars)) and not rest.endswith("\n"):
                    length += len(rest)
                length += len(rest)
                line = line[: KEPT_OF_LONG_LINE // 2]
            self.line_no += 1
            self.offset = handle.tell()
            self.overlong = 2 * length if length > chars else 0
            self.ended = line.endswith(("\n", "\r")) or self.overlong > 0
            yield line.replace("\x00", "") if "\x00" in line else line


def _lf_lines(handle) -> Iterator[tuple[bytes, int]]:
    """(line, its full length in bytes); an over-long line is cut to KEPT_OF_LONG_LINE."""
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            length = len(raw)
            while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                length += len(rest)
            yield raw[:KEPT_OF_LONG_LINE], length + len(rest)
            continue
        yield raw, len(raw)


def _cr_lines(handle) -> Iterator[tuple[bytes, int]]:
    """Lines ended by a carriage return alone; an over-long one is cut like in _lf_lines."""
    pending, long_head, long_length = b"", None, 0
    while chunk := handle.read(HEAD_BYTES):
        pending += chunk
        *lines, pending = pending.split(b"\r")
        for line in lines:
            if long_head is not None:
                yield long_head, long_length + len(line) + 1
                long_head, long_length = None, 0
            else:
                yield line + b"\r", len(line) + 1
        if len(pending) > MAX_LINE_BYTES:
            long_head = pending[:KEPT_OF_LONG_LINE] if long_head is None else long_head
            long_length, pending = long_length + len(pending), b""
    if long_head is not None:
        yield long_head, long_length + len(pending)
    elif pending:
        yield pending, len(pending)


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
    unclosed_quote: bool = False  # a quote opened on ``line`` is never closed (``raw``: the
    # line alone, the lines after it read again; else the row took them in)
    truncated: bool = False  # the last row of a file that stops in the middle of it
    broken: str = ""  # why the row could not be read at all (its raw line is in ``raw``)
    raw: str = ""


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
    kind = binary_kind(raw_head(path))
    if kind:
        raise SourceError(str(path), f"this is {kind}, not a CSV file")
    _raise_field_limit()
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
        try:
            cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
        except csv.Error as err:
            raise SourceError(
                str(path), f"the header line cannot be read ({err})", line=1
            ) from None
        return CsvHeader(unique_header(cells), delimiter, reader.line_no)
    raise SourceError(str(path), "no header line")


@dataclass(slots=True)
class _Line:
    number: int
    offset: int
    text: str
    overlong: int
    ended: bool


class _Feed:
    """The lines csv.reader pulls, remembering those of the current row and taking lines back
    (so the lines a broken row swallowed are read again as rows of their own)."""

    def __init__(self, lines: LineReader) -> None:
        self._lines = lines
        self._source = iter(lines)
        self._back: list[_Line] = []
        self.taken: list[_Line] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self._back.pop() if self._back else self._next_from_source()
        self.taken.append(line)
        return line.text

    def mark(self) -> None:
        self.taken = []

    def give_back(self, lines: list[_Line]) -> None:
        self._back.extend(reversed(lines))

    def exhausted(self) -> bool:
        if self._back:
            return False
        try:
            self._back.append(self._next_from_source())
        except StopIteration:
            return True
        return False

    def _next_from_source(self) -> _Line:
        text = next(self._source)
        lines = self._lines
        return _Line(lines.line_no, lines.offset, text, lines.overlong, lines.ended)


def iter_csv_rows(path: Path) -> Iterator[CsvRow]:
    """Rows as dicts keyed by the header; blank rows skipped; broken rows flagged, not fatal."""
    _raise_field_limit()
    head = read_csv_header(path)
    header = head.names
    feed = _Feed(LineReader(path))
    reader = csv.reader(feed, delimiter=head.delimiter)
    for _ in range(head.line):  # up to and including the header, read above
        next(feed, None)
    number = 0
    while True:
        feed.mark()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            if not feed.taken:  # nothing was read: nothing to report, nothing to skip
                return
            number += 1
            yield _broken(feed, number, f"the csv module cannot read this line ({err})")
            continue
        taken = feed.taken
        if not taken or not cells or not any(cell.strip() for cell in cells):
            continue
        number += 1
        first, last = taken[0], taken[-1]
        if any(line.overlong for line in taken):
            size = max(line.overlong for line in taken)
            yield _broken(feed, number, f"the line is {size:,} bytes long, over the limit")
            continue
        short = len(cells) < len(header)
        # A quote never closed takes in the lines after it, up to the next quote: the row then
        # has the wrong width, or a stray quote inside the cell that ran over lines. When the
        # next line is, on its own, a whole row, it was a row: read it again.
        odd = len(taken) > 1 and any(
            "\n" in cell and (len(cells) != len(header) or '"' in cell) for cell in cells
        )
        if odd and _looks_like_row(taken[1].text, head.delimiter, len(header)):
            # a quote opened and never closed swallowed the rows after it: read them again
            yield _broken(feed, number, "", unclosed=True)
            continue
        values = dict(zip(header, cells, strict=False))
        for name in header[len(cells) :]:
            values[name] = ""
        truncated = short and not last.ended and feed.exhausted()
        yield CsvRow(
            number,
            first.number,
            last.offset,
            values,
            cells[len(header) :],
            unclosed_quote=len(taken) > 1 and short and "\n" in cells[-1],
            truncated=truncated,
        )


def _looks_like_row(line: str, delimiter: str, width: int) -> bool:
    """Whether a line read on its own is a complete row of the header's width."""
    try:
        cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return False
    return len(cells) == width


def _broken(feed: _Feed, number: int, why: str, *, unclosed: bool = False) -> CsvRow:
    """The row's first physical line on its own; the lines after it are read again."""
    first, *rest = feed.taken
    feed.give_back(rest)
    return CsvRow(
        number,
        first.number,
        first.offset,
        {},
        [],
        unclosed_quote=unclosed,
        broken=why,
        raw=first.text.rstrip("\r\n"),
    )
