"""`saring bench ingest [--json]`: measure ingest + analysis against the plain floor."""

from __future__ import annotations

import json as jsonlib
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from saring.monitoring.benchmark import run


class Command(BaseCommand):
    help = (
        "Benchmark: generate posts in the generic JSONL format and measure Saring's "
        "ingest + analysis (records/s, peak memory) beside json.loads + sqlite3."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["ingest"])
        parser.add_argument("--posts", type=int, default=200_000)
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Ingest processes at once, each on its own part of the file (use PostgreSQL).",
        )
        parser.add_argument(
            "--database-url",
            default=None,
            help="Measure against this (empty) database instead of a fresh "
            "SQLite file, e.g. a PostgreSQL URL.",
        )

    def handle(
        self,
        *args,
        what: str,
        posts: int,
        json: bool,
        database_url: str | None,
        workers: int,
        **options,
    ):
        say = (lambda _msg: None) if json else self.stdout.write
        with tempfile.TemporaryDirectory(prefix="saring-bench-") as tmp:
            result = run(posts, Path(tmp), database_url, progress=say, workers=workers)
        if json:
            self.stdout.write(_dumps(result))
            return
        m, s, f = result["machine"], result["saring"], result["floor"]
        self.stdout.write(
            f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory']}; "
            f"Python {m['python']}, SQLite {m['sqlite']}, Django {m['django']}"
        )
        self.stdout.write(
            f"Input: {result['posts']:,} posts = {result['records']:,} records "
            f"({result['file_mb']} MB), database {result['database']}, "
            f"{result['workers']} worker(s)"
        )
        self.stdout.write(f"{'':26}{'records/s':>12}{'seconds':>10}{'peak MB':>10}")
        self.stdout.write(
            f"{'Saring ingest+analysis':26}{s['records_per_s']:>12,}"
            f"{s['seconds']:>10.1f}{s['peak_memory_mb']:>10,}"
        )
        self.stdout.write(
            f"{'floor json+executemany':26}{f['records_per_s']:>12,}"
            f"{f['seconds']:>10.1f}{f['peak_memory_mb']:>10,}"
        )
        self.stdout.write(
            f"Floor is {result['ratio_floor_over_saring']}x faster than Saring. "
            f"Targets: ≥ 3,000 records/s, < 500 MB peak: "
            f"{'met' if s['records_per_s'] >= 3000 and s['peak_memory_mb'] < 500 else 'NOT met'}."
        )


def _dumps(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
