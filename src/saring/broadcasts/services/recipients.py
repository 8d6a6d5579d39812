"""Recipient lists: create, import from CSV (bad rows to quarantine), retry a row, opt-outs.

Rules: analysts (and admins) of a list's region and organisation kind write it (scope rules of
internal records, `Scope.edits_record(..., role="analyst")`); a new list belongs to the acting
organisation and lies inside its region. Addresses are stored encrypted with a keyed
fingerprint (one per list and channel: importing a file twice adds nothing) and a masked form;
no address reaches a log, an audit event, an error message or a page. The CSV is read as a
stream and written in chunks, so a million-row file never sits in memory. Opted-out addresses
are kept on the list (the sender skips them) and counted, so the officer knows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.broadcasts import crypto
from saring.broadcasts.models import Channel, ImportRow, OptOut, Recipient, RecipientList
from saring.regions.models import Province, Regency
from saring.sources.recipients import (
    Columns,
    RecipientRow,
    RowError,
    iter_rows,
    normalise_email,
    normalise_phone,
    read_row,
    sniff_delimiter,
)

CHUNK = 2000
REPORT_LINES = 500  # rejected lines an ImportResult names (the rest are in the quarantine)
PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)

# Reasons as stored on ImportRow (English msgids; pages translate them with gettext).
REASON_TEXT = {
    "no_address": gettext_noop("The row has neither a phone number nor an e-mail address."),
    "phone_invalid": gettext_noop("Not a phone number."),
    "phone_not_mobile": gettext_noop("Not a mobile number (SMS and WhatsApp need one)."),
    "phone_foreign": gettext_noop("Not an Indonesian number."),
    "email_invalid": gettext_noop("Not an e-mail address."),
    "region_invalid": gettext_noop("Not a region code such as 32 or 32.05."),
    "region_mismatch": gettext_noop("The regency is not in the province."),
    "region_unknown": gettext_noop("No such province or regency/city."),
    "region_ambiguous": gettext_noop(
        "More than one regency/city has this name: write its code (e.g. 32.04) or the province."
    ),
    "region_outside": gettext_noop("The region is outside the list's region."),
    "columns": gettext_noop("The row has a different number of columns than the header."),
}


class RecipientError(ValueError):
    """A write refused for its content (the message is for the officer, without addresses)."""


@dataclass
class ImportResult:
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    opted_out_present: int = 0
    lines: int = 0
    rejected_lines: list[tuple[int, str, str]] = field(default_factory=list)  # line, col, reason

    def as_dict(self) -> dict[str, int]:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "opted_out_present": self.opted_out_present,
            "lines": self.lines,
        }


# --- who may -------------------------------------------------------------------------------


def may_write(scope: Scope, recipient_list: RecipientList) -> bool:
    return scope.edits_record(recipient_list, role="analyst")


def _require_write(scope: Scope, recipient_list: RecipientList) -> None:
    require(
        scope,
        may_write(scope, recipient_list),
        _("Only analysts of the list's region and organisation may change this list."),
    )


# --- lists ---------------------------------------------------------------------------------


def create_list(
    scope: Scope,
    name: str,
    *,
    description: str = "",
    province: str | None = None,
    regency: str | None = None,
) -> RecipientList:
    """A new list of the acting organisation, for its region or a region inside it."""
    require(scope, scope.can("analyst"), _("Creating a recipient list needs the analyst role."))
    if province is None and regency is None:
        province, regency = scope.province_code, scope.regency_code
    if regency and not province:
        province = regency.split(".", 1)[0]
    if province and not Province.objects.filter(code=province).exists():
        raise RecipientError(_("No such province."))
    if regency and not Regency.objects.filter(code=regency, province_id=province).exists():
        raise RecipientError(_("No such regency/city in that province."))
    require(
        scope,
        scope.may_edit(province, regency, scope.organisation_kind, role="analyst"),
        _("A list can only be for your own region or a region inside it."),
    )
    name = name.strip()
    if not name:
        raise RecipientError(_("A list needs a name."))
    with transaction.atomic():
        recipient_list = RecipientList.objects.create(
            name=name[:200],
            description=description.strip(),
            organisation_id=scope.organisation_id,
            province_id=province,
            regency_id=regency,
            created_by_id=scope.user_id,
        )
        record(scope, Action.RECIPIENT_LIST_CREATED, recipient_list)
    return recipient_list


# --- regions ------------------------------------------------------------------------------


class RegionIndex:
    """Province and regency names and codes, loaded once per import (38 + 514 rows)."""

    PREFIXES = ("kabupaten ", "kab. ", "kab ", "kota ")

    def __init__(self) -> None:
        self.provinces = {code: name for code, name in Province.objects.values_list("code", "name")}
        self.province_names = {name.lower(): code for code, name in self.provinces.items()}
        self.province_names.update({"dki jakarta": "31", "jakarta": "31", "diy": "34"})
        self.regencies: dict[str, str] = {}  # code -> province code
        self.regency_names: dict[str, list[str]] = {}
        for code, name, province in Regency.objects.values_list("code", "name", "province_id"):
            self.regencies[code] = province
            lowered = name.lower()
            self.regency_names.setdefault(lowered, []).append(code)
            bare = self._bare(lowered)
            if bare != lowered:
                self.regency_names.setdefault(bare, []).append(code)
            if lowered.startswith("kabupaten "):
                for short in ("kab. ", "kab "):
                    self.regency_names.setdefault(short + bare, []).append(code)

    def _bare(self, name: str) -> str:
        for prefix in self.PREFIXES:
            if name.startswith(prefix):
                return name[len(prefix) :]
        return name

    def resolve(self, province: str | None, regency: str | None) -> tuple[str | None, str | None]:
        """(province code, regency code), or RecipientError naming the reason code."""
        province_code = None
        if province:
            province_code = province if province in self.provinces else None
            province_code = province_code or self.province_names.get(province.lower())
            if province_code is None:
                raise RecipientError("region_unknown")
        if not regency:
            return province_code, None
        if regency in self.regencies:
            codes = [regency]
        else:
            codes = self.regency_names.get(regency.lower(), [])
            codes = codes or self.regency_names.get(self._bare(regency.lower()), [])
        if province_code:
            inside = [c for c in codes if self.regencies[c] == province_code]
            if codes and not inside:
                raise RecipientError("region_mismatch")
            codes = inside
        codes = sorted(set(codes))
        if not codes:
            raise RecipientError("region_unknown")
        if len(codes) > 1:
            raise RecipientError("region_ambiguous")
        return self.regencies[codes[0]], codes[0]


def _inside_list(recipient_list: RecipientList, province: str | None, regency: str | None) -> bool:
    """A recipient of a provincial list lives in that province (or is unplaced)."""
    if recipient_list.province_id is None or province is None:
        return True
    if province != recipient_list.province_id:
        return False
    return recipient_list.regency_id is None or regency in (None, recipient_list.regency_id)


# --- import ----------------------------------------------------------------------------------


def _masked_row(columns: Columns, raw: Iterable[tuple[str, str]]) -> str:
    parts = []
    for index, (name, value) in enumerate(raw):
        shown = crypto.mask(value.strip()) if columns.is_address(index) and value.strip() else value
        parts.append(f"{name}={shown}")
    return "; ".join(parts)[:300]


class _Importer:
    """One import's state: counts, the region index and the chunk being written."""

    def __init__(self, recipient_list: RecipientList, file_name: str, columns: Columns):
        self.recipient_list = recipient_list
        self.file_name = file_name[:300]
        self.columns = columns
        self.regions = RegionIndex()
        self.result = ImportResult()
        self.rows: list[RecipientRow] = []
        self.errors: list[RowError] = []

    def add(self, line: int, values: list[str], phone_channel: str = Channel.SMS) -> bool:
        """Read one CSV row into the pending chunk; False when it was rejected."""
        result = read_row(self.columns, values, line, phone_channel=phone_channel)
        raw = tuple(zip(self.columns.names, values, strict=False))
        if isinstance(result, RowError):
            self.errors.append(result)
            return False
        placed = []
        for item in result:
            try:
                province, regency = self.regions.resolve(item.province, item.regency)
            except RecipientError as error:
                self.errors.append(RowError(line, "", str(error), raw))
                return False
            if not _inside_list(self.recipient_list, province, regency):
                self.errors.append(RowError(line, "", "region_outside", raw))
                return False
            placed.append(RecipientRow(line, item.channel, item.address, province, regency))
        self.rows.extend(placed)
        return True

    def pending(self) -> int:
        return len(self.rows) + len(self.errors)

    def flush(self) -> None:
        with transaction.atomic():
            self._write_recipients()
            self._write_errors()
        self.rows, self.errors = [], []

    def _write_recipients(self) -> None:
        by_key: dict[tuple[str, str], RecipientRow] = {}
        for row in self.rows:
            key = (row.channel, crypto.fingerprint(row.channel, row.address))
            if key in by_key:
                self.result.duplicates += 1
            else:
                by_key[key] = row
        if not by_key:
            return
        hashes = [h for _, h in by_key]
        existing = set(
            Recipient.objects.filter(
                recipient_list=self.recipient_list, address_hash__in=hashes
            ).values_list("channel", "address_hash")
        )
        self.result.duplicates += len(existing & by_key.keys())
        opted = set(
            OptOut.objects.filter(address_hash__in=hashes).values_list("channel", "address_hash")
        )
        self.result.opted_out_present += len(opted & by_key.keys())
        new = [
            Recipient(
                recipient_list=self.recipient_list,
                channel=channel,
                address_hash=address_hash,
                address_encrypted=crypto.encrypt(row.address),
                masked=crypto.mask(row.address),
                province_id=row.province,
                regency_id=row.regency,
            )
            for (channel, address_hash), row in by_key.items()
            if (channel, address_hash) not in existing
        ]
        Recipient.objects.bulk_create(new, ignore_conflicts=True)
        self.result.imported += len(new)

    def _write_errors(self) -> None:
        if not self.errors:
            return
        lines = {e.line for e in self.errors}
        seen = set(
            ImportRow.objects.filter(
                recipient_list=self.recipient_list, file_name=self.file_name, line__in=lines
            ).values_list("line", flat=True)
        )
        new = []
        for error in self.errors:
            self.result.rejected += 1
            reason = REASON_TEXT.get(error.reason, error.reason)
            if len(self.result.rejected_lines) < REPORT_LINES:
                self.result.rejected_lines.append((error.line, error.field, reason))
            if error.line in seen:  # the same file again: its bad line is already waiting
                continue
            seen.add(error.line)
            payload = {"header": list(self.columns.names), "values": [v for _, v in error.raw]}
            new.append(
                ImportRow(
                    recipient_list=self.recipient_list,
                    file_name=self.file_name,
                    line=error.line,
                    reason=reason[:300],
                    raw_encrypted=crypto.encrypt(json.dumps(payload, ensure_ascii=False)),
                    masked=_masked_row(self.columns, error.raw),
                )
            )
        ImportRow.objects.bulk_create(new)


