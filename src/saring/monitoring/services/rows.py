"""Prepared multi-row writes for the ingest hot path.

Django's bulk_create/bulk_update compile SQL and prepare every value through field objects on
each call; at 3,000+ posts/s that bookkeeping cost more than the analysis itself (see
docs/decisions/0005). These helpers build one statement per model once and hand plain tuples to
the driver's executemany. Column types are converted with the backend's own adapters, so the
same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from django.db import connection, models

MAX_PARAMETERS = 30_000  # below PostgreSQL's 65,535 bind parameters per statement


def _sqlite_datetime(value: datetime) -> str:
    # What Django stores for an aware datetime on SQLite: naive UTC, ISO with a space.
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime if sqlite else None  # psycopg adapts aware datetimes itself
    if isinstance(field, models.JSONField):
        if sqlite:
            return lambda value: orjson.dumps(value).decode()
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class RowWriter:
    """INSERT (optionally ignoring unique conflicts) or UPDATE-by-id of named columns."""

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        ignore_conflicts: bool = False,
        update: bool = False,
    ) -> None:
        meta = model._meta
        self.fields = [meta.get_field(name) for name in fields]
        self.converters = [
            (i, c) for i, f in enumerate(self.fields) if (c := _converter(f)) is not None
        ]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        columns = [quote(f.column) for f in self.fields]
        self.table, self.columns, self.update = table, columns, update
        self.ignore_conflicts = ignore_conflicts
        if update:
            assignments = ", ".join(f"{c} = %s" for c in columns)
            # Identifiers come from model metadata and are quoted; values are always parameters.
            self.sql = f"UPDATE {table} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            self.sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
            if ignore_conflicts:
                self.sql += " ON CONFLICT DO NOTHING"

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """The rows written (an insert ignoring conflicts skips the rows already there). For an
        UPDATE writer each row ends with the primary key."""
        prepared = [self._prepare(row) for row in rows]
        if not prepared:
            return 0
        with connection.cursor() as cursor:
            if self.update or connection.vendor == "sqlite":
                # SQLite runs executemany in-process at C speed: nothing to gain from batching.
                cursor.executemany(self.sql, prepared)
                return max(cursor.rowcount, 0)
            # Over a network a statement per row costs a round trip each: send many rows at once.
            per_statement = max(1, MAX_PARAMETERS // len(self.columns))
            written = 0
            for start in range(0, len(prepared), per_statement):
                chunk = prepared[start : start + per_statement]
                cursor.execute(self._multi_row_sql(len(chunk)), [v for row in chunk for v in row])
                written += max(cursor.rowcount, 0)
            return written

    def _multi_row_sql(self, count: int) -> str:
        row = "(" + ", ".join(["%s"] * len(self.columns)) + ")"
        sql = f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES "  # noqa: S608
        sql += ", ".join([row] * count)
        return sql + (" ON CONFLICT DO NOTHING" if self.ignore_conflicts else "")

    def _prepare(self, row: Sequence[Any]) -> Sequence[Any]:
        if not self.converters:
            return row
        values = list(row)
        for index, convert in self.converters:
            if values[index] is not None:
                values[index] = convert(values[index])
        return values
