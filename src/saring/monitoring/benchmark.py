"""`saring bench ingest`: Saring's ingest + analysis against a plain json + sqlite3 floor.

Both run in child processes on the same generated file, so peak memory (ru_maxrss from wait4)
and time are measured the same way and the user's own database is never touched.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

import django

FLOOR_BATCH = 1000


def machine() -> dict[str, str | int]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = ""
    try:
        import psutil

        mem_gb = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:
        pass
    return {
        "cpu": model,
        "cores": os.cpu_count() or 0,
        "memory": mem_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "django": django.get_version(),
        "os": platform.platform(),
    }


def floor(path: str, db_path: str) -> dict[str, float]:
    """The least any importer must do: json.loads each line, executemany into one table."""
    started = time.perf_counter()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("""CREATE TABLE post (platform TEXT, platform_id TEXT, text TEXT,
                    created_at TEXT, views INTEGER, likes INTEGER, shares INTEGER,
                    comments INTEGER)""")
    rows: list[tuple] = []
    read = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            read += 1
            rows.append(
                (
                    item.get("platform"),
                    item.get("platform_id"),
                    item.get("text"),
                    item.get("created_at"),
                    item.get("views"),
                    item.get("likes"),
                    item.get("shares"),
                    item.get("comments"),
                )
            )
            if len(rows) >= FLOOR_BATCH:
                conn.executemany("INSERT INTO post VALUES (?,?,?,?,?,?,?,?)", rows)
                rows.clear()
    conn.executemany("INSERT INTO post VALUES (?,?,?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    return {"read": read, "seconds": time.perf_counter() - started}


def run_children(commands: list[list[str]], env: dict[str, str]) -> list[tuple[str, int]]:
    """Run child processes at once; return each one's stdout and own peak RSS in bytes."""
    started = []
    for args in commands:
        # Closed below once the child has exited; a `with` cannot span the parallel wait.
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115
        proc = subprocess.Popen(args, stdout=out, stderr=err, env=env)  # noqa: S603
        started.append((args, proc, out, err))
    results = []
    for args, proc, out, err in started:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            message = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(args[:4])}… failed ({proc.returncode}): {message}")
        results.append((out.read().decode("utf-8"), usage.ru_maxrss * 1024))
        out.close()
        err.close()
    return results


def run_child(args: list[str], env: dict[str, str]) -> tuple[str, int]:
    return run_children([args], env)[0]


def child_env(workdir: Path, database_url: str | None) -> dict[str, str]:
    """The environment of benchmark children: a fresh data dir (or the given database) and the
    database task queue, never the user's own database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        {
            "SARING_DATA_DIR": str(workdir / "data"),
            "SARING_TASKS": "database",
            "SARING_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "saring.settings",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def split_by_post(path: Path, parts: int) -> list[Path]:
    """Split a JSONL file so every line of one post lands in the same part (no two workers
    race for the same post, as two uploads of different searches would not)."""
    targets = [path.with_name(f"{path.stem}-{i}.jsonl") for i in range(parts)]
    handles = [t.open("w", encoding="utf-8") for t in targets]
    with path.open(encoding="utf-8") as source:
        for line in source:
            item = json.loads(line)
            key = f"{item.get('platform')}:{item.get('platform_id')}"
            handles[zlib.crc32(key.encode()) % parts].write(line)
    for handle in handles:
        handle.close()
    return targets


def run(
    posts: int, workdir: Path, database_url: str | None = None, progress=print, workers: int = 1
) -> dict:
    from saring.demo.generator import write_jsonl

    data = workdir / "bench.jsonl"
    progress(f"Generating {posts:,} posts in the generic JSONL format…")
    lines = write_jsonl(data, n_posts=posts, seed=7)
    # Background jobs (matching, clustering) are queued, not run: the benchmark measures the
    # import itself, as a worker would do the rest afterwards.
    env = child_env(workdir, database_url)
    progress("Preparing an empty Saring database…")
    run_child([sys.executable, "-m", "saring", "migrate", "-v", "0"], env)
    progress(f"Measuring Saring: ingest + analysis, {workers} worker(s)…")
    parts = split_by_post(data, workers) if workers > 1 else [data]
    commands = [
        [
            sys.executable,
            "-m",
            "saring",
            "ingest",
            str(part),
            "--format",
            "generic-jsonl",
            "--json",
            "--no-progress",
        ]
        for part in parts
    ]
    started = time.perf_counter()
    outputs = run_children(commands, env)
    wall = time.perf_counter() - started
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    summary = {
        key: sum(s[key] for s in summaries) for key in ("read", "created", "updated", "quarantined")
    }
    # One worker: the ingest's own clock (no interpreter start). Several: wall clock of all.
    summary["seconds"] = summaries[0]["seconds"] if workers == 1 else round(wall, 3)
    saring_rss = max(rss for _, rss in outputs)
    progress("Measuring the floor: json.loads + sqlite3.executemany…")
    code = (
        "import json,sys;from saring.monitoring.benchmark import floor;"
        "print(json.dumps(floor(sys.argv[1], sys.argv[2])))"
    )
    out, floor_rss = run_child(
        [sys.executable, "-c", code, str(data), str(workdir / "floor.sqlite3")], env
    )
    floor_result = json.loads(out.strip().splitlines()[-1])
    saring_rate = summary["read"] / summary["seconds"]
    # The target is in posts: the generated posts (each seen once or more) over Saring's time.
    posts_rate = posts / summary["seconds"]
    floor_rate = floor_result["read"] / floor_result["seconds"]
    return {
        "machine": machine(),
        "database": "postgresql" if database_url else "sqlite",
        "workers": workers,
        "posts": posts,
        "records": lines,
        "file_mb": round(data.stat().st_size / 2**20, 1),
        "saring": {
            "posts_per_second": round(posts_rate),
            "records_per_s": round(saring_rate),
            "seconds": summary["seconds"],
            "created": summary["created"],
            "updated": summary["updated"],
            "quarantined": summary["quarantined"],
            "peak_memory_mb": round(saring_rss / 2**20),
        },
        "floor": {
            "records_per_s": round(floor_rate),
            "seconds": round(floor_result["seconds"], 3),
            "peak_memory_mb": round(floor_rss / 2**20),
        },
        "ratio_floor_over_saring": round(floor_rate / saring_rate, 2),
        "targets": {"posts_per_second": 3000, "peak_memory_mb": 500},
    }
