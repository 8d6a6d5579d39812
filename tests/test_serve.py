"""`saring serve` stops its background worker with it: Ctrl+C, SIGTERM, and a killed server."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(data_dir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "SARING_ENV": "development",
        "SARING_TASKS": "database",  # a real worker process, not jobs inside the request
        "SARING_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)  # a throwaway SQLite file of its own
    return env


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    """One migrated data directory, copied for each test (migrating takes seconds)."""
    path = tmp_path_factory.mktemp("migrated")
    subprocess.run(
        [sys.executable, "-m", "saring", "migrate", "-v", "0"], env=_env(path), check=True
    )
    return path


@pytest.fixture
def data_dir(migrated, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(migrated, copy)
    return copy


def _start(data_dir: Path, *args: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = _env(data_dir)
    server = subprocess.Popen(
        [sys.executable, "-m", "saring", *args, f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return server, port


def _wait_for_worker(server: subprocess.Popen, port: int) -> psutil.Process:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped on its own"
        children = psutil.Process(server.pid).children()
        with socket.socket() as s:
            listening = s.connect_ex(("127.0.0.1", port)) == 0
        workers = [child for child in children if "worker" in _cmdline(child)]
        if listening and workers:
            (worker,) = workers  # the other child is the web server (granian)
            return worker
        time.sleep(0.2)
    raise AssertionError("the server did not start with a worker in time")


def _cmdline(process: psutil.Process) -> list[str]:
    try:
        return process.cmdline()
    except psutil.Error:  # gone or a zombie between listing and reading
        return []


def _descendants(server: subprocess.Popen) -> list[psutil.Process]:
    try:
        return psutil.Process(server.pid).children(recursive=True)
    except psutil.Error:
        return []


def _cleanup(
    server: subprocess.Popen, worker: psutil.Process | None, others: list[psutil.Process] = ()
) -> None:
    """Never leave a process behind, even when the assertion failed (granian, the web server,
    ignores a stop that reaches it while its own processes are still starting)."""
    if server.poll() is None:
        server.kill()
        server.wait()
    for process in [worker, *others]:
        if process is not None:
            with contextlib.suppress(psutil.Error):
                process.kill()


def _gone(process: psutil.Process, timeout: float = 20) -> bool:
    try:
        process.wait(timeout=timeout)
    except psutil.TimeoutExpired:
        return False
    except psutil.NoSuchProcess:
        pass
    return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_stopping_the_server_stops_its_worker(data_dir, stop):
    server, port = _start(data_dir, "serve")
    _stop_and_check(server, port, stop)


def test_stopping_a_served_demo_stops_its_worker(data_dir):
    server, port = _start(data_dir, "demo", "--posts", "40", "--serve", "--addrport")
    _stop_and_check(server, port, signal.SIGTERM)


def _stop_and_check(server: subprocess.Popen, port: int, stop: int) -> None:
    worker, others = None, []
    try:
        worker = _wait_for_worker(server, port)
        others = _descendants(server)
        server.send_signal(stop)  # to the server only, as a service manager does
        assert server.wait(timeout=30) is not None
        assert _gone(worker), "the worker outlived the server"
        assert all(_gone(p) for p in others), "the web server outlived `saring serve`"
    finally:
        _cleanup(server, worker, others)


def test_a_killed_server_takes_its_worker_with_it(data_dir):
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux only")
    server, port = _start(data_dir, "serve")
    worker, others = None, []
    try:
        worker = _wait_for_worker(server, port)
        others = _descendants(server)
        server.kill()  # no chance to clean up: the kernel stops the worker
        server.wait(timeout=10)
        assert _gone(worker), "the worker outlived a killed server"
    finally:
        _cleanup(server, worker, others)
