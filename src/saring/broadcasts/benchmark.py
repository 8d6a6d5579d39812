"""`saring bench broadcast [--json] [--recipients N]`: the resumable sender at scale.

On a throwaway database (a fresh SQLite file in a temporary data dir, or the empty database
given with --database-url):
1. a setup process makes the tables, bulk-creates N recipients (addresses encrypted: the
   encryption is timed apart from the insert) and a comparison list of 100,000 (N/10 for
   small N), and plans a broadcast to each (`sending.start`, timed);
2. the fake gateway runs in its own process (`saring.broadcasts.fake_gateway`), so its CPU is
   not counted inside the sender; its answers are what a real gateway's would be, minus the
   network;
3. the comparison broadcast is sent by one sender process, start to end;
4. the big one is sent by a sender process that is killed (SIGKILL) once the gateway has
   taken 40% of the messages (the gateway takes the batch that crosses 40% and holds its
   answer, so the sender dies not knowing); a new sender process resumes it;
5. the gateway's counts then say whether any address got a message twice (`duplicates`) or
   none (`missing`).

`messages_per_s` is the sending phase only (the gateway's first to last message of the killed
run, plus the resumed run's own time); `peak_memory_mb` is the senders' own VmHWM, sampled
while they run.
Progress goes to stderr; the figures alone are returned.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from saring.kernel.machine import describe

TARGETS = {"messages_per_s": 2000.0, "peak_memory_mb": 300.0}
KILL_AT = 0.4
COMPARISON = 100_000
CREATE_CHUNK = 5000
RATE = 1_000_000  # messages a second: high enough never to throttle

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def comparison_size(n: int) -> int:
    return COMPARISON if n > COMPARISON else max(n // 10, 100)


def child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """A fresh data dir (its SQLite file and recipient key), nothing that leaves the machine."""
    drop = {
        "DATABASE_URL",
        "SARING_SMTP_HOST",
        "SARING_DATA_DIR",
        "SARING_RECIPIENT_KEY",
        "SARING_SMS_URL",
        "SARING_SMS_BATCH_URL",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "SARING_DATA_DIR": str(data_dir),
            "SARING_TASKS": "database",
            "SARING_ENV": "development",
            "SARING_DEBUG": "0",
            "SARING_LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "saring.settings",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def machine() -> dict:
    import sqlite3

    return {
        **describe(),
        "sqlite": sqlite3.sqlite_version,
        # Other work on the machine slows every figure: say how busy it was.
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


# -- the child processes ------------------------------------------------------------------

_CHILD = (
    "import sys,django;django.setup();"
    "from saring.broadcasts.benchmark import child;child(sys.argv[1:])"
)


def child(argv: list[str]) -> None:
    """Entry point of the setup and sender processes; prints one JSON line on stdout."""
    result = _setup(int(argv[1]), int(argv[2])) if argv[0] == "setup" else _send(int(argv[1]))
    print(json.dumps(result), flush=True)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _setup(n: int, small: int) -> dict:
    from django.apps import apps
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "sqlite":  # a throwaway file: no fsync while filling it
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    # The tables straight from the models (no data migrations: the sender needs no seed data),
    # seconds instead of a minute of migrations.
    settings.MIGRATION_MODULES = {app.label: None for app in apps.get_app_configs()}
    call_command("migrate", verbosity=0, run_syncdb=True)
    big_list, encrypt_s, insert_s = _make_list("Bench: all", 0, n)
    small_list, _e, _i = _make_list("Bench: comparison", n, small)
    started = time.perf_counter()
    big = _broadcast(big_list)
    small_broadcast = _broadcast(small_list)
    plan_s = time.perf_counter() - started
    return {
        "big": big,
        "small": small_broadcast,
        "encrypt_seconds": round(encrypt_s, 2),
        "insert_seconds": round(insert_s, 2),
        "plan_seconds": round(plan_s, 2),
        "database": connection.vendor,
    }


def _make_list(name: str, first: int, n: int) -> tuple[int, float, float]:
    from saring.broadcasts import crypto
    from saring.broadcasts.models import Recipient, RecipientList

    recipient_list = RecipientList.objects.create(name=name, size=n)
    encrypt_s = insert_s = 0.0
    for start in range(first, first + n, CREATE_CHUNK):
        stop = min(start + CREATE_CHUNK, first + n)
        t0 = time.perf_counter()
        rows = []
        for i in range(start, stop):
            address = f"+62812{i:08d}"
            rows.append(
                Recipient(
                    recipient_list=recipient_list,
                    channel="sms",
                    address_hash=crypto.fingerprint("sms", address),
                    address_encrypted=crypto.encrypt(address),
                    masked=crypto.mask(address),
                )
            )
        t1 = time.perf_counter()
        Recipient.objects.bulk_create(rows, batch_size=CREATE_CHUNK)
        t2 = time.perf_counter()
        encrypt_s += t1 - t0
        insert_s += t2 - t1
        if (stop - first) % 100_000 == 0 or stop == first + n:
            _say(f"  {name}: {stop - first:,}/{n:,} recipients")
    return recipient_list.pk, encrypt_s, insert_s


def _broadcast(list_id: int) -> int:
    from saring.accounts.scope import SYSTEM
    from saring.broadcasts.models import Broadcast
    from saring.broadcasts.services import sending

    broadcast = Broadcast.objects.create(
        title="Bench",
        text="Masa tenang 24-26 November. Info: kpu.go.id",
        channel="sms",
        rate_per_second=RATE,
    )
    broadcast.lists.set([list_id])
    sending.start(SYSTEM, broadcast, enqueue=False)
    return broadcast.pk


def _send(broadcast_id: int) -> dict:
    from django.db.models import Count

    from saring.broadcasts.models import Delivery
    from saring.broadcasts.services import sending

    every = [0]

    def progress(line: str) -> None:
        every[0] += 1
        if every[0] % 200 == 0:
            _say(line)

    result = sending.run(broadcast_id, progress=progress)
    states = dict(
        Delivery.objects.filter(broadcast_id=broadcast_id)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    return {**result.as_dict(), "states": states}


# -- the parent -------------------------------------------------------------------------------


class _Gateway:
    def __init__(self, env: dict[str, str]):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "saring.broadcasts.fake_gateway", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        port = self.process.stdout.readline().strip()
        if not port.isdigit():
            self.process.kill()
            raise RuntimeError("the fake gateway did not start")
        self.url = f"http://127.0.0.1:{port}"

    def call(self, path: str, payload: dict | None = None) -> dict:
        data = None if payload is None and path == "/stats" else json.dumps(payload or {}).encode()
        request = urllib.request.Request(self.url + path, data=data)  # noqa: S310
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
            return json.loads(answer.read())

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _spawn(env: dict[str, str], *args: str, progress: bool) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", _CHILD, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=None if progress else subprocess.DEVNULL,
    )
    return _watch(process)


def _high_water_mb(pid: int) -> float | None:
    """The process's own peak resident memory (VmHWM, reset at exec), or None once gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        return None
    return None


