"""`saring worker`: run background jobs (imports, re-scoring) from the database queue.

On start it closes import runs left running by a process that is gone (`saring imports
close-stranded`)."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

from saring.monitoring.services.runs import close_stranded


class Command(BaseCommand):
    help = "Run the background worker (django-tasks database backend). Start one per CPU."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Process what is queued, then exit (for cron or tests).",
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls of the queue."
        )

    def handle(self, *args, batch: bool, interval: float, **options):
        # A run whose worker was killed would stay "running" for ever: close it first.
        closed = close_stranded()
        if closed:
            self.stderr.write(str(closed))
        call_command(
            "db_worker", batch=batch, interval=interval, verbosity=options.get("verbosity", 1)
        )
