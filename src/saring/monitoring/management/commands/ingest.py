"""`saring ingest PATH --format F [--captured-at WHEN] [--json]`: import a platform export or API
dump. `--captured-at` says when the export was taken, for records that carry no observation time
of their own (default: the file's modification time), so an old export keeps its virality."""

from __future__ import annotations

import json as jsonlib
import sys
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from saring.monitoring.progress import ProgressBar
from saring.monitoring.services.ingest import ingest_file
from saring.sources.records import SourceError
from saring.sources.registry import FORMATS

WIB = ZoneInfo("Asia/Jakarta")


class Command(BaseCommand):
    help = "Import posts from a file. Bad records go to quarantine; re-running never duplicates."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            required=True,
            choices=sorted(FORMATS),
            help="Input format (see docs/formats.md).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print a JSON summary (read, created, updated, quarantined, "
            "seconds) instead of text.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--captured-at",
            metavar="WHEN",
            help="When the export was taken (ISO 8601, e.g. 2024-02-20T10:00; no offset: WIB), "
            "for records without their own observation time. Default: the file's "
            "modification time.",
        )

    def handle(self, *args, path: Path, format: str, json: bool, no_progress: bool, **options):
        captured_at = _captured_at(options.get("captured_at"))
        show_bar = not no_progress and sys.stderr.isatty()
        bar = ProgressBar(sys.stderr, label=path.name) if show_bar else None
        try:
            summary = ingest_file(
                path, format, progress=bar.update if bar else None, captured_at=captured_at
            )
        except SourceError as error:
            raise CommandError(str(error)) from error
        finally:
            if bar:
                bar.close()
        result = {k: v for k, v in summary.as_dict().items() if k != "run_id"}
        if json:
            self.stdout.write(_json_dumps(result))
            return
        self.stdout.write(
            f"{path}: read {summary.read:,}, created {summary.created:,}, "
            f"updated {summary.updated:,}, unchanged {summary.unchanged:,}, "
            f"quarantined {summary.quarantined:,} in {summary.seconds:.1f} s"
        )
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))
        if summary.quarantined:
            self.stdout.write("See the quarantine: saring quarantine list")


def _captured_at(value: str | None) -> datetime | None:
    """`--captured-at` as an aware datetime; a time without an offset is WIB, as in exports."""
    if not value:
        return None
    text = value.strip()
    try:
        when = parse_datetime(text) or (
            datetime.combine(day, time(12, 0)) if (day := parse_date(text)) else None
        )
    except ValueError:  # well formed but impossible (month 13)
        when = None
    if when is None:
        raise CommandError(f"--captured-at: {value!r} is not a date (ISO 8601: 2024-02-20T10:00)")
    if timezone.is_naive(when):
        when = when.replace(tzinfo=WIB)
    if when > timezone.now() + timedelta(days=1):
        raise CommandError(f"--captured-at: {value!r} is in the future")
    return when


def _json_dumps(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
