"""`saring serve`: migrate, start a background worker, and serve the web interface with granian.

Granian (a Rust HTTP server) runs Django over WSGI and serves the built public guide
(SARING_GUIDE_DIR) at /panduan/ itself, from Rust, without a Python call per request: the
guide must hold on voting day on one small machine. Granian opens the mount path at start,
so the site build swaps directories with renameat2(RENAME_EXCHANGE): the same path, new files.

Two children, neither of which outlives the server: the worker and granian (which has its own
worker processes). They are stopped when the server stops, whether by Ctrl+C (SIGINT), SIGTERM
or SIGHUP (a closed terminal), and on Linux the kernel also sends them SIGTERM if the server dies
without a chance to clean up (SIGKILL, a crash). If granian stops on its own (the port is taken,
a crash), the worker is stopped too and the command fails.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from saring.monitoring.services.runs import close_stranded

STOP_SIGNALS = tuple(
    s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s
)
WORKER_GRACE_SECONDS = 10  # a job in progress gets this long to finish before it is killed
SERVER_GRACE_SECONDS = 10  # requests in flight get this long before granian is killed
WEB_THREADS = 16  # Django threads per web process: each may hold a database connection
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
GUIDE_ROUTE = "/panduan"  # no trailing slash: granian's route is a prefix match
GUIDE_EXPIRES_SECONDS = 60  # browsers and CDNs re-check a guide file after a minute
MAX_DEFAULT_WEB_WORKERS = 8  # each one is a Django process (~100 MB)


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
    # preexec_fn is safe here: the server starts no thread before its children.
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


def split_addrport(addrport: str) -> tuple[str, int]:
    """`8000`, `0.0.0.0:8000`, `[::1]:8000` → (host, port); the host defaults to 127.0.0.1."""
    host, _, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"not a port: {addrport!r} (write HOST:PORT or PORT)")
    return host, int(port)


def default_web_workers() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_WEB_WORKERS))


def granian_argv(
    host: str,
    port: int,
    guide_dir: Path,
    *,
    workers: int,
    python: str = sys.executable,
    app: str = "saring.wsgi:application",
) -> list[str]:
    """The command line of Saring's web server. Measured on a 2-core machine (`saring bench
    guide`, docs/operator.md "Serving the public guide"): one process per core with
    single-threaded runtimes, HTTP/1 only and no websockets is granian's fastest here."""
    return [
        python,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--runtime-mode",
        "st",
        "--http",
        "1",  # h2 would only matter without a TLS proxy in front; HTTP/1 is measurably faster
        "--no-ws",  # Saring has no websockets
        "--blocking-threads",
        str(WEB_THREADS),
        "--static-path-route",
        GUIDE_ROUTE,
        "--static-path-mount",
        str(guide_dir),
        "--static-path-dir-to-file",
        "index.html",
        "--static-path-expires",
        str(GUIDE_EXPIRES_SECONDS),
        app,
    ]


def start_server(argv: list[str]) -> subprocess.Popen:
    # Its own process group, so a granian that hangs on the way down (seen when stopped while
    # its processes still start) is killed with its processes, none left behind.
    kwargs = {} if sys.platform == "win32" else {"process_group": 0}
    return subprocess.Popen(argv, preexec_fn=_die_with_parent(), **kwargs)  # noqa: S603


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=SERVER_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        if sys.platform == "win32":
            server.kill()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@contextlib.contextmanager
def signals_ignored():
    """While the children are being stopped: a second Ctrl+C or SIGTERM (a service manager and
    a terminal both signalling) must not cut the cleanup short and orphan them."""
    names = ("SIGINT", *(s.name for s in STOP_SIGNALS))
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (getattr(signal, n) for n in names)}
    try:
        yield
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


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
        "background jobs, and runs the web server (granian; the public guide's files at "
        "/panduan/ straight from SARING_GUIDE_DIR); Ctrl+C or SIGTERM stops both."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start a worker (run `saring worker` yourself).",
        )
        parser.add_argument(
            "--web-workers",
            type=int,
            default=None,
            help="Web server processes (default: one per core, at most 8).",
        )

    def handle(self, *args, addrport: str, no_worker: bool, web_workers: int | None, **options):
        host, port = split_addrport(addrport)
        guide_dir = Path(settings.SARING_GUIDE_DIR)
        with stop_on_signals():
            call_command("migrate", interactive=False, verbosity=0)
            closed = close_stranded()  # runs a killed process left "running"
            if closed:
                self.stderr.write(str(closed))
            # Granian refuses a mount that does not exist; an empty one answers 404 until the
            # first `saring guide build`.
            guide_dir.mkdir(parents=True, exist_ok=True)
            argv = granian_argv(
                host, port, guide_dir, workers=max(1, web_workers or default_web_workers())
            )
            worker = server = None
            immediate = "Immediate" in settings.TASKS["default"]["BACKEND"]
            shown = f"[{host}]" if ":" in host else host
            code = 0
            try:
                if not no_worker and not immediate:
                    worker = start_worker()
                server = start_server(argv)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Saring is running: open http://{shown}:{port}/ (public guide: "
                        f"http://{shown}:{port}{GUIDE_ROUTE}/; Ctrl+C to stop the server and "
                        "its worker)"
                    )
                )
                self.stdout.flush()
                code = server.wait()
            except (KeyboardInterrupt, ServerStopped):
                pass  # a normal stop: no traceback
            finally:
                with signals_ignored():
                    if server is not None:
                        stop_server(server)
                    if worker is not None:
                        stop_worker(worker)
            if code not in (0, -signal.SIGINT, -signal.SIGTERM):
                raise CommandError(f"the web server stopped with exit code {code}")
