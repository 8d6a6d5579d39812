"""`saring imports close-stranded [--idle-minutes N] [--json]`: end import runs left running.

A run is stranded when the process that ran it is gone (killed, the machine restarted) or it
has not made progress for N minutes (default 30): it is marked failed with the reason
"interrupted", with an IMPORT_CLOSED audit event. `saring serve` and `saring worker` do this
when they start; run it yourself after a crash of a worker on another machine.
"""

from __future__ import annotations

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from saring.monitoring.services.runs import IDLE_MINUTES, close_stranded


class Command(BaseCommand):
    help = (
        "Close import runs left 'running' by a process that is gone or that has not made "
        "progress for --idle-minutes (marked failed: interrupted)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["close-stranded"])
        parser.add_argument(
            "--idle-minutes",
            type=float,
            default=IDLE_MINUTES,
            help=f"A run without progress for this long is stranded (default {IDLE_MINUTES}).",
        )
        parser.add_argument(
            "--json",
            action="store_true",
            help="Print {'closed': [run ids], 'rescores': [watchlist ids], "
            "'registry_imports': [known-accounts import ids]}.",
        )

    def handle(self, *args, action: str, idle_minutes: float, json: bool, **options):
        if idle_minutes <= 0:
            raise CommandError("--idle-minutes must be above 0")
        closed = close_stranded(idle_minutes)
        if json:
            result = {
                "closed": closed.runs,
                "rescores": closed.rescores,
                "registry_imports": closed.registry_imports,
            }
            self.stdout.write(jsonlib.dumps(result))
        else:
            self.stdout.write(str(closed))
