"""Value parsing shared by every format: dates, counts, tags, codes, JSON, ``extra``.

Everything here raises ``RecordError(message, field)`` naming the field and quoting the value,
so a quarantined item says exactly what to fix. Pure Python, no Django.
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from .records import RecordError

try:  # orjson is 5-10x faster than json and parsing speed is on the ingest budget
    import orjson

    _JSON_ERRORS: tuple[type[Exception], ...] = (orjson.JSONDecodeError, TypeError)

    def json_loads(text: str | bytes) -> Any:
        return orjson.loads(text)

    def json_dumps(obj: Any) -> str:
        return orjson.dumps(obj, default=str).decode()

except ImportError:  # pragma: no cover - exercised only where orjson is absent
    import json

    _JSON_ERRORS = (json.JSONDecodeError, TypeError, UnicodeDecodeError, RecursionError)

    def json_loads(text: str | bytes) -> Any:
        return json.loads(text)

    def json_dumps(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=str)


WIB = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta has had no DST since 1964
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK_S = 2 * 86400  # clock skew between a collector and us; more than that is a bug


def load_json(payload: str) -> Any:
    """Parse a payload, turning a syntax error into the quarantine's 'invalid JSON' reason."""
    try:
        return json_loads(payload)
    except _JSON_ERRORS as err:
        snippet = payload[:80].replace("\n", " ")
        raise RecordError(
            f"invalid JSON: {err} (starts with {snippet!r})",
            "",
            code="invalid_json",
            detail=str(err),
        ) from None


