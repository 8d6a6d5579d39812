"""Streaming reader for API-response files: one response, an array of responses, or NDJSON.

Research teams save paginated API responses in all three shapes (and concatenate pages), so
the JSON formats (TikTok Research API, YouTube Data API) share this reader. A single response
is streamed with ijson down to its item list, so a 1 GB file holds one item at a time.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from ._io import LineReader, check_file, read_head
from ._values import _JSON_ERRORS, dig, json_dumps, json_loads, text_value
from .detect import refuse_other_format
from .records import RawItem, RecordError, SourceError

CHUNK = 64 * 1024
LINE_CAP = 64 * 1024 * 1024  # no newline in the first 64 MB: one big document, not NDJSON


@dataclass(slots=True)
class Unit:
    """One thing found in the file.

    kind "container": a whole response (NDJSON line or array element), to be exploded;
    "item": an element of the response's item list, streamed out of a single document;
    "meta": a small top-level object of a single document (e.g. ``error``);
    "bad": text that is not JSON (``raw``), with the parser's complaint in ``error``.
    """

    kind: str
    location: str
    line: int | None
    offset: int
    obj: Any = None
    raw: str = ""
    error: str = ""


def iter_units(
    path: Path, item_prefix: str, item_name: str, meta_prefix: str | None = None
) -> Iterator[Unit]:
    """Units of ``path`` in file order; see :class:`Unit`."""
    head = read_head(path, 1)
    if head == b"[":
        yield from _stream(path, [("item", "container")], "")
    elif head == b"{" and not _is_ndjson(path):
        prefixes = [(item_prefix, "item")] + ([(meta_prefix, "meta")] if meta_prefix else [])
        yield from _stream(path, prefixes, item_name)
    elif head == b"{":
        yield from _ndjson(path)
    else:
        shown = read_head(path, 40).decode("utf-8", "replace")
        raise SourceError(str(path), f"not JSON: the file starts with {shown!r}")


def _is_ndjson(path: Path) -> bool:
    """True when a second JSON object starts on a later line (one response per line).

    Nothing is parsed here: a one-line document is streamed like a pretty-printed one, so a
    single 1 GB line never lands in memory as Python objects.
    """
    scanned = 0
    with path.open("rb") as handle:
        while scanned < LINE_CAP:
            chunk = handle.read(CHUNK)
            if not chunk:
                return False
            newline = chunk.find(b"\n")
            scanned += len(chunk)
            if newline >= 0:
                rest = chunk[newline:].lstrip()
                while not rest:
                    more = handle.read(CHUNK)
                    if not more:
                        return False
                    rest = more.lstrip()
                return rest[:1] == b"{"
    return False


def _ndjson(path: Path) -> Iterator[Unit]:
    lines = LineReader(path)
    for text in lines:
        stripped = text.strip()
        if not stripped:
            continue
        location = f"line {lines.line_no}"
        try:
            obj = json_loads(stripped)
        except _JSON_ERRORS as err:
            yield Unit("bad", location, lines.line_no, lines.offset, raw=stripped, error=str(err))
            continue
        yield Unit("container", location, lines.line_no, lines.offset, obj=obj, raw=stripped)


def _stream(path: Path, prefixes: list[tuple[str, str]], name: str) -> Iterator[Unit]:
    sinks = [(ijson.sendable_list(), kind) for _, kind in prefixes]
    coros = [
        ijson.items_coro(sink, prefix, use_float=True)
        for (sink, _), (prefix, _) in zip(sinks, prefixes, strict=True)
    ]
    counters = {"item": 0, "container": 0, "meta": 0}
    offset = 0
    last = b""  # the chunk the parser choked on, quoted in the quarantine
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(CHUNK):
                if offset == 0:
                    chunk = chunk.removeprefix(codecs.BOM_UTF8)
                offset += len(chunk)
                last = chunk
                for coro in coros:
                    coro.send(chunk)
                yield from _drain(sinks, counters, name, offset)
            for coro in coros:
                coro.close()
            yield from _drain(sinks, counters, name, offset)
        except ijson.JSONError as err:
            yield from _drain(sinks, counters, name, offset)
            # the payload must stay unparseable so a retry reports the same problem
            message = str(err).splitlines()[0] if str(err) else "truncated"
            tail = last[-300:].decode("utf-8", "replace")
            done = counters["item"] + counters["container"]
            yield Unit(
                "bad",
                f"after {name}[{done - 1}]" if done else "start of file",
                None,
                offset,
                raw=f"<invalid JSON near byte {offset}: {message}> {tail}",
                error=message,
            )


def _drain(
    sinks: list[tuple[list[Any], str]], counters: dict[str, int], name: str, offset: int
) -> Iterator[Unit]:
    for sink, kind in sinks:
        for obj in sink:
            index = counters[kind]
            counters[kind] += 1
            location = f"{name}[{index}]" if kind != "meta" else "meta"
            yield Unit(kind, location, None, offset, obj=obj)
        del sink[:]


def top_level_keys(head: bytes) -> list[str]:
    """Keys of the top-level object visible in ``head`` (a prefix of a JSON document)."""
    keys: list[str] = []
    try:
        for prefix, event, value in ijson.parse(head):
            if event == "map_key" and prefix == "":
                keys.append(value)
    except ijson.JSONError:
        pass
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


def api_items(
    path: Path,
    fmt: str,
    list_path: tuple[str, ...],
    item_name: str,
    meta_prefix: str | None = "error",
) -> Iterator[RawItem]:
    """RawItems for every element of ``list_path`` in every response of an API-response file.

    Items carry their own JSON as payload. A response that reports an API error yields an
    item whose parse explains the error; a file that is nothing but an error, or whose top
    level has no ``list_path``, is a SourceError.
    """
    check_file(path)
    refuse_other_format(path, fmt)
    produced = 0
    errors: list[Unit] = []
    for unit in iter_units(path, ".".join(list_path) + ".item", item_name, meta_prefix):
        if unit.kind == "meta":
            if api_error({"error": unit.obj}):
                errors.append(unit)
            continue
        for item in (
            _explode(unit, list_path, item_name)
            if unit.kind == "container"
            else [RawItem(unit.location, unit.line, unit.raw or json_dumps(unit.obj), unit.offset)]
        ):
            produced += 1
            yield item
    for unit in errors:
        message = api_error({"error": unit.obj})
        if not produced:
            raise SourceError(str(path), f"the file is an API error response ({message})")
        yield RawItem("error", None, json_dumps({"error": unit.obj}), unit.offset)
    if not produced:
        keys = top_level_keys(read_head(path))
        if keys and list_path[0] not in keys:
            raise SourceError(
                str(path),
                f"no '{'.'.join(list_path)}' list found; top-level keys: {', '.join(keys[:20])}",
            )


def _explode(unit: Unit, list_path: tuple[str, ...], item_name: str) -> Iterator[RawItem]:
    obj = unit.obj
    sep = ", " if unit.line is not None else "."
    items = dig(obj, *list_path) if isinstance(obj, dict) else obj
    if not isinstance(items, list):  # a bare item, or a response without items: parse decides
        yield RawItem(unit.location, unit.line, unit.raw or json_dumps(obj), unit.offset)
        return
    prefix = f"{unit.location}{sep}{item_name}" if isinstance(obj, dict) else unit.location
    for index, item in enumerate(items):
        yield RawItem(f"{prefix}[{index}]", unit.line, json_dumps(item), unit.offset)
    if isinstance(obj, dict) and api_error(obj):
        yield RawItem(
            f"{unit.location}{sep}error",
            unit.line,
            json_dumps({"error": obj["error"]}),
            unit.offset,
        )


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
