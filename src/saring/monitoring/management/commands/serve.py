"""`saring serve`: migrate, start a background worker, and serve the web interface."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from saring.monitoring.services.runs import close_stranded


class Command(BaseCommand):
    help = (
        "Serve Saring on one machine: applies migrations, starts a worker process for "
        "background jobs, and runs the web server. For production use gunicorn "
        "(docs/operator.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a worker (run `saring worker` yourself).",
        )

    def handle(self, *args, addrport: str, no_worker: bool, **options):
        call_command("migrate", interactive=False, verbosity=0)
        closed = close_stranded()  # runs a killed process left "running"
        if closed.runs:
            self.stderr.write(str(closed))
        worker = None
        immediate = "Immediate" in settings.TASKS["default"]["BACKEND"]
        if not no_worker and not immediate:
            worker = subprocess.Popen([sys.executable, "-m", "saring", "worker"])
        host, _, port = addrport.rpartition(":")
        self.stdout.write(
            self.style.SUCCESS(
                f"Saring is running: open http://{host or '127.0.0.1'}:{port}/ (Ctrl+C to stop)"
            )
        )
        try:
            call_command("runserver", addrport, use_reloader=False, use_threading=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
