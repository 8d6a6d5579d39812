"""CSV/XLSX batches for platforms whose portal takes uploads: one row per content item.

Nothing is sent on its own: the escalation waits (queued) until a handler downloads the
channel's batch (services.escalation.take_batch), which marks it sent with the batch id."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from saring.cases import categories
from saring.cases.channels.base import Deliverer, DeliveryResult, explanation, register

COLUMNS = (
    "reference",
    "url",
    "canonical_url",
    "platform_id",
    "category",
    "legal_bases",
    "explanation",
    "deadline",
    "urgent",
    "packet_sha256",
)
FORMATS = ("csv", "xlsx")


@register
class BatchDeliverer(Deliverer):
    kind = "batch"

    def deliver(self, escalation) -> DeliveryResult:
        return DeliveryResult(False, deferred=True)


def _safe(value: str) -> str:
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def rows(escalations: Iterable) -> list[list[str]]:
    out = []
    for escalation in escalations:
        case = escalation.case
        bases = "; ".join(b.citation for b in case.bases.all())
        why = explanation(escalation)
        category = f"{case.category} ({categories.label(case.category)})"
        for item in case.items.all():
            out.append(
                [
                    escalation.reference,
                    item.url,
                    item.canonical_url,
                    item.content_id,
                    category,
                    bases,
                    why,
                    escalation.due_at.isoformat() if escalation.due_at else "",
                    "yes" if escalation.urgent else "no",
                    escalation.packet_sha256,
                ]
            )
    return out


def write(escalations: Iterable, fmt: str) -> bytes:
    """The batch file's bytes (UTF-8 CSV with a BOM for spreadsheet programs, or XLSX)."""
    table = rows(escalations)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerows([[_safe(cell) for cell in row] for row in table])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    if fmt == "xlsx":
        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet("escalations")
        bold = book.add_format({"bold": True})
        sheet.write_row(0, 0, COLUMNS, bold)
        for n, row in enumerate(table, start=1):
            for col, cell in enumerate(row):
                sheet.write_string(n, col, cell)
        sheet.freeze_panes(1, 0)
        book.close()
        return buffer.getvalue()
    raise ValueError(f"unknown batch format {fmt!r}; use csv or xlsx")
