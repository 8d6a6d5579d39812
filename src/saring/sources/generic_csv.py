"""``generic-csv``: Saring's generic schema as CSV (see :mod:`generic_schema` for the fields).

Delimiter , ; or tab (sniffed from the header). Each line is decoded as UTF-8, else cp1252,
else latin-1 (UTF-16 too), so spreadsheets saved on Indonesian Windows machines import as they
are. A row's payload is the JSON object column -> value with the file's own column names, so a
quarantined row can be edited and re-parsed without the file. A row that is broken (a quote
never closed, cells past the header, the cut-off last row of a truncated file, a line the csv
module cannot read) carries a ``__…__`` key saying so: its parse fails with the reason until
someone fixes the row and removes the key.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._io import CsvRow, check_file, iter_csv_rows, read_csv_header
from ._values import json_dumps, load_json
from .detect import mismatch_hint, refuse_other_format
from .generic_schema import alias_hint, build_record, missing_required
from .records import PostRecord, RawItem, RecordError, SourceError

OVERFLOW_KEY = "__extra_cells__"  # cells past the header: the row is shifted, quarantine it
UNCLOSED_KEY = "__unclosed_quote__"  # a quote opened on this line is never closed
TRUNCATED_KEY = "__truncated_row__"  # the file stops in the middle of this (last) row
UNREADABLE_KEY = "__unreadable__"  # why the csv module could not read the line
LINE_KEY = "__line__"  # that line as it is in the file


def csv_items(path: Path, name: str, required: Any) -> Iterator[RawItem]:
    """RawItems for each CSV row after ``required(header)`` has vetted the columns."""
    check_file(path)
    refuse_other_format(path, name)
    head = read_csv_header(path)
    required(head.names)
    for row in iter_csv_rows(path):
        values = row_values(row, head.names, head.delimiter)
        yield RawItem(
            location=f"row {row.number}",
            line=row.line,
            payload=json_dumps(values),
            offset=row.offset,
        )


def row_values(row: CsvRow, header: list[str], delimiter: str) -> dict[str, Any]:
    """The payload object of a row, with the key that says what is wrong with it, if anything."""
    if row.unclosed_quote and row.raw:
        cells = next(csv.reader([row.raw], delimiter=delimiter), [])
        values: dict[str, Any] = dict(zip(header, cells, strict=False))
        return {**values, UNCLOSED_KEY: row.line}
    if row.unclosed_quote:
        return {**row.values, UNCLOSED_KEY: row.line}
    if row.broken:
        return {UNREADABLE_KEY: row.broken, LINE_KEY: row.raw}
    values = row.values
    if row.overflow:  # even empty: a shifted row often ends in empty cells
        values = {**values, OVERFLOW_KEY: row.overflow}
    if row.truncated:
        values = {**values, TRUNCATED_KEY: row.line}
    return values


def row_object(payload: str) -> dict[str, Any]:
    """The row dict from a payload; a row with more cells than the header is refused."""
    obj = load_json(payload)
    if not isinstance(obj, dict):
        raise RecordError(f"expected a JSON object of column to value, got {type(obj).__name__}")
    overflow = obj.get(OVERFLOW_KEY)
    if overflow:
        raise RecordError(
            f"row has {len(overflow)} more cell(s) than the header ({str(overflow)[:80]}); "
            "a delimiter inside an unquoted value usually shifts the columns"
        )
    if obj.get(UNCLOSED_KEY):
        raise RecordError(
            f"a quote opened in the row on line {obj[UNCLOSED_KEY]} is never closed (the lines "
            "after it were read as rows of their own); close the quote, remove the "
            f"{UNCLOSED_KEY} key and retry",
            code="unclosed_quote",
            line=obj[UNCLOSED_KEY],
        )
    if obj.get(TRUNCATED_KEY):
        line = obj[TRUNCATED_KEY]
        raise RecordError(
            f"the file stops in the middle of this row (line {line}, no line break after it): "
            "the export was probably cut off; complete the row from the source, remove the "
            f"{TRUNCATED_KEY} key and retry",
            code="truncated_row",
            line=line,
        )
    if obj.get(UNREADABLE_KEY):
        raise RecordError(
            f"{obj[UNREADABLE_KEY]}; write the row as a JSON object of column to value and retry",
            code="unreadable_line",
            detail=str(obj[UNREADABLE_KEY]),
        )
    return obj


class GenericCsv:
    name = "generic-csv"
    kind = "posts"
    label = "Saring generic schema (CSV)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        path = Path(path)

        def required(header: list[str]) -> None:
            missing = missing_required(tuple(header))
            if missing:
                column = missing[0]
                raise SourceError(
                    str(path),
                    f"missing required column '{column}'{alias_hint(column)}; "
                    f"columns found: {', '.join(header)}{mismatch_hint(path, self.name)}",
                )

        yield from csv_items(path, self.name, required)

    def parse(self, payload: str) -> list[PostRecord]:
        return [build_record(row_object(payload))]


FORMAT = GenericCsv()
