"""`saring bench ingest|match|pages|cases [--json]`: ingest against the plain floor; or ingest,
matching and clustering end to end; or the list pages on the current database
(`saring.evaluation.pages_bench`); or RESPOND's reports, decisions, case list and packet on a
throwaway database (`saring.cases.benchmark`).

Here rather than in a context because `bench match` spans them (see ../../README.md): the
ingest harness is monitoring's (`saring.monitoring.benchmark`), the end-to-end one this app's
(`saring.evaluation.pipeline_bench`)."""

from __future__ import annotations

import json as jsonlib
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from saring.monitoring.benchmark import run


class Command(BaseCommand):
    help = (
        "Benchmark: generate posts in the generic JSONL format and measure Saring's "
        "ingest + analysis (records/s, peak memory) beside json.loads + sqlite3."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "what", choices=["ingest", "match", "pages", "cases", "guide", "broadcast"]
        )
        parser.add_argument(
            "--posts", type=int, help="Posts to generate (ingest: 200,000; match: 100,000)."
        )
        parser.add_argument(
            "--clarifications",
            type=int,
            default=10_000,
            help="match: published clarifications to match against.",
        )
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Ingest processes at once, each on its own part of the file (use PostgreSQL).",
        )
        parser.add_argument(
            "--rounds",
            type=int,
            default=2,
            help="ingest: import the file this many times with an empty and with a full "
            "registry, alternately, and keep the fastest of each (default 2).",
        )
        # cases: RESPOND end to end (saring.cases.benchmark), on a throwaway database.
        parser.add_argument("--reports", type=int, default=20_000, help="cases: reports to post.")
        parser.add_argument(
            "--contents", type=int, default=4_000, help="cases: distinct contents reported."
        )
        parser.add_argument(
            "--decisions", type=int, default=500, help="cases: platform decisions to post."
        )
        parser.add_argument(
            "--cases-for-list", type=int, default=100_000, help="cases: cases in the list."
        )
        # guide: the built public site under load (saring.guide.benchmark).
        parser.add_argument("--seconds", type=int, default=30, help="guide: seconds per path.")
        parser.add_argument(
            "--connections", type=int, default=200, help="guide: connections at once."
        )
        # broadcast: a million recipients through a local fake gateway (broadcasts.benchmark).
        parser.add_argument(
            "--recipients", type=int, default=1_000_000, help="broadcast: recipients to send to."
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
        if what == "pages":  # the list pages on this database (saring.evaluation.pages_bench)
            from saring.evaluation.pages_bench import NoAdmin, write_report

            try:
                write_report(self.stdout.write, json)
            except NoAdmin as error:
                raise CommandError(str(error)) from error
            return
        if what == "cases":
            self._cases(options, database_url, json)
            return
        if what in ("guide", "broadcast"):
            self._isolated(what, options, database_url, json)
            return
        if what == "match":
            self._match(posts or 100_000, options["clarifications"], database_url, workers, json)
            return
        with tempfile.TemporaryDirectory(prefix="saring-bench-") as tmp:
            result = run(
                posts or 200_000,
                Path(tmp),
                database_url,
                progress=say,
                workers=workers,
                rounds=max(1, options["rounds"]),
            )
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
        self.stdout.write(f"{'':26}{'posts/s':>10}{'records/s':>12}{'seconds':>10}{'peak MB':>10}")
        self.stdout.write(
            f"{'Saring ingest+analysis':26}{s['posts_per_second']:>10,}{s['records_per_s']:>12,}"
            f"{s['seconds']:>10.1f}{s['peak_memory_mb']:>10,}"
        )
        self.stdout.write(
            f"{'floor json+executemany':26}{'':>10}{f['records_per_s']:>12,}"
            f"{f['seconds']:>10.1f}{f['peak_memory_mb']:>10,}"
        )
        met = s["posts_per_second"] >= 3000 and s["peak_memory_mb"] < 500
        self.stdout.write(
            f"Floor is {result['ratio_floor_over_saring']}x faster than Saring. "
            f"Targets: ≥ 3,000 posts/s, < 500 MB peak: {'met' if met else 'NOT met'}."
        )
        self._registry(result["registry"], result["targets"]["registry_overhead_percent"])

    def _cases(self, options: dict, database_url: str | None, json: bool) -> None:
        from saring.cases.benchmark import run_isolated, summary_lines

        def say(message: str) -> None:  # progress on stderr, the figures alone on stdout
            self.stderr.write(message)
            self.stderr.flush()

        result = run_isolated(
            options["reports"],
            options["contents"],
            options["decisions"],
            options["cases_for_list"],
            database_url=database_url,
            progress=say,
        )
        if json:
            self.stdout.write(_dumps(result))
            return
        for line in summary_lines(result):
            self.stdout.write(line)

    def _isolated(self, what: str, options: dict, database_url: str | None, json: bool) -> None:
        """INFORM's benchmarks: each module has `run(options, database_url, progress)` and
        `summary_lines(result)`; progress goes to stderr, the figures alone to stdout."""
        import importlib

        module = importlib.import_module(
            "saring.guide.benchmark" if what == "guide" else "saring.broadcasts.benchmark"
        )

        def say(message: str) -> None:
            self.stderr.write(message)
            self.stderr.flush()

        result = module.run(options, database_url=database_url, progress=say)
        if json:
            self.stdout.write(_dumps(result))
            return
        for line in module.summary_lines(result):
            self.stdout.write(line)

    def _registry(self, r: dict, target: float) -> None:
        """The same import with an empty and a realistic registry, side by side."""
        self.stdout.write(
            f"\nWho speaks: the same file with an empty registry and with {r['accounts']:,} "
            f"known accounts ({r['official']:,} official, {r['campaign']:,} campaign), "
            f"fastest of {r['rounds']} round(s) each"
        )
        self.stdout.write(f"{'':26}{'posts/s':>10}{'seconds':>10}{'peak MB':>10}")
        sides = (("empty registry", "empty_registry"), ("with registry", "with_registry"))
        for label, key in sides:
            side = r[key]
            self.stdout.write(
                f"{label:26}{side['posts_per_second']:>10,}{side['seconds']:>10.1f}"
                f"{side['peak_memory_mb']:>10,}"
            )
        found = ", ".join(f"{k} {v:,}" for k, v in r["speakers"].items() if k != "posts")
        overhead = r["registry_overhead_percent"]
        self.stdout.write(
            f"Posts recognised: {found or 'none'}. Registry overhead {overhead}% "
            f"(target < {target:g}%): {'met' if overhead < target else 'NOT met'}."
        )

    def _match(
        self, posts: int, clarifications: int, database_url: str | None, workers: int, json: bool
    ) -> None:
        # The end-to-end run spans the contexts: monitoring imports, factcheck matches.
        from saring.evaluation.pipeline_bench import run as run_match

        say = (lambda _msg: None) if json else self.stdout.write
        with tempfile.TemporaryDirectory(prefix="saring-bench-") as tmp:
            result = run_match(posts, clarifications, Path(tmp), database_url, workers, say)
        if json:
            self.stdout.write(_dumps(result))
            return
        m, s, mem, r = (
            result["machine"],
            result["seconds"],
            result["peak_memory_mb"],
            result["results"],
        )
        self.stdout.write(
            f"\nMachine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}; "
            f"database {result['database']}, {result['workers']} worker(s)"
        )
        self.stdout.write(
            f"Input: {result['posts']:,} posts ({result['records']:,} records) against "
            f"{result['clarifications']:,} published clarifications"
        )
        self.stdout.write(
            f"Seconds: ingest {s['ingest']:,.0f} + match and cluster {s['match_and_cluster']:,.0f}"
            f" = {s['ingest_match_cluster']:,.0f} (publishing the clarifications: "
            f"{s['publish_clarifications']:,.0f})"
        )
        self.stdout.write(
            f"Peak memory per process (MB): ingest {mem['ingest']}, workers {mem['workers']}, "
            f"clarification import {mem['clarification_import']}"
        )
        self.stdout.write(
            f"Posts linked {r['posts_linked']:,} (auto {r['auto_links']:,}, suggestions "
            f"{r['suggestions']:,}); posts clustered {r['posts_clustered']:,}; narratives of 2+ "
            f"posts {r['narratives_of_2_or_more']:,}; jobs failed {r['jobs_failed']}, left "
            f"{r['jobs_left']}"
        )
        self.stdout.write(
            "Targets: < 30 minutes, < 2 GB: " + ("met." if result["met"] else "NOT met.")
        )


def _dumps(data: dict) -> str:
    return jsonlib.dumps(data, ensure_ascii=False)
