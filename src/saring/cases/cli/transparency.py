"""`saring cases transparency [--csv FILE | --xlsx FILE] [--month YYYY-MM | --from M --to M]
[--group-by month,region,…] [--province CODE]`: the transparency figures (counts only, no
personal data), national unless --province."""

from __future__ import annotations

from django.core.management.base import CommandError

HELP = "Transparency figures per region, category, platform and month (CSV/XLSX)."


def add_arguments(parser) -> None:
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help="write CSV to FILE (- for standard output)")
    out.add_argument("--xlsx", metavar="FILE", help="write an XLSX workbook to FILE")
    parser.add_argument("--month", metavar="YYYY-MM", help="one month")
    parser.add_argument("--from", dest="month_from", metavar="YYYY-MM", help="first month")
    parser.add_argument("--to", dest="month_to", metavar="YYYY-MM", help="last month")
    parser.add_argument(
        "--group-by",
        default="month,region",
        help="comma-separated: month, region, category, platform (default month,region)",
    )
    parser.add_argument("--province", metavar="CODE", help="regencies of one province")


def handle(command, options: dict) -> None:
    from saring.accounts.scope import SYSTEM
    from saring.cases.services import transparency as t

    try:
        start = end = t.parse_month(options["month"]) if options["month"] else None
        if options["month_from"]:
            start = t.parse_month(options["month_from"])
        if options["month_to"]:
            end = t.parse_month(options["month_to"])
        if start and not end:
            end = t.default_period()[1]
        if end and not start:
            start = end
        group_by = [g.strip() for g in options["group_by"].split(",") if g.strip()]
        result = t.figures(
            SYSTEM, start=start, end=end, group_by=group_by, province=options["province"]
        )
    except t.FiguresError as error:
        raise CommandError(str(error)) from None
    if options["xlsx"]:
        t.to_xlsx(result, options["xlsx"])
        command.stdout.write(f"{len(result.rows)} row(s) written to {options['xlsx']}")
        return
    text = t.to_csv(result)
    if options["csv"] and options["csv"] != "-":
        with open(options["csv"], "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        command.stdout.write(f"{len(result.rows)} row(s) written to {options['csv']}")
        return
    command.stdout.write(text, ending="")
