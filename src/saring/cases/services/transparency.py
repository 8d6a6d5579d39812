"""Transparency figures (in the spirit of the DSA transparency reports and Lumen): per region,
category, platform and month, how many reports and cases came in, how many were valid,
escalated and acted on by the platform, the median time to the platform's decision, and how
many are overdue now.

Only counts and the codes and names of regions, categories and platforms: never a reporter, an
officer, a title or a URL. Within the caller's scope (handlers: their region down the hierarchy).

Definitions:
- a case counts in the month it was opened (local time), a report in the month it came in;
  drafts (proposals nobody accepted) and merged cases (duplicates) are left out;
- platform: the platform of the case's content; a case with content on two platforms counts
  once under each (so platform rows can add up to more than the total);
- valid: triaged as a violation; escalated: sent to a platform or Komdigi at least once;
  actioned: at least one decision other than "no action";
- median hours to decision: from an escalation's creation to its first decision;
- overdue: open cases past their follow-up or platform deadline at the time of the query.

Counting is done by the database (values().annotate()); only the medians are computed here,
over one row per decided escalation.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Case as DbCase
from django.db.models import CharField, Count, Exists, F, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saring.accounts.scope import Scope
from saring.cases import categories
from saring.cases.models import Case, Decision, Escalation, Report
from saring.cases.querysets import handler, region_q
from saring.cases.services.reminders import overdue_q
from saring.regions.models import Province, Regency

DIMENSIONS = ("month", "region", "category", "platform")
COUNTS = ("reports", "cases", "valid", "escalated", "actioned", "overdue")
LEFT_OUT = ("draft", "merged")
PLATFORM_NAMES = {
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "facebook": "Facebook",
    "youtube": "YouTube",
    "x": "X",
    "threads": "Threads",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "other": "Other site",
}
LABELS = {
    "period_start": _("Period from"),
    "period_end": _("Period to"),
    "month": _("Month"),
    "region_code": _("Region code"),
    "region_name": _("Region"),
    "category_code": _("Category code"),
    "category_name": _("Category"),
    "platform": _("Platform"),
    "reports": _("Reports received"),
    "cases": _("Cases"),
    "valid": _("Valid"),
    "escalated": _("Escalated"),
    "actioned": _("Actioned by the platform"),
    "decisions": _("Decisions"),
    "median_hours_to_decision": _("Median hours to decision"),
    "overdue": _("Overdue now"),
}


class FiguresError(ValueError):
    """A month or grouping that cannot mean anything (the message names it)."""


def parse_month(text: str) -> date:
    """ "2024-02" → date(2024, 2, 1)."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise FiguresError(f"not a month (YYYY-MM): {text!r}") from None


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def default_period(now: datetime | None = None) -> tuple[date, date]:
    """The last twelve months, the current one included."""
    today = timezone.localdate(now) if now else timezone.localdate()
    end = today.replace(day=1)
    start = date(end.year - 1, end.month, 1)
    return _next_month(start), end


@dataclass
class Row:
    key: dict[str, str]
    names: dict[str, str]
    reports: int = 0
    cases: int = 0
    valid: int = 0
    escalated: int = 0
    actioned: int = 0
    overdue: int = 0
    decisions: int = 0
    median_hours_to_decision: float | None = None


@dataclass
class Figures:
    start: date
    end: date
    group_by: tuple[str, ...]
    region_level: str  # "province" or "regency"
    rows: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row({}, {}))

    @property
    def period(self) -> tuple[str, str]:
        return f"{self.start:%Y-%m}", f"{self.end:%Y-%m}"

    def columns(self) -> list[str]:
        columns = ["period_start", "period_end"]
        for dimension in self.group_by:
            columns += {
                "month": ["month"],
                "region": ["region_code", "region_name"],
                "category": ["category_code", "category_name"],
                "platform": ["platform"],
            }[dimension]
        return [*columns, *COUNTS, "decisions", "median_hours_to_decision"]

    def records(self) -> list[dict]:
        """Rows as {column: value} (the exports' and the page's shape)."""
        start, end = self.period
        out = []
        for row in self.rows:
            record = {"period_start": start, "period_end": end}
            record.update(
                {
                    "month": row.key.get("month", ""),
                    "region_code": row.key.get("region", ""),
                    "region_name": row.names.get("region", ""),
                    "category_code": row.key.get("category", ""),
                    "category_name": row.names.get("category", ""),
                    "platform": row.names.get("platform", ""),
                }
            )
            record.update({name: getattr(row, name) for name in COUNTS})
            record["decisions"] = row.decisions
            record["median_hours_to_decision"] = row.median_hours_to_decision
            out.append({column: record[column] for column in self.columns()})
        return out


def _months(start: date, end: date) -> list[date]:
    months = [start]
    while months[-1] < end:
        months.append(_next_month(months[-1]))
    return months