def _watch(process: subprocess.Popen) -> subprocess.Popen:
    """Sample the child's VmHWM until it ends (a killed child cannot report its own)."""
    process.peak_mb = 0.0

    def sample() -> None:
        while process.returncode is None:
            value = _high_water_mb(process.pid)
            if value is None:
                return
            process.peak_mb = max(process.peak_mb, value)
            time.sleep(0.05)

    process.sampler = threading.Thread(target=sample, daemon=True)
    process.sampler.start()
    return process


def _wait(process: subprocess.Popen) -> tuple[int, float]:
    """(exit status, peak resident memory in MB) of one child, from its own VmHWM: wait4's
    ru_maxrss would also count the parent's memory at fork (a test process with a browser and
    models loaded reads as a 1.6 GB sender)."""
    _pid, status, _usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    process.sampler.join(timeout=1)
    return process.returncode, round(process.peak_mb, 1)


def _output(process: subprocess.Popen) -> dict:
    lines = process.stdout.read().decode("utf-8").strip().splitlines()
    if not lines:
        raise RuntimeError("a benchmark child process printed nothing")
    return json.loads(lines[-1])


def _sender(env, broadcast_id: int, progress: bool) -> tuple[dict, float]:
    process = _spawn(env, "send", str(broadcast_id), progress=progress)
    code, peak = _wait(process)
    if code != 0:
        raise RuntimeError(f"the sender process failed ({code})")
    return _output(process), peak


