"""Recipient lists from CSV (pure Python): one `RecipientRow` per address, or a `RowError`.

A file has a header with `phone` (or `nomor`, `hp`, ...) and/or `email`, optionally `province`
(`provinsi`) and `regency` (`kabupaten`, `kota`). Region values are Kemendagri codes (`32`,
`32.05`) or names; names are passed on as written (the broadcasts service resolves them).
Phone numbers become E.164 for Indonesia (0812…, 62812…, +62 812-…, 812… → +62812…) and must
be mobile numbers (SMS and WhatsApp reach nothing else). The file is read as a stream (a
million rows are never held at once); a bad row yields a RowError and reading goes on. Reasons
never contain the address itself: they end up on pages and in logs.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

import phonenumbers
from phonenumbers import PhoneNumberType

from saring.sources.records import SourceError

PHONE_COLUMNS = ("phone", "nomor", "hp", "no_hp", "nomor_hp", "telepon", "telp", "msisdn")
EMAIL_COLUMNS = ("email", "e-mail", "e_mail", "surel")
PROVINCE_COLUMNS = ("province", "provinsi")
REGENCY_COLUMNS = ("regency", "kabupaten", "kabupaten_kota", "kab_kota", "kota")
ADDRESS_COLUMNS = PHONE_COLUMNS + EMAIL_COLUMNS
MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
COUNTRY = "ID"
COUNTRY_CODE = 62

# Reason codes (callers word them for their users) and their plain English text.
REASONS = {
    "no_address": "the row has neither a phone number nor an e-mail address",
    "phone_invalid": "not a phone number",
    "phone_not_mobile": "not a mobile number (SMS and WhatsApp need one)",
    "phone_foreign": "not an Indonesian number",
    "email_invalid": "not an e-mail address",
    "region_invalid": "not a region code such as 32 or 32.05",
    "region_mismatch": "the regency is not in the province",
    "columns": "the row has a different number of columns than the header",
}

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]{2,}$")
_PROVINCE_CODE = re.compile(r"^\d{2}$")
_REGENCY_CODE = re.compile(r"^(\d{2})\.(\d{2})$")
_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class RecipientRow:
    line: int
    channel: str  # "sms"/"whatsapp" for phones (the caller's choice), "email"
    address: str  # E.164 (+62812…) or a lower-case e-mail address
    province: str | None  # a code ("32") or a name as written; None when absent
    regency: str | None  # a code ("32.05") or a name as written


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    field: str  # the column at fault ("" for the whole row)
    reason: str  # a code of REASONS
    raw: tuple[tuple[str, str], ...] = ()  # the row as read: (column, value) pairs

    @property
    def message(self) -> str:
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True, slots=True)
class Columns:
    """Where the known columns are in a header (indexes, -1 when absent)."""

    names: tuple[str, ...]
    phone: int
    email: int
    province: int
    regency: int

    @classmethod
    def from_header(cls, header: Sequence[str]) -> Columns:
        names = tuple(_column_name(h) for h in header)

        def find(options: tuple[str, ...]) -> int:
            return next((i for i, name in enumerate(names) if name in options), -1)

        columns = cls(
            names,
            find(PHONE_COLUMNS),
            find(EMAIL_COLUMNS),
            find(PROVINCE_COLUMNS),
            find(REGENCY_COLUMNS),
        )
        if columns.phone < 0 and columns.email < 0:
            raise SourceError(
                "", "the header needs a phone column (phone, nomor, hp) or an email column"
            )
        return columns

    def is_address(self, index: int) -> bool:
        return index in (self.phone, self.email)


def _column_name(value: str) -> str:
    return value.strip().strip("\ufeff").lower().replace(" ", "_")


def normalise_phone(value: str) -> tuple[str | None, str]:
    """(E.164, "") for an Indonesian mobile number, else (None, reason code)."""
    cleaned = value.strip()
    if not cleaned:
        return None, "phone_invalid"
    try:
        number = phonenumbers.parse(cleaned, COUNTRY)
    except phonenumbers.NumberParseException:
        return None, "phone_invalid"
    if number.country_code != COUNTRY_CODE:
        valid = phonenumbers.is_valid_number(number)
        return None, "phone_foreign" if valid else "phone_invalid"
    # One pass over Indonesia's number patterns: UNKNOWN means no valid number at all.
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.UNKNOWN:
        return None, "phone_invalid"
    if kind not in MOBILE_TYPES:
        return None, "phone_not_mobile"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), ""


def normalise_email(value: str) -> str | None:
    cleaned = value.strip().lower()
    return cleaned if _EMAIL.match(cleaned) else None


def _region(value: str, pattern: re.Pattern[str]) -> tuple[str | None, bool]:
    """(value, ok): digits must be a well-formed code; anything with letters is a name."""
    cleaned = " ".join(value.split())
    if not cleaned:
        return None, True
    if any(c.isalpha() for c in cleaned):
        return cleaned, True
    return (cleaned, True) if pattern.match(cleaned) else (None, False)


def read_row(
    columns: Columns, values: Sequence[str], line: int, *, phone_channel: str = "sms"
) -> list[RecipientRow] | RowError:
    """One CSV row: its addresses (a phone and an e-mail give two), or why it was refused."""
    raw = tuple(zip(columns.names, values, strict=False))
    if len(values) != len(columns.names) and any(v.strip() for v in values[len(columns.names) :]):
        return RowError(line, "", "columns", raw)

    def cell(index: int) -> str:
        return values[index] if 0 <= index < len(values) else ""

    province, ok = _region(cell(columns.province), _PROVINCE_CODE)
    if not ok:
        return RowError(line, columns.names[columns.province], "region_invalid", raw)
    regency, ok = _region(cell(columns.regency), _REGENCY_CODE)
    if not ok:
        return RowError(line, columns.names[columns.regency], "region_invalid", raw)
    code = _REGENCY_CODE.match(regency or "")
    if code and province and _PROVINCE_CODE.match(province) and code.group(1) != province:
        return RowError(line, columns.names[columns.regency], "region_mismatch", raw)
    if code and province is None:
        province = code.group(1)  # 32.05 says its province itself

    found: list[RecipientRow] = []
    phone, email = cell(columns.phone).strip(), cell(columns.email).strip()
    if phone:
        address, reason = normalise_phone(phone)
        if address is None:
            return RowError(line, columns.names[columns.phone], reason, raw)
        found.append(RecipientRow(line, phone_channel, address, province, regency))
    if email:
        address = normalise_email(email)
        if address is None:
            return RowError(line, columns.names[columns.email], "email_invalid", raw)
        found.append(RecipientRow(line, "email", address, province, regency))
    if not found:
        return RowError(line, "", "no_address", raw)
    return found


def _text_stream(fileobj: IO) -> IO[str]:
    """A text view of a binary or text file; utf-8 with or without a BOM."""
    if isinstance(fileobj, io.TextIOBase):
        return fileobj
    try:
        return io.TextIOWrapper(fileobj, encoding="utf-8-sig", errors="replace", newline="")
    except (AttributeError, TypeError):  # a file-like object without readable()/readinto()
        return codecs.getreader("utf-8-sig")(fileobj, errors="replace")


def sniff_delimiter(sample: str) -> str:
    first = sample.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def iter_rows(fileobj: IO, *, name: str = "") -> tuple[Columns, Iterator[tuple[int, list[str]]]]:
    """The header's Columns and an iterator of (line, values) over the non-empty rows.
    SourceError when the file has no usable header."""
    text = _text_stream(fileobj)
    sample = text.read(_SNIFF_BYTES).lstrip("\ufeff")
    reader = csv.reader(_chain(sample, text), delimiter=sniff_delimiter(sample))
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(name, "the file is empty") from None
    try:
        columns = Columns.from_header(header)
    except SourceError as error:
        raise SourceError(name, error.message, line=1) from None

    def rows() -> Iterator[tuple[int, list[str]]]:
        for values in reader:
            if any(v.strip() for v in values):
                yield reader.line_num, values

    return columns, rows()


def read_recipients(
    fileobj: IO, *, phone_channel: str = "sms", name: str = ""
) -> Iterator[RecipientRow | RowError]:
    """A RecipientRow per address or a RowError per bad row, in file order."""
    columns, rows = iter_rows(fileobj, name=name)
    for line, values in rows:
        result = read_row(columns, values, line, phone_channel=phone_channel)
        if isinstance(result, RowError):
            yield result
        else:
            yield from result


def _chain(sample: str, rest: IO[str]) -> Iterator[str]:
    """Whole lines of `sample` followed by the rest of the stream, as csv.reader wants them
    (the sample may end inside a line; old Mac files end lines with a bare "\r")."""
    pending = ""
    for piece in itertools.chain(io.StringIO(sample, newline=""), rest):
        pending += piece
        if pending.endswith(("\n", "\r")):
            yield pending
            pending = ""
    if pending:
        yield pending