def _refresh_size(recipient_list: RecipientList) -> None:
    size = Recipient.objects.filter(recipient_list=recipient_list).count()
    RecipientList.objects.filter(pk=recipient_list.pk).update(size=size)
    recipient_list.size = size


def import_csv(
    scope: Scope,
    recipient_list: RecipientList,
    fileobj: IO,
    file_name: str,
    *,
    progress: Callable[[int], None] | None = None,
    phone_channel: str = Channel.SMS,
) -> ImportResult:
    """Import a CSV into the list; SourceError when the file has no usable header.

    `progress(lines_read)` is called after each chunk (the command's progress bar)."""
    _require_write(scope, recipient_list)
    if phone_channel not in PHONE_CHANNELS:
        raise RecipientError(_("Phone numbers go to SMS or WhatsApp."))
    columns, rows = iter_rows(fileobj, name=file_name)
    importer = _Importer(recipient_list, file_name, columns)
    last_line = 1
    for line, values in rows:
        importer.add(line, values, phone_channel)
        importer.result.lines += 1
        last_line = line
        if importer.pending() >= CHUNK:
            importer.flush()
            if progress:
                progress(last_line)
    importer.flush()
    if progress:
        progress(last_line)
    with transaction.atomic():
        _refresh_size(recipient_list)
        record(
            scope,
            Action.RECIPIENTS_IMPORTED,
            recipient_list,
            details={"file": file_name[:200], **importer.result.as_dict()},
        )
    return importer.result


