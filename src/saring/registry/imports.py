"""Known accounts from a CSV or XLSX file: read as a stream, each good row upserted by
(platform, handle), each bad row quarantined with its line, its column and a coded reason.

- Columns are matched by name, Indonesian or English (`COLUMNS`), in any order; `platform` and
  `akun`/`handle` are required, the rest optional. A column the file lacks leaves that value of
  an existing account alone; a new account without a `wilayah`/`region` column is placed in
  the importer's own region (a campaign account of a Pilkada race in the race's region).
- `jenis`/`kind` may be left empty: a row naming a participant is a campaign account, another
  an official one.
- A row is written through `services.store`, so the form's rules hold (scope, PKPU 15/2023
  limits); the file is one audit event (KNOWN_ACCOUNTS_IMPORTED) and, once done, one
  `REGISTRY_CHANGED(None)`.
- The same file again creates nothing: known rows count as unchanged, its bad rows are the same
  quarantined rows (moved to the newest import), rows already fixed or discarded stay so.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.kernel.files import file_sha256
from saring.registry import services
from saring.registry.models import KnownAccount, QuarantinedAccountRow, RegistryImport
from saring.registry.reasons import describe_reason

COLUMNS: dict[str, tuple[str, ...]] = {
    "platform": ("platform", "platforma", "medsos", "media_sosial"),
    "handle": ("akun", "handle", "username", "nama_akun", "account", "akun_media_sosial"),
    "display_name": ("nama", "display_name", "name", "nama_tampilan", "nama_akun_tampil"),
    "kind": ("jenis", "kind", "type", "tipe"),
    "body": ("lembaga", "body", "instansi"),
    "participant": ("peserta", "participant", "peserta_pemilu", "pasangan_calon"),
    "election": ("pemilu", "election", "pemilihan", "election_id", "id_pemilu"),
    "region": ("wilayah", "region", "kode_wilayah", "region_code"),
    "registered_on": ("tanggal_daftar", "registered_on", "tgl_daftar", "registered"),
    "closed_on": ("tanggal_tutup", "closed_on", "tgl_tutup", "closed"),
    "url": ("url", "tautan", "link"),
    "notes": ("catatan", "notes", "keterangan", "note"),
}
ALIASES = {alias: field for field, names in COLUMNS.items() for alias in names}
REQUIRED = ("platform", "handle")
KINDS = {"resmi": "official", "official": "official", "kampanye": "campaign",
         "campaign": "campaign", "akun_resmi": "official", "akun_kampanye": "campaign"}  # fmt: skip
BODIES = {"kpu": "kpu", "bawaslu": "bawaslu", "komdigi": "komdigi", "kominfo": "komdigi",
          "dkpp": "dkpp", "other": "other", "lainnya": "other", "lain": "other"}  # fmt: skip
CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
ZIP = b"PK\x03\x04"
CHUNK = 500
csv.field_size_limit(1 << 20)


class ImportFailed(Exception):
    """The file as a whole cannot be read (wrong kind of file, no handle or platform column)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def column_of(header: str) -> str | None:
    key = "_".join(
        str(header or "").replace("\ufeff", "").strip().lower().replace("-", " ").split()
    )
    return ALIASES.get(key)


# --- reading -------------------------------------------------------------------------------


def read_rows(path: Path, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and a stream of (line or row number, {header: cell text}) of a CSV or XLSX
    file; ImportFailed, naming the file, when it is neither or lacks a required column."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES or (suffix not in CSV_SUFFIXES and head.startswith(ZIP)):
        if not head.startswith(ZIP):
            raise ImportFailed(_("%(file)s is not an XLSX workbook.") % {"file": name})
        header, rows = _xlsx_rows(path, name)
    elif suffix in CSV_SUFFIXES and not head.startswith(ZIP) and b"\x00" not in head:
        header, rows = _csv_rows(path)
    else:
        raise ImportFailed(
            _("%(file)s is not a CSV or XLSX file; save the sheet as CSV or XLSX and import it.")
            % {"file": name}
        )
    present = {column_of(h) for h in header}
    missing = [field for field in REQUIRED if field not in present]
    if missing:
        raise ImportFailed(
            _("%(file)s has no %(column)s column (accepted names: %(aliases)s).")
            % {"file": name, "column": missing[0], "aliases": ", ".join(COLUMNS[missing[0]])}
        )
    return header, rows


def _encoding(path: Path) -> str:
    with path.open("rb") as handle:
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 16):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"  # what Excel on Windows writes when it does not write UTF-8
    return "utf-8-sig"


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    encoding = _encoding(path)
    stream = path.open(encoding=encoding, errors="replace", newline="")
    first = stream.readline()
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    stream.seek(0)
    reader = csv.reader(stream, delimiter=delimiter)
    header = [h.replace("\ufeff", "").strip() for h in next(reader, [])]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with stream:
            line = reader.line_num
            for cells in reader:
                start, line = line + 1, reader.line_num
                if any(c.strip() for c in cells):
                    yield start, _as_row(header, cells)

    return header, rows()


