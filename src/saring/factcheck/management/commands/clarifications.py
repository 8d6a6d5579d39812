"""`saring clarifications import|export`: fact-checks in and out as ClaimReview, CSV, articles."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saring.factcheck.models import Clarification
from saring.factcheck.services import FORMATS, claimreview_document, import_clarifications
from saring.sources.records import SourceError


class Command(BaseCommand):
    help = "Import clarifications (ClaimReview JSON-LD, CSV, TurnBackHoax-style article) or "
    help += "export the published ones as ClaimReview JSON-LD."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument("path", nargs="?", type=Path)
        parser.add_argument("--format", choices=FORMATS, default="claimreview")
        parser.add_argument(
            "--publish", action="store_true", help="Publish what is imported (default: drafts)."
        )
        parser.add_argument("--json", action="store_true")

    def handle(
        self,
        *args,
        action: str,
        path: Path | None,
        format: str,
        publish: bool,
        json: bool,
        **options,
    ):
        if action == "export":
            published = Clarification.objects.filter(status="published").select_related("claim")
            text = _dumps(claimreview_document(published))
            if path:
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"{published.count()} clarifications written to {path}")
            else:
                self.stdout.write(text)
            return
        if path is None:
            raise CommandError("import needs a PATH")
        try:
            summary = import_clarifications(path, format, publish=publish)
        except SourceError as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(_dumps(summary.as_dict()))
            return
        self.stdout.write(
            f"{path}: read {summary.read}, created {summary.created}, "
            f"updated {summary.updated}, rejected {summary.rejected}"
        )
        for error in summary.errors:
            self.stderr.write(error)


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
