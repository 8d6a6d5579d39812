"""A big import must not starve the web process of SQLite's write lock (issue 9).

Real processes on a real database file, as `saring serve` and a worker run: while `saring
ingest` imports thousands of posts, another process saves sessions (what a login writes) and
each save must succeed within seconds. This holds because the import commits in batches with
the text analysis done outside the transaction, and SQLite waits for the lock (busy timeout)
instead of failing at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from django.conf import settings

from saring.demo.generator import write_jsonl
from saring.monitoring.benchmark import child_env, run_child

WRITER = r"""
import json, sys, time
import django
django.setup()
from django.contrib.sessions.backends.db import SessionStore
from saring.monitoring.models import ImportRun

deadline = time.monotonic() + 120
while not ImportRun.objects.filter(status="running").exists():
    if time.monotonic() > deadline:
        sys.exit("the import never started")
    time.sleep(0.05)
worst, saves = 0.0, 0
while ImportRun.objects.filter(status="running").exists():
    started = time.perf_counter()
    session = SessionStore()
    session["seen"] = saves
    session.save()
    worst = max(worst, time.perf_counter() - started)
    saves += 1
    time.sleep(0.05)
print(json.dumps({"worst": worst, "saves": saves}))
"""


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="the SQLite write lock; PostgreSQL locks rows",
)
def test_a_session_save_succeeds_within_seconds_while_a_big_import_runs(tmp_path):
    env = child_env(tmp_path, None)
    run_child([sys.executable, "-m", "saring", "migrate", "-v", "0"], env)
    data = tmp_path / "posts.jsonl"
    write_jsonl(data, n_posts=12_000, seed=5)
    ingest = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "saring",
            "ingest",
            str(data),
            "--format",
            "generic-jsonl",
            "--no-progress",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    writer = subprocess.run(
        [sys.executable, "-c", WRITER], env=env, capture_output=True, text=True, timeout=600
    )
    out, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err.decode()[-2000:]
    assert writer.returncode == 0, writer.stderr[-2000:]
    result = json.loads(writer.stdout.strip().splitlines()[-1])
    imported = json.loads(out.decode().strip().splitlines()[-1])
    assert imported["created"] > 10_000
    assert result["saves"] >= 3, f"the import ({time.monotonic() - started:.0f} s) was too quick"
    assert result["worst"] < 5.0, f"a session save waited {result['worst']:.1f} s for the lock"