def _xlsx_rows(path: Path, name: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFailed(
            _("%(file)s cannot be opened as an XLSX workbook (%(detail)s).")
            % {"file": name, "detail": exc.__class__.__name__}
        ) from None
    sheet = book.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header = [_cell(c).strip() for c in next(cells, ())]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(cells, start=2):
                texts = [_cell(v) for v in values]
                if any(t.strip() for t in texts):
                    yield number, _as_row(header, texts)
        finally:
            book.close()

    return header, rows()


def _cell(value: Any) -> str:
    """An XLSX cell as the text a CSV would hold: real dates as YYYY-MM-DD, whole numbers
    without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_row(header: list[str], cells: list[str]) -> dict[str, str]:
    row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h}
    extra = [c for c in cells[len(header) :] if str(c).strip()]
    if extra:
        row["_extra"] = " | ".join(extra)
    return row


# --- one row -------------------------------------------------------------------------------


def parse_date(value: str) -> date | None:
    text = value.strip()
    if not text:
        return None
    for form in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d"):
        try:
            return datetime.strptime(text[:10] if form == "%Y-%m-%d" else text, form).date()
        except ValueError:
            continue
    raise services.error("unreadable_date", value=text)


def region_code(value: str) -> str:
    """ "32.73", "3273", "32.1" (a spreadsheet's 32.10) → the dotted Kemendagri code."""
    text = value.strip()
    if text.isdigit() and len(text) == 4:
        return f"{text[:2]}.{text[2:]}"
    if "." in text:
        province, _dot, regency = text.partition(".")
        if province.isdigit() and regency.isdigit() and len(regency) == 1:
            return f"{province}.{regency}0"
    return text


def fields_of(raw: dict[str, str], scope: Scope, existing: KnownAccount | None) -> dict[str, Any]:
    """The `services.store` fields of a row ({header: text}); ValidationError({field: …}) for a
    value that cannot be read."""
    cells = {}
    for header, value in raw.items():
        field = column_of(header)
        if field and field not in cells:
            cells[field] = str(value if value is not None else "").strip()
    fields: dict[str, Any] = {}
    errors: dict[str, ValidationError] = {}
    for name in ("platform", "handle", "display_name", "participant", "url", "notes"):
        if name in cells:
            fields[name] = cells[name]
    if "election" in cells:
        fields["election"] = cells["election"] or None
    kind = cells.get("kind", "").lower().replace(" ", "_")
    if kind:
        if kind in KINDS:
            fields["kind"] = KINDS[kind]
        else:
            errors["kind"] = services.error("unknown_kind", value=cells["kind"])
    elif existing is None:
        fields["kind"] = "campaign" if cells.get("participant") else "official"
    if "body" in cells:
        word = cells["body"].lower().split()[0] if cells["body"].split() else ""
        if word and word not in BODIES:
            errors["body"] = services.error("unknown_body", value=cells["body"])
        fields["body"] = BODIES.get(word, "")
    for name in ("registered_on", "closed_on"):
        if name in cells:
            try:
                fields[name] = parse_date(cells[name])
            except ValidationError as refused:
                errors[name] = refused
    if "region" in cells:
        fields["region"] = region_code(cells["region"])
    elif existing is None:
        fields["region"] = scope.regency_code or scope.province_code or ""
        if fields.get("kind") == "campaign" and not scope.province_code:
            fields.pop("region")  # a national importer: the race's own region, if any
    if errors:
        raise ValidationError(errors)
    return fields


def _refusal(failure: Exception, raw: dict[str, str]) -> tuple[str, str, dict, str]:
    """(column, code, params, message) of a refused row; the column as the file names it."""
    if isinstance(failure, ScopeError):
        field, code, params, message = "region", "out_of_scope", {}, str(failure)
    else:
        by_field = getattr(failure, "error_dict", {"": [failure]})
        field = next((f for f in (*services.FIELDS, "region", "reason") if f in by_field), "")
        field = field or next(iter(by_field))
        first = by_field[field][0]
        code, params = first.code or "", dict(first.params or {})
        message = " ".join(str(m) for errors in by_field.values() for e in errors for m in e)
    header = next((h for h in raw if column_of(h) == field), field)
    return header, code, params, message


def _take(
    scope: Scope, raw: dict[str, str], *, audit: bool, cache: dict | None = None
) -> tuple[services.Stored, None] | tuple[None, Exception]:
    """Upsert one row inside a savepoint: (what was stored, None) or (None, why not)."""
    try:
        with transaction.atomic():
            handle = services.normalise_handle(_cell_of(raw, "handle"))
            platform = services.platform_of(_cell_of(raw, "platform")) or ""
            existing = (
                KnownAccount.objects.select_for_update()
                .filter(platform=platform, handle=handle)
                .order_by()
                .first()
            )
            fields = fields_of(raw, scope, existing)
            stored = services.store(scope, existing, fields, audit=audit, locked=True, cache=cache)
            return stored, None
    except (ValidationError, ScopeError) as failure:
        return None, failure


def _cell_of(raw: dict[str, str], field: str) -> str:
    return next((str(v or "") for h, v in raw.items() if column_of(h) == field), "")


# --- a file --------------------------------------------------------------------------------


def _identity(sha: str, line: int, raw: dict[str, str]) -> str:
    payload = json.dumps(raw, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{sha}\n{line}\n{payload}".encode()).hexdigest()


def import_file(scope: Scope, path: Path | str, *, name: str = "", user=None) -> RegistryImport:
    """Read one CSV/XLSX file into the registry as `scope`; returns the finished import (its
    counts and quarantined rows). ImportFailed when the file as a whole cannot be read (the
    import is kept as failed, with the reason)."""
    path = Path(path)
    name = name or path.name
    services._require_writer(scope)
    run = RegistryImport.objects.create(
        file_name=name[:255],
        imported_by=user if getattr(user, "pk", None) else None,
        actor=scope.username[:150],
        organisation_id=scope.organisation_id,
        province_id=scope.province_code,
        regency_id=scope.regency_code,
    )
    try:
        run.sha256 = file_sha256(path)
        _header, rows = read_rows(path, name)
        seen: dict[tuple[str, str], int] = {}
        cache: dict = {}  # the elections rows name, and their campaign windows
        rows = iter(rows)
        while True:
            # Commit every CHUNK rows (each row is its own savepoint inside): one commit per
            # row would cost a disk sync each, one for the file would hold the lock too long.
            taken = 0
            with transaction.atomic():
                for line, raw in itertools.islice(rows, CHUNK):
                    taken += 1
                    run.read += 1
                    _one(scope, run, line, raw, seen, cache)
                run.save(update_fields=["read", "created", "updated", "unchanged", "quarantined"])
            if taken < CHUNK:
                break
    except ImportFailed as failure:
        _finish(scope, run, RegistryImport.Status.FAILED, failure.message)
        raise
    except OSError as failure:
        message = _("%(file)s cannot be read (%(detail)s).") % {"file": name, "detail": failure}
        _finish(scope, run, RegistryImport.Status.FAILED, message)
        raise ImportFailed(message) from None
    except BaseException as failure:
        # Whatever stopped it (a bug, the database, Ctrl+C), the import ends as failed: the rows
        # committed so far are kept and importing the file again finishes the rest.
        message = _("The import stopped before the end of %(file)s (%(detail)s).") % {
            "file": name,
            "detail": f"{type(failure).__name__}: {failure}"[:500],
        }
        _finish(scope, run, RegistryImport.Status.FAILED, message)
        raise
    _finish(scope, run, RegistryImport.Status.DONE)
    services.announce(None)
    return run


def _one(
    scope: Scope, run: RegistryImport, line: int, raw: dict[str, str], seen: dict, cache: dict
) -> None:
    key = (
        services.platform_of(_cell_of(raw, "platform")) or "",
        services.normalise_handle(_cell_of(raw, "handle")),
    )
    if all(key) and key in seen:
        column = next((h for h in raw if column_of(h) == "handle"), "handle")
        params = {"platform": key[0], "handle": key[1], "line": seen[key]}
        message = describe_reason("duplicate_in_file", params)
        _quarantine(run, line, raw, (column, "duplicate_in_file", params, message))
        return
    stored, failure = _take(scope, raw, audit=False, cache=cache)
    if failure is not None:
        _quarantine(run, line, raw, _refusal(failure, raw))
        return
    if all(key):
        seen[key] = line
    if stored.created:
        run.created += 1
    elif stored.changed:
        run.updated += 1
    else:
        run.unchanged += 1


def _quarantine(run: RegistryImport, line: int, raw: dict, refusal: tuple) -> None:
    field, code, params, message = refusal
    identity = _identity(run.sha256, line, raw)
    known = QuarantinedAccountRow.objects.filter(identity=identity).first()
    if known is not None and known.status != QuarantinedAccountRow.Status.OPEN:
        run.unchanged += 1  # fixed or discarded already: that decision stands
        return
    run.quarantined += 1
    row = known or QuarantinedAccountRow(identity=identity, raw=raw, line=line, attempts=0)
    row.registry_import = run
    row.field, row.reason_code, row.reason_params = field[:50], code[:50], params
    row.message, row.attempts = message, row.attempts + 1
    row.save()


STRANDED_AFTER = timedelta(minutes=30)  # a registry file takes seconds; this one was cut


def close_stranded_imports(now: datetime | None = None) -> list[int]:
    """End as failed the imports still "running" long after they started: their process was
    killed (the rows it committed are kept; importing the file again finishes it)."""
    now = now or timezone.now()
    closed = []
    stranded = RegistryImport.objects.filter(
        status=RegistryImport.Status.RUNNING, started_at__lt=now - STRANDED_AFTER
    )
    for run in stranded:
        message = _(
            "Interrupted: the process importing %(file)s stopped before the end. Import the "
            "file again to finish it (nothing is added twice)."
        ) % {"file": run.file_name}
        _finish(SYSTEM, run, RegistryImport.Status.FAILED, message)
        closed.append(run.id)
    return closed


def _finish(scope: Scope, run: RegistryImport, status: str, error: str = "") -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.save()
    record(
        scope,
        Action.KNOWN_ACCOUNTS_IMPORTED,
        run,
        to_state=status,
        reason=error,
        details={
            name: getattr(run, name)
            for name in ("read", "created", "updated", "unchanged", "quarantined")
        }
        | {"sha256": run.sha256},
    )


# --- the quarantine ------------------------------------------------------------------------


def reason_text(row: QuarantinedAccountRow) -> str:
    """The row's reason in the reader's language (the stored message for an unknown code)."""
    return describe_reason(row.reason_code, row.reason_params, fallback=row.message)


def parse_fix(text: str) -> dict[str, str]:
    """A fixed row typed in a page or a command: a JSON object of column → value."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise services.error("not_an_object")
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


@transaction.atomic
def retry_row(scope: Scope, row: QuarantinedAccountRow, raw: dict[str, str] | None = None) -> bool:
    """Re-run a quarantined row, as stored or as fixed (`raw`): True when it is now in the
    registry (the row is resolved), False when it is still refused (its reason updated)."""
    services._require_writer(scope)
    row = QuarantinedAccountRow.objects.select_for_update().get(pk=row.pk)
    if raw is not None:
        row.raw = raw
    stored, failure = _take(scope, row.raw, audit=True)
    row.attempts += 1
    if failure is not None:
        field, code, params, message = _refusal(failure, row.raw)
        row.field, row.reason_code, row.reason_params, row.message = (
            field[:50],
            code,
            params,
            message,
        )
        row.save()
        return False
    row.status, row.account = QuarantinedAccountRow.Status.RESOLVED, stored.account
    row.save()
    if stored.pairs:
        services.announce(stored.pairs)
    return True


@transaction.atomic
def discard_row(scope: Scope, row: QuarantinedAccountRow) -> None:
    services._require_writer(scope)
    row.status = QuarantinedAccountRow.Status.DISCARDED
    row.save(update_fields=["status", "updated_at"])
    record(
        scope,
        Action.KNOWN_ACCOUNT_ROW_DISCARDED,
        row,
        details={"import": row.registry_import_id, "line": row.line, "reason": row.reason_code},
    )


def csv_text(rows: list[dict[str, str]]) -> str:
    """Rows as CSV text with the first row's columns (the demo file, tests)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