def row_header(row: ImportRow) -> list[str]:
    return json.loads(crypto.decrypt(row.raw_encrypted))["header"]


def row_channel(row: ImportRow) -> str:
    """Phones of a retried row go where the list's other phones went (SMS by default)."""
    channels = set(
        Recipient.objects.filter(recipient_list_id=row.recipient_list_id)
        .exclude(channel=Channel.EMAIL)
        .values_list("channel", flat=True)[:2]
    )
    return channels.pop() if len(channels) == 1 else Channel.SMS


def retry_row(scope: Scope, row: ImportRow, fixed_text: str) -> ImportResult:
    """Re-read a rejected row from `fixed_text` (one CSV line in the header's column order).

    Imported: the quarantined row is removed. Still bad: the row keeps waiting with the new
    reason and RecipientError says why."""
    recipient_list = row.recipient_list
    _require_write(scope, recipient_list)
    header = row_header(row)
    text = fixed_text.strip().splitlines()[0] if fixed_text.strip() else ""
    values = next(csv.reader([text], delimiter=sniff_delimiter(text)), [])
    columns = Columns.from_header(header)
    importer = _Importer(recipient_list, row.file_name, columns)
    if not importer.add(row.line, values, row_channel(row)):
        error = importer.errors[0]
        reason = REASON_TEXT.get(error.reason, error.reason)
        ImportRow.objects.filter(pk=row.pk).update(
            reason=reason, masked=_masked_row(columns, tuple(zip(header, values, strict=False)))
        )
        raise RecipientError(_(reason))
    with transaction.atomic():
        importer._write_recipients()
        ImportRow.objects.filter(pk=row.pk).delete()
        _refresh_size(recipient_list)
        record(
            scope,
            Action.RECIPIENTS_IMPORTED,
            recipient_list,
            details={"file": row.file_name[:200], "line": row.line, **importer.result.as_dict()},
        )
    return importer.result


