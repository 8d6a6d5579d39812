"""`saring clarifications import|export|retune|autolink`: fact-checks in and out as ClaimReview,
CSV, articles; the match thresholds re-tuned from reviewers' decisions; waiting suggestions at or
above the auto threshold in force linked (which every re-tune also does)."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saring.factcheck.imports import FORMATS, import_clarifications
from saring.factcheck.models import Clarification
from saring.factcheck.services import claimreview_document
from saring.sources.records import SourceError


class Command(BaseCommand):
    help = "Import clarifications (ClaimReview JSON-LD, CSV, TurnBackHoax-style article) or "
    help += "export the published ones as ClaimReview JSON-LD; or re-tune the match thresholds "
    help += "from reviewers' decisions."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export", "retune", "autolink"])
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
        if action == "retune":
            from saring.factcheck.calibration import retune_thresholds

            result = retune_thresholds()
            if json:
                self.stdout.write(
                    _dumps(
                        {
                            "matcher_version": result.version,
                            "decisions": result.decisions,
                            "accepted": result.accepted,
                            "before": result.before.to_dict(),
                            "after": result.after.to_dict(),
                            "auto_linked": result.auto_linked,
                        }
                    )
                )
                return
            self.stdout.write(
                f"{result.version}: {result.decisions} reviewer decisions "
                f"({result.accepted} confirmed)\n"
                f"  before: {_show(result.before)}\n  after:  {_show(result.after)}\n"
                f"  {result.auto_linked} waiting suggestions at or above it linked"
            )
            return
        if action == "autolink":
            from saring.factcheck.calibration import (
                auto_link_policy,
                auto_link_suggestions,
                latest_version,
            )

            version = latest_version()
            linked = auto_link_suggestions(version)
            policy = auto_link_policy(version)
            summary = {
                "matcher_version": version,
                "auto": policy.auto,
                "precision": policy.precision,
                "measured_on": policy.measured_on,
                "linked": linked,
            }
            if json:
                self.stdout.write(_dumps(summary))
            else:
                self.stdout.write(
                    f"{version or 'no matches yet'}: {linked} waiting suggestions linked at "
                    f"score >= {policy.auto if policy.auto is not None else 'never'} "
                    f"(precision {policy.precision}, measured on {policy.measured_on})"
                )
            return
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
            f"updated {summary.updated}, quarantined {summary.rejected}"
            + (
                f" (and {summary.already_quarantined} already in the quarantine)"
                if summary.already_quarantined
                else ""
            )
        )
        if summary.rejected:
            self.stdout.write(
                f"Quarantined items: saring quarantine list --run {summary.run_id} "
                "(fix, then saring quarantine retry)"
            )
        for error in summary.errors:
            self.stderr.write(error)
        for warning in summary.warnings:
            self.stderr.write(self.style.WARNING(warning))


def _show(thresholds) -> str:
    auto = thresholds.to_dict()["auto"]
    return f"auto {'never' if auto is None else f'{auto:.3f}'}, suggest {thresholds.suggest:.3f}"


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)
