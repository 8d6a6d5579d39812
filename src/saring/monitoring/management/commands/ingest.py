"""`saring ingest PATH --format F [--json]`: import a platform export or API dump."""

from __future__ import annotations

import json as jsonlib
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saring.monitoring.progress import ProgressBar
from saring.monitoring.services.ingest import ingest_file
from saring.sources.records import SourceError
from saring.sources.registry import FORMATS


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

    def handle(self, *args, path: Path, format: str, json: bool, no_progress: bool, **options):
        show_bar = not no_progress and sys.stderr.isatty()
        bar = ProgressBar(sys.stderr, label=path.name) if show_bar else None
        try:
            summary = ingest_file(path, format, progress=bar.update if bar else None)
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


def _json_dumps(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
