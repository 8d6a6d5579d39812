"""`saring bench match`: posts matched against clarifications and clustered, end to end.

What a deployment does when a large export arrives: N published clarifications exist; the
posts are imported; background workers match every post and cluster it into narratives. The
benchmark runs exactly that with the real commands (`clarifications import`, `ingest`,
`worker --batch`) in child processes on a fresh database, and reports wall time and each
process's peak memory (ru_maxrss). The clarifications are the demo's 15 plus synthetic
headlines made of words from the demo posts (so they share vocabulary with the posts, as real
fact-checks do), for timing only.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import time
from pathlib import Path

from saring.monitoring.benchmark import child_env, machine, run_child, run_children

TARGET_SECONDS, TARGET_MB = 30 * 60, 2048
_COUNTS = """
import json, django
django.setup()
from django_tasks_db.models import DBTaskResult
from saring.factcheck.models import Narrative, PostMatch, PostNarrative
from saring.monitoring.models import Post
print(json.dumps({
    "posts": Post.objects.count(),
    "auto_links": PostMatch.objects.filter(decision="auto").count(),
    "suggestions": PostMatch.objects.filter(decision="suggested").count(),
    "posts_linked": PostMatch.objects.values("post").distinct().count(),
    "posts_clustered": PostNarrative.objects.count(),
    "narratives_of_2_or_more": Narrative.objects.filter(merged_into=None, size__gte=2).count(),
    "jobs_failed": DBTaskResult.objects.failed().count(),
    "jobs_left": DBTaskResult.objects.ready().count(),
}))
"""


def write_clarifications(path: Path, n: int, seed: int = 11) -> int:
    """The demo's clarifications, then synthetic ones; CSV in the `clarifications` format."""
    from saring.demo.generator import generate
    from saring.demo.narratives import NARRATIVES
    from saring.text.normalize import normalize
    from saring.text.stopwords import STOPWORDS

    words: set[str] = set()
    for line in generate(3000, seed=seed):
        words.update(
            t
            for t in normalize(line.get("text") or "").tokens
            if t.isalpha() and len(t) > 3 and t not in STOPWORDS
        )
    vocabulary = sorted(words)
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "judul", "narasi", "label"])
        for narrative in NARRATIVES[:n]:
            writer.writerow([f"demo-{narrative.slug}", narrative.title, narrative.title, "Salah"])
        for i in range(max(0, n - len(NARRATIVES))):
            headline = " ".join(rng.sample(vocabulary, rng.randint(6, 12)))
            claim = " ".join(rng.sample(vocabulary, rng.randint(10, 20)))
            writer.writerow([f"bench-{i}", headline, claim, rng.choice(["Salah", "Hoaks"])])
    return n


def run(
    posts: int,
    clarifications: int,
    workdir: Path,
    database_url: str | None = None,
    workers: int = 1,
    progress=print,
) -> dict:
    from saring.demo.generator import write_jsonl

    env = child_env(workdir, database_url)
    saring = [sys.executable, "-m", "saring"]
    progress(f"Generating {posts:,} posts and {clarifications:,} clarifications…")
    data, claims = workdir / "posts.jsonl", workdir / "clarifications.csv"
    records = write_jsonl(data, n_posts=posts, seed=7)
    write_clarifications(claims, clarifications)
    progress("Preparing an empty Saring database…")
    run_child([*saring, "migrate", "-v", "0"], env)
    progress("Publishing the clarifications…")
    started = time.perf_counter()
    _, import_rss = run_child(
        [*saring, "clarifications", "import", str(claims), "--format", "csv", "--publish"], env
    )
    publish_s = time.perf_counter() - started
    progress(f"Importing {posts:,} posts (matching and clustering are queued)…")
    started = time.perf_counter()
    _, ingest_rss = run_child(
        [*saring, "ingest", str(data), "--format", "generic-jsonl", "--json", "--no-progress"],
        env,
    )
    ingest_s = time.perf_counter() - started
    progress(f"Matching and clustering with {workers} worker(s)…")
    started = time.perf_counter()
    outputs = run_children([[*saring, "worker", "--batch", "-v", "0"]] * workers, env)
    background_s = time.perf_counter() - started
    counts_out, _ = run_child([sys.executable, "-c", _COUNTS], env)
    counts = json.loads(counts_out.strip().splitlines()[-1])
    peak = max([import_rss, ingest_rss, *(rss for _, rss in outputs)])
    total = ingest_s + background_s
    return {
        "machine": machine(),
        "database": "postgresql" if database_url else "sqlite",
        "workers": workers,
        "posts": posts,
        "records": records,
        "clarifications": clarifications,
        "seconds": {
            "publish_clarifications": round(publish_s, 1),
            "ingest": round(ingest_s, 1),
            "match_and_cluster": round(background_s, 1),
            "ingest_match_cluster": round(total, 1),
        },
        "peak_memory_mb": {
            "clarification_import": round(import_rss / 2**20),
            "ingest": round(ingest_rss / 2**20),
            "workers": [round(rss / 2**20) for _, rss in outputs],
            "max": round(peak / 2**20),
        },
        "results": counts,
        "targets": {"seconds": TARGET_SECONDS, "peak_memory_mb": TARGET_MB},
        "met": total < TARGET_SECONDS and peak / 2**20 < TARGET_MB,
    }