def run(options: dict, database_url: str | None = None, progress: Say | None = None) -> dict:
    say = progress or _quiet
    n = int(options.get("recipients") or 1_000_000)
    small = comparison_size(n)
    with tempfile.TemporaryDirectory(prefix="saring-bench-broadcast-") as tmp:
        env = child_env(Path(tmp) / "data", database_url)
        say(f"Creating {n:,} + {small:,} recipients and planning two broadcasts…")
        setup_process = _spawn(env, "setup", str(n), str(small), progress=progress is not None)
        code, _peak = _wait(setup_process)
        if code != 0:
            raise RuntimeError(f"the benchmark's setup process failed ({code})")
        setup = _output(setup_process)
        gateway = _Gateway(env)
        env["SARING_SMS_URL"] = gateway.url
        try:
            say(f"Sending {small:,} messages (comparison)…")
            small_run, small_peak = _sender(env, setup["small"], progress is not None)
            small_stats = gateway.call("/stats")
            gateway.call("/reset")
            kill_at = max(1, int(n * KILL_AT))
            gateway.call("/configure", {"hold_after": kill_at})
            say(f"Sending {n:,} messages; killing the sender after {kill_at:,}…")
            first = _spawn(env, "send", str(setup["big"]), progress=progress is not None)
            killed = _kill_when_held(gateway, first)
            _code, first_peak = _wait(first)
            at_kill = gateway.call("/stats")
            gateway.call("/release")
            say("Resuming in a new sender process…")
            second, second_peak = _sender(env, setup["big"], progress is not None)
            stats = gateway.call("/stats")
        finally:
            gateway.stop()
    first_seconds = (at_kill["last_at"] - at_kill["first_at"]) if at_kill["first_at"] else 0.0
    sending_seconds = first_seconds + second["seconds"]
    per_s = stats["accepted"] / sending_seconds if sending_seconds else 0.0
    small_per_s = small_stats["accepted"] / small_run["seconds"] if small_run["seconds"] else 0.0
    peak = max(first_peak, second_peak)
    left = sum(v for k, v in second["states"].items() if k not in ("sent", "skipped"))
    missing = max(n - stats["addresses"], left)
    result = {
        "recipients": n,
        "messages_per_s": round(per_s, 1),
        "peak_memory_mb": peak,
        "sending_seconds": round(sending_seconds, 1),
        "killed": killed,
        "killed_after": at_kill["accepted"],
        "resumed_sent": second["sent"],
        "resubmitted_after_kill": stats["resubmitted"],
        "duplicates": stats["duplicates"],
        "missing": missing,
        "comparison": {
            "recipients": small,
            "messages_per_s": round(small_per_s, 1),
            "peak_memory_mb": small_peak,
            "duplicates": small_stats["duplicates"],
        },
        "setup": {k: setup[k] for k in ("encrypt_seconds", "insert_seconds", "plan_seconds")},
        "database": setup["database"],
        "machine": machine(),
        "note": "the fake gateway runs in its own process: its CPU is not in the sender's "
        "figures; both share the machine's cores",
    }
    result["targets"] = {
        "messages_per_s": {
            "value": result["messages_per_s"],
            "target": f">= {TARGETS['messages_per_s']:,.0f}",
            "met": per_s >= TARGETS["messages_per_s"],
        },
        "peak_memory_mb": {
            "value": peak,
            "target": f"< {TARGETS['peak_memory_mb']:,.0f}",
            "met": peak < TARGETS["peak_memory_mb"],
        },
        "duplicates": {
            "value": result["duplicates"],
            "target": "0",
            "met": not result["duplicates"],
        },
        "missing": {"value": missing, "target": "0", "met": not missing},
    }
    return result


def _kill_when_held(gateway: _Gateway, process: subprocess.Popen, timeout: float = 3600) -> bool:
    """SIGKILL the sender once the gateway holds the batch that crossed the kill point; False
    when the sender ended first (nothing to kill)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if gateway.call("/stats")["held"]:
            os.kill(process.pid, signal.SIGKILL)
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    return True


def summary_lines(result: dict) -> list[str]:
    m, c, s = result["machine"], result["comparison"], result["setup"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}, "
        f"database {result['database']} (SQLite {m['sqlite']}); load average "
        f"{m.get('load_average_1min', '?')} at the end",
        f"Setup: encrypting {result['recipients'] + c['recipients']:,} addresses "
        f"{s['encrypt_seconds']:.1f} s, inserting {s['insert_seconds']:.1f} s, planning "
        f"{s['plan_seconds']:.1f} s",
        f"recipients        {result['recipients']:>12,}",
        f"messages_per_s    {result['messages_per_s']:>12,.1f}   (sending phase, "
        f"{result['sending_seconds']:.1f} s)",
        f"peak_memory_mb    {result['peak_memory_mb']:>12,.1f}   (sender processes, VmHWM)",
        f"at {c['recipients']:,}:  {c['messages_per_s']:>12,.1f} msg/s, "
        f"{c['peak_memory_mb']:,.1f} MB",
        f"killed after      {result['killed_after']:>12,}   (SIGKILL: {result['killed']}); resumed "
        f"run sent {result['resumed_sent']:,}, {result['resubmitted_after_kill']:,} sent again "
        "with their keys (dropped by the gateway)",
        f"duplicates        {result['duplicates']:>12,}",
        f"missing           {result['missing']:>12,}",
        f"Note: {result['note']}.",
        "Targets:",
    ]
    for name, target in result["targets"].items():
        verdict = "met" if target["met"] else "NOT met"
        lines.append(f"  {name:16} {target['value']!s:>10} {target['target']:>10}  {verdict}")
    return lines
