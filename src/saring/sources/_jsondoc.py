"""Streaming reader for API-response files: one response, an array of responses, or NDJSON.

Research teams save paginated API responses in all three shapes (and concatenate pages), so
the JSON formats (TikTok Research API, YouTube Data API) share this reader. The file is decoded
like every other format (:mod:`._text`: UTF-16 with or without byte-order mark, cp1252/latin-1
for bytes that are not UTF-8, NUL dropped) and split by :mod:`._jsonsplit` into the raw text of
each item, which is the item's payload: one item is parsed at a time, a broken item is
quarantined on its own, and a 1 GB single response holds one item in memory.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ._io import MAX_LINE_BYTES, LineReader, check_file, read_head
from ._jsonsplit import CHUNK, NOT_JSON, Piece, Splitter, string_key, string_reader
from ._text import TextSource
from ._values import _JSON_ERRORS, dig, json_dumps, json_loads, text_value
from .detect import refuse_other_format
from .records import RawItem, RecordError, SourceError

LINE_CAP = MAX_LINE_BYTES  # no newline in the first 64 MB: one big document, not NDJSON
_KEY_SCAN = 64 * 1024
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]')


def bad_item(location: str, line: int | None, offset: int, piece: Piece) -> RawItem:
    """A piece the splitter could not place, as a RawItem that is known to be bad."""
    what = piece.error or "not valid JSON"
    if piece.size:
        what = (
            f"the item is {piece.size:,} characters long (over the limit); only its start is kept"
        )
    error = RecordError(f"invalid JSON: {what}", "", code="invalid_json", detail=what)
    return RawItem(location, line, piece.text, offset, error=error)


def _is_ndjson(path: Path) -> bool:
    """True when a second JSON object starts on a later line (one response per line).

    Nothing is parsed here: a one-line document is streamed like a pretty-printed one, so a
    single 1 GB line never lands in memory as Python objects.
    """
    source = TextSource(path)
    try:
        scanned = 0
        while scanned < LINE_CAP:
            chunk = source.read(CHUNK)
            if not chunk:
                return False
            scanned += len(chunk)
            newline = chunk.find("\n")
            if newline >= 0:
                rest = chunk[newline:].lstrip()
                while not rest:
                    more = source.read(CHUNK)
                    if not more:
                        return False
                    rest = more.lstrip()
                return rest[:1] == "{"
        return False
    finally:
        source.close()


def top_level_keys(head: bytes) -> list[str]:
    """Keys of the top-level object visible in ``head`` (a prefix of a JSON document)."""
    keys: list[str] = []
    stack: list[str] = []
    expect = False
    for match in _TOKENS.finditer(head[:_KEY_SCAN].decode("utf-8", "replace")):
        part = match.group()
        if part in ("{", "["):
            stack.append(part)
            expect = stack == ["{"]
        elif part in ("}", "]"):
            if stack:
                stack.pop()
        elif part == ",":
            expect = stack == ["{"]
        elif part == ":":
            expect = False
        elif expect:
            key = string_key(part)
            if key is not None:
                keys.append(key)
            expect = False
    return keys


def api_error(response: dict[str, Any]) -> str:
    """'code: message' when a response carries a non-ok ``error`` object, else ''."""
    error = response.get("error")
    if not isinstance(error, dict):
        return ""
    code = error.get("code")
    if code in (None, "", "ok", 0):
        return ""
    return f"{text_value(code)}: {text_value(error.get('message'))[:200]}"


def _meta_error(piece: Piece) -> tuple[str, Any]:
    try:
        value = json_loads(piece.text)
    except _JSON_ERRORS:
        return "", None
    return api_error({"error": value}), value


def api_items(
    path: Path,
    fmt: str,
    list_path: tuple[str, ...],
    item_name: str,
    meta_prefix: str | None = "error",
) -> Iterator[RawItem]:
    """RawItems for every element of ``list_path`` in every response of an API-response file.

    Items carry their own JSON text as payload. A response that reports an API error yields an
    item whose parse explains the error; a file that is nothing but an error, or whose top
    level has no ``list_path``, is a SourceError.
    """
    check_file(path)
    refuse_other_format(path, fmt)
    head = read_head(path, 1)
    if head == b"[":
        yield from _array_of_responses(path, list_path, item_name)
    elif head == b"{" and not _is_ndjson(path):
        yield from _single_response(path, list_path, item_name, meta_prefix)
    elif head == b"{":
        yield from _ndjson(path, list_path, item_name)
    else:
        shown = read_head(path, 40).decode("utf-8", "replace")
        raise SourceError(str(path), f"not JSON: the file starts with {shown!r}")


def _single_response(
    path: Path, list_path: tuple[str, ...], item_name: str, meta_prefix: str | None
) -> Iterator[RawItem]:
    source = TextSource(path)
    meta = (meta_prefix,) if meta_prefix else ()
    splitter = Splitter(source.read, list_path, meta)
    produced = 0
    errors: list[tuple[Piece, Any, int]] = []
    try:
        for piece in splitter:
            doc = f"document {piece.document + 1}, " if piece.document else ""
            if piece.kind == "meta":
                message, value = _meta_error(piece)
                if message:
                    errors.append((piece, value, source.offset))
                continue
            if piece.kind == "item" and not piece.size:
                produced += 1
                location = f"{doc}{item_name}[{piece.index}]"
                yield RawItem(location, None, piece.text, source.offset)
                continue
            if piece.kind == "item":
                location = f"{doc}{item_name}[{piece.index}]"
            elif piece.error == NOT_JSON and piece.document:
                location = "after the JSON document"
            elif piece.index:
                location = f"{doc}after {item_name}[{piece.index - 1}]"
            else:
                location = f"{doc}start of file" if not doc else doc.rstrip(", ")
            produced += 1
            yield bad_item(location, None, source.offset, piece)
    finally:
        source.close()
    for _piece, value, offset in errors:
        if not produced:
            message = api_error({"error": value})
            raise SourceError(str(path), f"the file is an API error response ({message})")
        yield RawItem("error", None, json_dumps({"error": value}), offset)
    if not produced and not splitter.found:
        keys = top_level_keys(read_head(path))
        if keys and list_path[0] not in keys:
            raise SourceError(
                str(path),
                f"no '{'.'.join(list_path)}' list found; top-level keys: {', '.join(keys[:20])}",
            )


def _array_of_responses(
    path: Path, list_path: tuple[str, ...], item_name: str
) -> Iterator[RawItem]:
    source = TextSource(path)
    try:
        for piece in Splitter(source.read, ()):
            if piece.kind == "item" and not piece.size:
                yield from explode(
                    piece.text, f"[{piece.index}]", None, source.offset, list_path, item_name
                )
            else:
                yield bad_item(_where(piece), None, source.offset, piece)
    finally:
        source.close()


def _where(piece: Piece) -> str:
    if piece.kind == "item":
        return f"[{piece.index}]"
    return f"after [{piece.index - 1}]" if piece.index else "start of file"


def array_items(path: Path) -> Iterator[RawItem]:
    """A file that is one JSON array: each element is an item, located "[17]"."""
    source = TextSource(path)
    try:
        for piece in Splitter(source.read, ()):
            if piece.kind == "item" and not piece.size:
                yield RawItem(f"[{piece.index}]", None, piece.text, source.offset)
            else:
                yield bad_item(_where(piece), None, source.offset, piece)
    finally:
        source.close()


def _ndjson(path: Path, list_path: tuple[str, ...], item_name: str) -> Iterator[RawItem]:
    lines = LineReader(path)
    for text in lines:
        stripped = text.strip()
        if not stripped:
            continue
        location = f"line {lines.line_no}"
        if lines.overlong:
            yield overlong_item(location, lines.line_no, lines.offset, stripped, lines.overlong)
            continue
        yield from explode(stripped, location, lines.line_no, lines.offset, list_path, item_name)


def overlong_item(location: str, line: int, offset: int, head: str, size: int) -> RawItem:
    message = (
        f"the line is {size:,} bytes long, over the {MAX_LINE_BYTES // 2**20} MB limit; "
        "only its first megabyte is kept"
    )
    return RawItem(location, line, head, offset, error=RecordError(message, "", code="overlong"))


def explode(
    text: str,
    location: str,
    line: int | None,
    offset: int,
    list_path: tuple[str, ...],
    item_name: str,
) -> Iterator[RawItem]:
    """The items of one response held in memory (an NDJSON line, an array element).

    A response's items are located "line 3, videos[17]" / "[2].videos[17]"; an object without
    the list (a bare item, an error response) is one item, for parse to decide; a list is
    exploded element by element ("line 3[0]").
    """
    sep = ", " if line is not None else "."
    splitter = Splitter(string_reader(text), list_path, ("error",))
    pieces = list(splitter)
    if not splitter.found:
        if splitter.roots[:1] == ["["]:
            pieces = list(Splitter(string_reader(text), ()))
            for piece in pieces:
                where = f"{location}{_where(piece)}"
                if piece.kind == "item" and not piece.size:
                    yield RawItem(where, line, piece.text, offset)
                else:
                    yield bad_item(where, line, offset, piece)
            return
        # a bare item, an error response, or text that is not JSON: one item, for parse (or
        # its invalid JSON) to decide, with the whole text as its payload
        yield RawItem(location, line, text, offset)
        return
    count = 0
    for piece in pieces:
        if piece.kind == "meta":
            message, value = _meta_error(piece)
            if message:
                yield RawItem(f"{location}{sep}error", line, json_dumps({"error": value}), offset)
            continue
        where = f"{location}{sep}{item_name}[{piece.index}]"
        if piece.kind == "item" and not piece.size:
            count += 1
            yield RawItem(where, line, piece.text, offset)
            continue
        if piece.kind == "rest" and not count:  # nothing of it could be read: all of it
            yield bad_item(location, line, offset, Piece("rest", text, error=piece.error))
            continue
        if piece.kind == "rest":
            where = f"{location}{sep}after {item_name}[{piece.index - 1}]"
        yield bad_item(where, line, offset, piece)


def response_objects(
    obj: Any, list_path: tuple[str, ...], is_response: Callable[[dict[str, Any]], bool]
) -> list[Any]:
    """The items inside a payload that may be an item, a response, or a list of either."""
    if isinstance(obj, list):
        return [
            item for element in obj for item in response_objects(element, list_path, is_response)
        ]
    if isinstance(obj, dict) and is_response(obj):
        items = dig(obj, *list_path)
        if isinstance(items, list):
            return items
        message = api_error(obj)
        if message:
            raise RecordError(f"the API returned an error instead of data ({message})", "error")
        raise RecordError(f"response has no '{'.'.join(list_path)}' list", "")
    return [obj]