def month_of(field_name: str, start: date, end: date) -> DbCase:
    """The local month ("YYYY-MM") of a time, as plain range comparisons: SQLite's TruncMonth
    with a time zone calls back into Python for every row (seconds at 100,000 cases)."""
    whens = [
        When(
            **{
                f"{field_name}__gte": _local_start(month),
                f"{field_name}__lt": _local_start(_next_month(month)),
            },
            then=Value(f"{month:%Y-%m}"),
        )
        for month in _months(start, end)
    ]
    return DbCase(*whens, default=Value(""), output_field=CharField())


def _dimension_expressions(
    group_by, region_level: str, start: date, end: date, prefix: str = ""
) -> dict:
    region = f"{prefix}{region_level}_id"
    expressions = {
        "month": month_of(f"{prefix}created_at", start, end),
        "region": F(region),
        "category": F(f"{prefix}category"),
        "platform": F(f"{prefix}items__platform"),
    }
    return {f"d_{name}": expressions[name] for name in group_by}


def _key(values: dict, group_by) -> tuple:
    parts = []
    for name in group_by:
        value = values.get(f"d_{name}")
        parts.append("" if value is None else str(value))
    return tuple(parts)


def _case_q(scope: Scope, province: str | None, prefix: str = "") -> Q:
    """The cases counted (visible to `scope`, not drafts or duplicates, in `province`), as
    conditions on a `prefix`-joined case."""
    if handler(scope):
        q = region_q(scope, prefix)
    else:
        q = Q(**{f"{prefix}pk__in": Case.objects.visible_to(scope).values("pk")})
    q &= ~Q(**{f"{prefix}state__in": LEFT_OUT})
    if province:
        q &= Q(**{f"{prefix}province_id": province})
    return q


def base_cases(scope: Scope, start: date, end: date, province: str | None = None) -> QuerySet[Case]:
    return Case.objects.filter(
        _case_q(scope, province),
        created_at__gte=_local_start(start),
        created_at__lt=_local_start(_next_month(end)),
    )


def figures(
    scope: Scope,
    *,
    start: date | None = None,
    end: date | None = None,
    group_by: tuple[str, ...] | list[str] = ("month", "region"),
    province: str | None = None,
    language: str = "id",
    now: datetime | None = None,
) -> Figures:
    """The figures of `scope`'s cases opened from month `start` to month `end` (inclusive),
    grouped by `group_by` (any of DIMENSIONS, in that order). Regions are provinces, or the
    regencies of `province` (or of the scope's own province)."""
    now = now or timezone.now()
    default_start, default_end = default_period(now)
    start, end = start or default_start, end or default_end
    if start > end:
        raise FiguresError(f"the period starts ({start:%Y-%m}) after it ends ({end:%Y-%m})")
    unknown = [name for name in group_by if name not in DIMENSIONS]
    if unknown:
        raise FiguresError(f"cannot group by {', '.join(unknown)}")
    group_by = tuple(name for name in DIMENSIONS if name in group_by)
    province = province or scope.province_code
    region_level = "regency" if province else "province"
    result = Figures(start, end, group_by, region_level)
    cases = base_cases(scope, start, end, province)
    dims = _dimension_expressions(group_by, region_level, start, end)
    # Joins to items (platform) repeat a case per item: count distinct ids.
    distinct = "platform" in group_by
    acted = Decision.objects.filter(escalation__case=OuterRef("pk")).exclude(
        visibility=Decision.Visibility.NO_ACTION
    )
    counted = (
        cases.annotate(acted=Exists(acted))
        .order_by()
        .values(**dims)
        .annotate(
            n_cases=Count("id", distinct=distinct),
            n_valid=Count("id", filter=Q(is_valid=True), distinct=distinct),
            n_escalated=Count("id", filter=Q(escalated_at__isnull=False), distinct=distinct),
            n_actioned=Count("id", filter=Q(acted=True), distinct=distinct),
            n_overdue=Count("id", filter=overdue_q(now), distinct=distinct),
        )
    )
    rows: dict[tuple, Row] = {}

    def row_for(values: dict) -> Row:
        key = _key(values, group_by)
        if key not in rows:
            rows[key] = Row(dict(zip(group_by, key, strict=True)), {})
        return rows[key]

    for values in counted:
        row = row_for(values)
        row.cases, row.valid = values["n_cases"], values["n_valid"]
        row.escalated, row.actioned = values["n_escalated"], values["n_actioned"]
        row.overdue = values["n_overdue"]

    # Joins with the conditions on the case, not `case__in=(subquery)`: twice as fast on SQLite.
    reports = Report.objects.filter(
        _case_q(scope, province, "case__"),
        created_at__gte=_local_start(start),
        created_at__lt=_local_start(_next_month(end)),
    )
    report_dims = _dimension_expressions(group_by, region_level, start, end, "case__")
    if "month" in group_by:  # a report counts in the month it came in
        report_dims["d_month"] = month_of("created_at", start, end)
    for values in (
        reports.order_by().values(**report_dims).annotate(n=Count("id", distinct=distinct))
    ):
        row_for(values).reports = values["n"]

    durations: dict[tuple, list[float]] = defaultdict(list)
    all_durations: list[float] = []
    decided = (
        Escalation.objects.filter(
            _case_q(scope, province, "case__"),
            case__created_at__gte=_local_start(start),
            case__created_at__lt=_local_start(_next_month(end)),
        )
        .order_by()
        .values(
            "pk",
            "created_at",
            **_dimension_expressions(group_by, region_level, start, end, "case__"),
        )
        .annotate(first=Min("decisions__decided_at"))
        .filter(first__isnull=False)
    )
    seen: set[int] = set()
    for values in decided:
        hours = max((values["first"] - values["created_at"]).total_seconds() / 3600, 0.0)
        durations[_key(values, group_by)].append(hours)
        if values["pk"] not in seen:
            seen.add(values["pk"])
            all_durations.append(hours)
    for key, hours in durations.items():
        row = rows.setdefault(key, Row(dict(zip(group_by, key, strict=True)), {}))
        row.decisions = len(hours)
        row.median_hours_to_decision = round(statistics.median(hours), 1)

    _name_rows(rows.values(), region_level, language)
    result.rows = sorted(rows.values(), key=lambda r: tuple(r.key.get(n, "") for n in group_by))
    result.total = _total(cases, reports, now, all_durations)
    return result