def discard_row(scope: Scope, row: ImportRow) -> None:
    _require_write(scope, row.recipient_list)
    with transaction.atomic():
        record(
            scope,
            Action.RECIPIENTS_IMPORTED,
            row.recipient_list,
            details={"file": row.file_name[:200], "line": row.line, "discarded": True},
        )
        row.delete()


# --- opt-outs --------------------------------------------------------------------------------


def normalise_address(channel: str, address: str) -> str:
    """The form fingerprints are taken of; RecipientError when it is not an address."""
    if channel in PHONE_CHANNELS:
        normalised, reason = normalise_phone(address)
    else:
        normalised, reason = normalise_email(address), "email_invalid"
    if normalised is None:
        raise RecipientError(_(REASON_TEXT[reason]))
    return normalised


def opt_out_fingerprint(channel: str, address: str) -> str:
    """The fingerprint an OptOut of this address has (RecipientError for a non-address)."""
    return crypto.fingerprint(channel, normalise_address(channel, address))


def opt_out(scope: Scope, channel: str, address: str, source: str) -> OptOut:
    """Take an address off every list of `channel` (kept: the sender skips it). Idempotent.

    The sending helper's STOP handler calls it as SYSTEM with source "sms:STOP"; officers need
    the analyst role."""
    require(scope, scope.can("analyst"), _("Opting an address out needs the analyst role."))
    if channel not in Channel.values:
        raise RecipientError(_("Unknown channel."))
    address_hash = opt_out_fingerprint(channel, address)
    with transaction.atomic():
        opted, created = OptOut.objects.get_or_create(
            channel=channel, address_hash=address_hash, defaults={"source": source[:40]}
        )
        if created:
            lists = Recipient.objects.filter(channel=channel, address_hash=address_hash).count()
            record(
                scope,
                Action.RECIPIENT_OPTED_OUT,
                subject_type="broadcasts.optout",
                subject_id=str(opted.pk),
                details={"channel": channel, "source": source[:40], "on_lists": lists},
            )
    return opted


def is_opted_out(channel: str, address_hash: str) -> bool:
    return OptOut.objects.filter(channel=channel, address_hash=address_hash).exists()


def opted_out_on_list(recipient_list: RecipientList) -> int:
    """How many of the list's recipients opted out (for the list page)."""
    said_stop = OptOut.objects.filter(
        channel=OuterRef("channel"), address_hash=OuterRef("address_hash")
    )
    return Recipient.objects.filter(recipient_list=recipient_list).filter(Exists(said_stop)).count()
