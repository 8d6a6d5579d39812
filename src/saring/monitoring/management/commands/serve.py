"""`saring serve`: migrate, start a background worker, and serve the web interface.

The worker is a child process that never outlives the server: it is stopped when the server
stops, whether by Ctrl+C (SIGINT), SIGTERM or SIGHUP (a closed terminal), and on Linux the kernel
also sends it SIGTERM if the server dies without a chance to clean up (SIGKILL, a crash).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import signal
import subprocess
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from saring.monitoring.services.runs import close_stranded

STOP_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s
)
WORKER_GRACE_SECONDS = 10  # a job in progress gets this long to finish before it is killed
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>


class ServerStopped(SystemExit):
    """Raised in the main thread by a stop signal, so `finally` blocks run."""


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, a function for `preexec_fn` that asks the kernel to SIGTERM the child when its
    parent dies; None elsewhere (there the signal handlers below are the only guard)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)

    return preexec


def start_worker() -> subprocess.Popen:
    # preexec_fn is safe here: the server starts no thread before the worker.
    return subprocess.Popen(
        [sys.executable, "-m", "saring", "worker"], preexec_fn=_die_with_parent()
    )


def stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # the worker finishes its current job, then exits
    try:
        worker.wait(timeout=WORKER_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@contextlib.contextmanager
def stop_on_signals():
    """Turn SIGTERM/SIGHUP into an exception (Python's default is to die without cleaning up)."""

    def handler(signum, frame):
        raise ServerStopped(128 + signum)

    previous = {s: signal.signal(s, handler) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


class Command(BaseCommand):
    help = (
        "Serve Saring on one machine: applies migrations, starts a worker process for "
        "background jobs, and runs the web server; Ctrl+C or SIGTERM stops both. For "
        "production use gunicorn (docs/operator.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a worker (run `saring worker` yourself).",
        )

    def handle(self, *args, addrport: str, no_worker: bool, **options):
        with stop_on_signals():
            call_command("migrate", interactive=False, verbosity=0)
            closed = close_stranded()  # runs a killed process left "running"
            if closed:
                self.stderr.write(str(closed))
            worker = None
            immediate = "Immediate" in settings.TASKS["default"]["BACKEND"]
            if not no_worker and not immediate:
                worker = start_worker()
            host, _, port = addrport.rpartition(":")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Saring is running: open http://{host or '127.0.0.1'}:{port}/ "
                    "(Ctrl+C to stop the server and its worker)"
                )
            )
            try:
                call_command("runserver", addrport, use_reloader=False, use_threading=True)
            except (KeyboardInterrupt, ServerStopped):
                pass  # a normal stop: no traceback
            finally:
                if worker is not None:
                    stop_worker(worker)
