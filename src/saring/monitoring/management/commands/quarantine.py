"""`saring quarantine list|show|retry|discard`: inspect and re-run records imports set aside.

Commands act as the system (a national administrator of every kind). `show` prints each raw
record whole; `retry` re-parses the stored payload unless `--payload-file` gives a fix."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saring.accounts.scope import SYSTEM
from saring.monitoring.models import QuarantinedRecord
from saring.monitoring.services import quarantine


class Command(BaseCommand):
    help = "Inspect, retry (after a fix or an upgrade) or discard quarantined records."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["list", "show", "retry", "discard"])
        parser.add_argument("--run", type=int, help="Only records of this import run.")
        parser.add_argument(
            "--id", type=int, action="append", dest="ids", help="Only this record (repeatable)."
        )
        parser.add_argument(
            "--payload-file",
            help="retry: use this file's content as the fixed raw record (needs exactly one --id).",
        )

    def handle(
        self,
        *args,
        action: str,
        run: int | None,
        ids: list[int] | None,
        payload_file: str | None,
        **options,
    ):
        records = QuarantinedRecord.objects.select_related("run").filter(
            status=QuarantinedRecord.Status.OPEN
        )
        if run:
            records = records.filter(run_id=run)
        if ids:
            records = records.filter(id__in=ids)
        if action == "list":
            for r in records:
                self.stdout.write(
                    f"#{r.id}\t{r.run.file_name}\t{r.location}\t{r.field or '-'}\t{r.reason}"
                )
            self.stdout.write(f"{records.count()} open record(s)")
        elif action == "show":
            for r in records:
                self.stdout.write(
                    f"#{r.id} {r.run.file_name} {r.location}: {r.reason}\n{r.payload}\n"
                )
        elif action == "retry":
            payload = None
            if payload_file:
                if not ids or len(ids) != 1:
                    raise CommandError("--payload-file needs exactly one --id")
                with open(payload_file, encoding="utf-8") as handle:
                    payload = handle.read()
            summary = quarantine.retry(list(records), payload=payload, scope=SYSTEM)
            self.stdout.write(f"imported {summary.read}, still quarantined {summary.quarantined}")
        else:
            if not ids and not run:
                raise CommandError("discard needs --id or --run, so nothing goes by accident")
            self.stdout.write(f"discarded {quarantine.discard(list(records), scope=SYSTEM)}")
