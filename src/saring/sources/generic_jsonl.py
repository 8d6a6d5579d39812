"""``generic-jsonl``: Saring's generic schema as JSON lines, one object per line.

The fields are those of :mod:`generic_schema`. Each line is a RawItem whose payload is the
line itself; a line that is not JSON is quarantined and the next line goes on. A line holding
a JSON array of objects yields one record per object, and a file that is a single JSON array
is streamed element by element.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ._io import LineReader, check_file, read_head
from ._jsondoc import array_items, overlong_item
from ._values import load_json
from .detect import refuse_other_format
from .generic_schema import build_record
from .records import PostRecord, RawItem, RecordError, SourceError


def iter_json_lines(path: Path, name: str, arrays: bool = False) -> Iterator[RawItem]:
    """Each non-blank line as a RawItem; SourceError when line 1 is plainly not JSON.

    With ``arrays``, a file that is one JSON array (pandas ``to_json(orient="records")``) is
    streamed element by element instead, located "[17]".
    """
    check_file(path)
    refuse_other_format(path, name)
    if arrays and read_head(path, 1) == b"[":
        yield from array_items(path)
        return
    lines = LineReader(path)
    first = True
    for text in lines:
        payload = text.strip()
        if not payload:
            continue
        if lines.overlong:
            first = False
            yield overlong_item(
                f"line {lines.line_no}", lines.line_no, lines.offset, payload, lines.overlong
            )
            continue
        if first and payload[0] not in "{[":
            raise SourceError(
                str(path),
                f"not JSON lines: line {lines.line_no} starts with {payload[:40]!r}",
                line=lines.line_no,
            )
        first = False
        yield RawItem(
            location=f"line {lines.line_no}",
            line=lines.line_no,
            payload=payload,
            offset=lines.offset,
        )


class GenericJsonl:
    name = "generic-jsonl"
    kind = "posts"
    label = "Saring generic schema (JSON lines)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        return iter_json_lines(Path(path), self.name, arrays=True)

    def parse(self, payload: str) -> list[PostRecord]:
        obj = load_json(payload)
        if isinstance(obj, dict):
            return [build_record(obj)]
        if isinstance(obj, list) and all(isinstance(item, dict) for item in obj):
            return [build_record(item) for item in obj]
        raise RecordError(f"expected a JSON object, got {type(obj).__name__}")


FORMAT = GenericJsonl()