def _total(cases, reports, now, durations: list[float]) -> Row:
    acted = Decision.objects.filter(escalation__case=OuterRef("pk")).exclude(
        visibility=Decision.Visibility.NO_ACTION
    )
    totals = cases.annotate(acted=Exists(acted)).aggregate(
        n_cases=Count("id"),
        n_valid=Count("id", filter=Q(is_valid=True)),
        n_escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        n_actioned=Count("id", filter=Q(acted=True)),
        n_overdue=Count("id", filter=overdue_q(now)),
    )
    return Row(
        {},
        {},
        reports=reports.count(),
        cases=totals["n_cases"],
        valid=totals["n_valid"],
        escalated=totals["n_escalated"],
        actioned=totals["n_actioned"],
        overdue=totals["n_overdue"],
        decisions=len(durations),
        median_hours_to_decision=round(statistics.median(durations), 1) if durations else None,
    )


def _name_rows(rows, region_level: str, language: str) -> None:
    rows = list(rows)
    codes = {row.key.get("region") for row in rows if row.key.get("region")}
    model = Regency if region_level == "regency" else Province
    region_names = dict(model.objects.filter(pk__in=codes).values_list("pk", "name"))
    category_names = dict(categories.choices(language))
    for row in rows:
        if "region" in row.key:
            code = row.key["region"]
            row.names["region"] = region_names.get(code, "") if code else str(_("No region"))
        if "category" in row.key:
            code = row.key["category"]
            row.names["category"] = category_names.get(code, code) if code else ""
        if "platform" in row.key:
            code = row.key["platform"]
            row.names["platform"] = PLATFORM_NAMES.get(code, code)


# Exports --------------------------------------------------------------------------------------


def _cell(value):
    """Spreadsheets run a text cell that starts with = + - @ as a formula: defuse it."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return "" if value is None else value


def to_csv(result: Figures) -> str:
    """Header row of stable column keys; every row carries the period."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = result.columns()
    writer.writerow(columns)
    for record in result.records():
        writer.writerow([_cell(record[c]) for c in columns])
    return out.getvalue()


def to_xlsx(result: Figures, target) -> None:
    """An XLSX workbook into `target` (a path or a binary file object): the period on the first
    line, a worded header, the rows, a total line."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet(str(_("Figures"))[:31])
    bold = workbook.add_format({"bold": True})
    start, end = result.period
    sheet.write(0, 0, str(_("Saring transparency figures")), bold)
    sheet.write(0, 2, f"{LABELS['period_start']}: {start}")
    sheet.write(0, 4, f"{LABELS['period_end']}: {end}")
    columns = result.columns()
    for col, name in enumerate(columns):
        sheet.write(1, col, str(LABELS.get(name, name)), bold)
        sheet.set_column(col, col, 22 if name.endswith("_name") else 14)
    records = result.records()
    for r, record in enumerate(records, start=2):
        for col, name in enumerate(columns):
            sheet.write(r, col, _cell(record[name]))
    total_row = len(records) + 2
    sheet.write(total_row, 0, str(_("Total")), bold)
    for col, name in enumerate(columns):
        if name in COUNTS or name in {"decisions", "median_hours_to_decision"}:
            sheet.write(total_row, col, _cell(getattr(result.total, name)), bold)
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(total_row - 1, 1), len(columns) - 1)
    workbook.close()
