"""`saring bench pages`: how long every list page takes to render on the current database.

Each page is requested through Django's test client (no network, no browser: the server side
only, which is what a slow page costs everyone), logged in as a national administrator (the
widest scope, so the heaviest queries), once to warm the caches and then `repeat` times; the
median counts. Meant for the 50,000-post demo (`saring demo`), target under 300 ms a page.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from saring.accounts.models import Membership
from saring.monitoring.benchmark import machine
from saring.monitoring.models import Post

TARGET_MS = 300

# name -> (url name, query): the list pages, as a user opens them and as they filter them.
PAGES: dict[str, tuple[str, dict[str, str]]] = {
    "dashboard": ("web:dashboard", {}),
    "dashboard all posts": ("web:dashboard", {"scope": "all"}),
    "dashboard quiet period": ("web:dashboard", {"stage": "pemilu.2024-02-14:quiet"}),
    "search": ("web:search", {}),
    "search q=DPT": ("web:search", {"q": "DPT"}),
    "search all posts": ("web:search", {"scope": "all", "sort": "viral"}),
    "narratives": ("web:narratives", {}),
    "narratives filtered": ("web:narratives", {"false_verdict": "on", "platform": "tiktok"}),
    "clarifications": ("web:clarifications", {}),
    "review queue": ("web:review", {}),
    "watchlists": ("web:watchlists", {}),
    "imports": ("web:imports", {}),
    "quarantine": ("web:quarantine", {}),
    "label queue": ("web:label_queue", {}),
    "registry": ("web:registry", {}),
    "calendar": ("web:elections", {}),
    "calendar, Pilkada in Lampung": ("web:elections", {"kind": "pilkada", "province": "18"}),
    "audit": ("web:audit", {}),
}


# Pages whose aggregates are cached (monitoring.reports.dashboard_figures): measured a second
# time with the cache emptied before each request, as the first officer after an import sees it.
COLD_PAGES = ("dashboard", "dashboard all posts", "dashboard quiet period")


class NoAdmin(Exception):
    """The database has no national administrator to measure as (run `saring demo`)."""


def _national_admin():
    membership = (
        Membership.objects.filter(
            role=Membership.Role.ADMIN,
            organisation__province__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("organisation__kind", "id")
        .first()
    )
    if membership is None:
        raise NoAdmin("no national administrator in this database: run `saring demo` first")
    return membership.user


def run(repeat: int = 5, progress: Callable[[str], None] | None = None) -> dict:
    """Median server-side milliseconds per page, with the machine and the post count."""
    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.core.cache import cache

    client = Client()
    client.force_login(_national_admin())
    pages: dict[str, float] = {}
    cold: dict[str, float] = {}
    for name, (url_name, query) in PAGES.items():
        try:
            url = reverse(url_name)
        except NoReverseMatch:  # a page this installation does not have
            continue
        response = client.get(url, query)  # warm-up: caches, lazy imports, SQLite pages
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {url} answered {response.status_code}")
        pages[name] = _median_ms(client, url, query, repeat)
        note = ""
        if name in COLD_PAGES:
            cold[name] = _median_ms(client, url, query, repeat, before=cache.clear)
            note = f"   (cache emptied first: {cold[name]:.1f} ms)"
        if progress:
            progress(f"  {name:24} {pages[name]:8.1f} ms{note}")
    slowest = max(pages.values()) if pages else 0.0
    return {
        "machine": machine(),
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "posts": Post.objects.count(),
        "repeat": repeat,
        "pages": pages,
        "slowest_ms": slowest,
        "pages_cold": cold,
        "slowest_cold_ms": max(cold.values()) if cold else 0.0,
        "target_ms": TARGET_MS,
        "met": slowest < TARGET_MS,
    }


def _median_ms(client, url, query, repeat: int, before: Callable[[], object] | None = None):
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        start = time.perf_counter()
        response = client.get(url, query)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def write_report(write: Callable[[str], None], as_json: bool, repeat: int = 5) -> dict:
    """`saring bench pages [--json]`: a line per page, the machine and the posts, then the
    figures as one JSON object (only the JSON with --json)."""
    import json

    result = run(repeat, progress=None if as_json else write)
    if not as_json:
        m = result["machine"]
        write(
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; Python {m['python']}; "
            f"database {result['database']}; {result['posts']:,} posts; median of {repeat} "
            f"after one warm-up, as a national administrator"
        )
        write(
            f"Slowest {result['slowest_ms']:.0f} ms (dashboard with its cache emptied: "
            f"{result['slowest_cold_ms']:.0f} ms); target < {TARGET_MS} ms: "
            + ("met." if result["met"] else "NOT met.")
        )
    write(json.dumps(result, ensure_ascii=False))
    return result