def dig(obj: Any, *keys: str | int) -> Any:
    """``obj[k1][k2]...`` or None when any step is missing or of the wrong type."""
    for key in keys:
        if isinstance(obj, dict):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and -len(obj) <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def text_value(value: Any) -> str:
    """A string field: None becomes '', numbers become their decimal form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _in(source: str | None) -> str:
    return f" in {source}" if source else ""


def require_id(value: Any, field: str = "platform_id", source: str | None = None) -> str:
    """A platform id: non-empty, at most 100 characters, not mangled by a spreadsheet."""
    if isinstance(value, bool) or value is None:
        raise RecordError(f"missing id{_in(source)}", field, code="missing_value")
    if isinstance(value, float):
        if not value.is_integer():
            raise RecordError(f"id {value!r} is not an identifier", field)
        value = int(value)
    text = str(value).strip()
    if not text:
        raise RecordError(f"missing id{_in(source)}", field, code="missing_value")
    if _SCIENTIFIC.match(text):
        raise RecordError(
            f"id {text!r} was turned into scientific notation by a spreadsheet; "
            "format the column as text and export again",
            field,
            code="id_scientific",
            value=text,
        )
    if len(text) > 100:
        raise RecordError(f"id is {len(text)} characters long (at most 100)", field)
    return text


_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")

# ----------------------------------------------------------------------------- dates

_X_DATE = re.compile(
    r"^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d\d) (\d\d):(\d\d):(\d\d) ([+-]\d\d)(\d\d) (\d{4})$"
)
_MONTHS = {
    name: n
    for n, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_EXTRA_DATE_FORMATS = (
    "%d/%m/%Y %H:%M:%S",  # Indonesian spreadsheets are day-first
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%Y-%m-%dT%H:%M:%S%z",  # +0000 without a colon (older Python rejects it in isoformat)
    "%Y-%m-%d %H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S %z",
)
_EPOCH = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_datetime(
    value: Any, field: str = "created_at", naive_tz: timezone = WIB, source: str | None = None
) -> datetime:
    """A timezone-aware datetime from ISO 8601, a few export styles, or a Unix epoch.

    Epoch numbers are UTC; seconds, milliseconds and microseconds are told apart by size.
    A naive time is read in ``naive_tz``. Dates before 1990 or more than two days ahead of now
    are rejected: they are a bad export, not a post.
    """
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-":
        try:  # fast path: an ISO 8601 timestamp, by far the most common input
            dt = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=naive_tz)
            _check_range(dt, value, field, _in(source))
            return dt
    where = _in(source)
    if value is None or isinstance(value, bool):
        raise RecordError(f"missing date{where}", field, code="missing_value")
    if isinstance(value, int | float):
        return _from_epoch(value, value, field, where)
    text = str(value).strip()
    if not text:
        raise RecordError(f"missing date{where}", field, code="missing_value")
    if _EPOCH.match(text) and len(text) != 8:  # 8 digits is a basic ISO date (20240214)
        return _from_epoch(float(text) if "." in text else int(text), value, field, where)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError as err:
        try:
            dt = _other_formats(text, str(err))
        except ValueError as reason:
            raise RecordError(
                f"impossible or unreadable date {text!r}{where}: {reason}",
                field,
                code="unreadable_date",
                value=text,
            ) from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=naive_tz)
    _check_range(dt, value, field, where)
    return dt


def _other_formats(text: str, iso_error: str) -> datetime:
    """The export styles ``fromisoformat`` does not read; ValueError with a reason otherwise."""
    x_date = _X_DATE.match(text)  # X's "Wed Oct 10 20:19:24 +0000 2018", locale-independent
    if x_date:
        month = _MONTHS.get(x_date.group(1), 0)
        day, hour, minute, second, off_h, off_m, year = x_date.groups()[1:]
        return datetime.fromisoformat(
            f"{year}-{month:02d}-{day}T{hour}:{minute}:{second}{off_h}:{off_m}"
        )
    for fmt in _EXTRA_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError as err:
            if "unconverted" not in str(err) and "does not match" not in str(err):
                raise  # the format fits but the date is impossible ("day is out of range")
    impossible = "range" in iso_error or "must be in" in iso_error
    raise ValueError(iso_error if impossible else "unrecognised date format")


def _from_epoch(number: float, raw: Any, field: str, where: str) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise RecordError(f"impossible date {raw!r}{where}", field)
    magnitude = abs(number)
    divisor = 1_000_000 if magnitude >= 1e14 else 1000 if magnitude >= 1e11 else 1
    seconds = number / divisor
    try:
        dt = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise RecordError(f"impossible date {raw!r}{where}: out of range", field) from None
    _check_range(dt, raw, field, where)
    return dt


_EARLIEST_DAY = EARLIEST.toordinal()
_latest: list[Any] = [0.0, EARLIEST, 0]  # [at (time.time()), now + slack, its day ordinal]


def _check_range(dt: datetime, raw: Any, field: str, where: str) -> None:
    now = time.time()
    if now - _latest[0] > 60:
        limit = datetime.fromtimestamp(now + FUTURE_SLACK_S, UTC)
        _latest[:] = [now, limit, limit.toordinal()]
    if _EARLIEST_DAY + 1 < dt.toordinal() < _latest[2] - 1:
        return  # a day clear of both bounds whatever the offset; aware compares cost ~1 µs
    if dt < EARLIEST:
        raise RecordError(
            f"impossible date {raw!r}{where}: before 1990",
            field,
            code="date_before",
            value=str(raw),
        )
    if dt > _latest[1]:
        raise RecordError(
            f"impossible date {raw!r}{where}: in the future ({dt.date()})",
            field,
            code="date_future",
            value=str(raw),
        )


# ----------------------------------------------------------------------------- counts

_MULTIPLIERS = {
    "k": 1_000,
    "rb": 1_000,
    "ribu": 1_000,
    "m": 1_000_000,
    "jt": 1_000_000,
    "juta": 1_000_000,
    "mn": 1_000_000,
    "mio": 1_000_000,
    "b": 1_000_000_000,
    "bn": 1_000_000_000,
    "miliar": 1_000_000_000,
    "milyar": 1_000_000_000,
    "mlr": 1_000_000_000,
}
_COUNT = re.compile(r"^(\d+(?:[.,]\d+)*)\s*([a-z]+)?\.?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_ZERO_DECIMAL = re.compile(r"^(\d+)[.,]0+$")


def parse_count(value: Any, field: str, source: str | None = None) -> int | None:
    """A non-negative count; None when absent.

    Accepts ints, integral floats, "1234", "1.234"/"1,234" (thousands groups of three), "123.0"
    (pandas), and abbreviations: "12K", "1,2 rb", "3 jt", "1.5M" ("M" is million, as platforms
    print it in English; "miliar"/"mlr" is 10^9).
    """
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit():  # the common case
        return int(value)
    try:
        return _parse_count_slow(value)
    except ValueError as err:
        raise RecordError(f"{err}{_in(source)}", field) from None


def _parse_count_slow(value: Any) -> int | None:
    if isinstance(value, bool):
        raise ValueError(f"count {value!r} is not a number")
    if isinstance(value, int):
        raise ValueError(f"negative count {value}")
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            raise ValueError(f"count {value!r} is not a whole number")
        if value < 0:
            raise ValueError(f"negative count {value!r}")
        return int(value)
    if isinstance(value, list | dict):
        raise ValueError(f"count is a {type(value).__name__}, not a number")
    text = str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    return _parse_count_text(text)


def _parse_count_text(text: str) -> int | None:
    lowered = text.lower().replace("\u00a0", " ")
    if lowered in {"-", "\u2013", "\u2014"}:  # spreadsheets print a dash for "none"
        return None
    if lowered.startswith("-"):
        raise ValueError(f"negative count {text!r}")
    if lowered in {"n/a", "na", "none", "null", "nan"}:
        raise ValueError(f"count {text!r} is not a number (leave the cell empty instead)")
    match = _COUNT.match(lowered)
    if not match:
        raise ValueError(f"count {text!r} is not a number")
    number, suffix = match.groups()
    if suffix:
        multiplier = _MULTIPLIERS.get(suffix)
        if multiplier is None:
            raise ValueError(f"count {text!r} has an unknown unit {suffix!r}")
        # with a unit the last separator is the decimal mark: "1,2 rb", "1.5M", "1.234,5 rb"
        head, sep, tail = number.replace(",", ".").rpartition(".")
        digits = f"{head.replace('.', '')}.{tail}" if sep else tail
        try:
            return int((Decimal(digits) * multiplier).to_integral_value())
        except InvalidOperation:
            raise ValueError(f"count {text!r} is not a number") from None
    if _THOUSANDS.match(number):
        return int(number.replace(".", "").replace(",", ""))
    zero = _ZERO_DECIMAL.match(number)
    if zero:
        return int(zero.group(1))
    raise ValueError(f"count {text!r} is not a whole number")
