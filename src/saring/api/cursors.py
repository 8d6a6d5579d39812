"""Change-feed cursors: `?since=CURSOR` returns what changed after it, `next` is where to resume.

A cursor is an opaque, URL-safe string over (updated_at, primary key) of the last row a caller
has seen, so a platform syncs only what changed: keyset order, no offsets, stable under inserts.
Rows stamped within the last `SETTLE_SECONDS` are held back, so a transaction that stamped a row
but has not committed yet cannot be skipped by a reader that moved past it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

VERSION = "1"
SETTLE_SECONDS = 2.0


class CursorError(ValueError):
    """A `since` value this API did not give out; the message names the parameter."""


@dataclass(frozen=True)
class Position:
    updated_at: datetime
    key: str  # the primary key as text (ids are integers or election ids)


def encode(updated_at: datetime, key: Any) -> str:
    stamp = updated_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    raw = f"{VERSION}|{stamp}|{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, *, parameter: str = "since") -> Position:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        version, stamp, key = base64.urlsafe_b64decode(padded.encode()).decode().split("|", 2)
        if version != VERSION or not key:
            raise ValueError("unknown cursor version")
        updated_at = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    except (ValueError, UnicodeError, binascii.Error):
        raise CursorError(
            f"`{parameter}` is not a cursor this API gave out: {cursor[:60]!r}. Use the `next` "
            "value of an earlier answer, or leave it out to start from the beginning."
        ) from None
    return Position(updated_at, key)


def _after(position: Position, integer_keys: bool) -> Q:
    key: Any = int(position.key) if integer_keys else position.key
    return Q(updated_at__gt=position.updated_at) | Q(updated_at=position.updated_at, pk__gt=key)


def changes_since(
    queryset: QuerySet,
    since: str | None,
    limit: int,
    *,
    integer_keys: bool = True,
) -> tuple[list[Any], str | None, int]:
    """(rows changed after `since` in feed order, the cursor after the last of them, how many
    changed in all). With no rows, the cursor is `since` itself (poll again with it)."""
    settled = queryset.filter(updated_at__lte=timezone.now() - timedelta(seconds=SETTLE_SECONDS))
    if since:
        position = decode(since)
        try:
            settled = settled.filter(_after(position, integer_keys))
        except ValueError:
            raise CursorError(
                f"`since` names a row key of the wrong type: {position.key!r}"
            ) from None
    ordered = settled.order_by("updated_at", "pk")
    rows = list(ordered[:limit])
    cursor = encode(rows[-1].updated_at, rows[-1].pk) if rows else since
    return rows, cursor, settled.count()


def latest(queryset: QuerySet) -> str | None:
    """The cursor of the newest settled row: after reading every page of a full list, poll
    `?since=` this value."""
    settled = queryset.filter(updated_at__lte=timezone.now() - timedelta(seconds=SETTLE_SECONDS))
    row = settled.order_by("-updated_at", "-pk").first()
    return encode(row.updated_at, row.pk) if row else None


def render_all(rows: Iterable[Any], render: Callable[[Any], Any]) -> list[Any]:
    return [render(row) for row in rows]
