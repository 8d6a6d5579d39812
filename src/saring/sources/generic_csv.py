"""``generic-csv``: Saring's generic schema as CSV (see :mod:`generic_schema` for the fields).

Delimiter , ; or tab (sniffed from the header). Each line is decoded as UTF-8, else cp1252,
else latin-1, so spreadsheets saved on Indonesian Windows machines import as they are. A row's
payload is the JSON object column -> value with the file's own column names, so a quarantined
row can be edited and re-parsed without the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._io import check_file, iter_csv_rows, read_csv_header
from ._values import json_dumps, load_json
from .detect import mismatch_hint, refuse_other_format
from .generic_schema import alias_hint, build_record, missing_required
from .records import PostRecord, RawItem, RecordError, SourceError

OVERFLOW_KEY = "__extra_cells__"  # cells past the header: the row is shifted, quarantine it
UNCLOSED_KEY = "__unclosed_quote__"  # the row swallowed the lines after an unclosed quote


def csv_items(path: Path, name: str, required: Any) -> Iterator[RawItem]:
    """RawItems for each CSV row after ``required(header)`` has vetted the columns."""
    check_file(path)
    refuse_other_format(path, name)
    required(read_csv_header(path).names)
    for row in iter_csv_rows(path):
        values: dict[str, Any] = row.values
        if row.overflow:  # even empty: a shifted row often ends in empty cells
            values = {**values, OVERFLOW_KEY: row.overflow}
        if row.unclosed_quote:
            values = {**values, UNCLOSED_KEY: row.line}
        yield RawItem(
            location=f"row {row.number}",
            line=row.line,
            payload=json_dumps(values),
            offset=row.offset,
        )


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
            f"a quote opened in the row starting on line {obj[UNCLOSED_KEY]} is never closed, "
            "so the row swallowed the lines after it; close the quote and retry"
        )
    return obj


class GenericCsv:
    name = "generic-csv"
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
