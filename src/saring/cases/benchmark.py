"""`saring bench cases`: RESPOND end to end on a throwaway database.

What is measured, in this order (each part's setup is not timed, only what the part names):
1. `reports_per_s`: N reports through `POST /api/v1/reports` in Django's test client, with a
   partner's bearer token, over M distinct pieces of content written in the URL forms people
   paste (handles, query strings, `m.`/`www.`/`mobile.` hosts, `youtu.be`, `x.com` vs
   `twitter.com`, Facebook `permalink.php`, tracking parameters). `cases` (rows made) must
   equal `expected_cases` (distinct contents): the canonicaliser and one-case-per-content.
2. `decisions_per_s`: D platform decisions through `POST /api/v1/escalations/{id}/decision`
   with the liaison's token, on escalations made as fixtures (the answer is what is timed).
3. `case_list_p95_ms`: K cases bulk-created (fixtures, no service) across the provinces; the
   handler's list page `/cases/` filtered to one province, requested through the test client
   as a national Bawaslu analyst, p95 of at least 50 requests after a warm-up.
4. `packet_seconds`: a case with 50 linked posts (with engagement history) and 5 screenshots
   (made with Pillow, stored through `attachments.add_screenshot`) to a signed ZIP with
   `packets.build_packet`.

`run()` works on whatever database is current: `saring bench cases` calls `run_isolated()`,
which runs it in a child process on a fresh SQLite file in a temporary data dir (or the
empty database given with --database-url), so the user's own data is never touched. The
tests call `run()` with tiny sizes on the test database.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from saring.kernel.machine import describe

TARGETS = {"reports_per_s": 150.0, "case_list_p95_ms": 200.0, "packet_seconds": 5.0}
DEFAULTS = {"reports": 20_000, "contents": 4_000, "decisions": 500, "cases_for_list": 100_000}
LIST_REQUESTS = 50
LIST_PROVINCE = "32"  # Jawa Barat: the most populous province, the longest list
PACKET_POSTS, PACKET_SCREENSHOTS = 50, 5
PLATFORMS = ("tiktok", "youtube", "x", "facebook", "instagram", "other")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


# -- the contents and the forms people write them in ------------------------------------------


def _code(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(_B64) for _ in range(length))


def content_forms(index: int, seed: int = 11) -> list[str]:
    """Different ways of writing the URL of content number `index`: all point at the same
    piece of content, so they must end in one case. Deterministic."""
    rng = random.Random(seed * 1_000_003 + index)
    site = PLATFORMS[index % len(PLATFORMS)]
    handle = f"akun_{_code(rng, 6).lower().replace('-', '').replace('_', '')}"
    other = f"{handle}{rng.randint(1, 99)}"
    tracker = _code(rng, 10)
    if site == "tiktok":
        vid = str(7_300_000_000_000_000_000 + index)
        return [
            f"https://www.tiktok.com/@{handle}/video/{vid}",
            f"https://www.tiktok.com/@{handle}/video/{vid}?is_from_webapp=1&sender_device=pc",
            f"https://m.tiktok.com/@{handle}/video/{vid}?lang=id",
            f"https://tiktok.com/@{other}/video/{vid}",
            f"https://www.tiktok.com/@{handle}/video/{vid}?_r=1&_t={tracker}",
        ]
    if site == "youtube":
        vid = _code(rng, 11)
        return [
            f"https://www.youtube.com/watch?v={vid}",
            f"https://youtu.be/{vid}?si={tracker}",
            f"https://www.youtube.com/shorts/{vid}",
            f"https://m.youtube.com/watch?v={vid}&feature=share",
            f"https://youtube.com/watch?v={vid}&t=42s",
        ]
    if site == "x":
        sid = str(1_750_000_000_000_000_000 + index)
        return [
            f"https://x.com/{handle}/status/{sid}",
            f"https://twitter.com/{handle}/status/{sid}?s=20",
            f"https://mobile.twitter.com/{handle}/status/{sid}",
            f"https://www.x.com/{handle}/status/{sid}?s=46&t={tracker}",
        ]
    if site == "facebook":
        story = str(10_000_000_000_000 + index)
        page = str(100_000_000_000 + index % 997)
        return [
            f"https://www.facebook.com/permalink.php?story_fbid={story}&id={page}",
            f"https://www.facebook.com/{handle}/posts/{story}",
            f"https://m.facebook.com/{handle}/posts/{story}?mibextid={tracker}",
            f"https://m.facebook.com/story.php?story_fbid={story}&id={page}&mibextid=wwXIfr",
        ]
    if site == "instagram":
        code = _code(rng, 11)
        return [
            f"https://www.instagram.com/p/{code}/",
            f"https://www.instagram.com/p/{code}/?igsh={tracker}",
            f"https://instagram.com/p/{code}",
            f"https://www.instagram.com/reel/{code}/?igsh={tracker}",
            f"https://www.instagram.com/p/{code}/?utm_source=ig_web_copy_link",
        ]
    slug = f"berita-pemilu-{index}"
    return [
        f"https://kabar{index % 7}.example.co.id/2024/02/{slug}",
        f"https://kabar{index % 7}.example.co.id/2024/02/{slug}?utm_source=whatsapp"
        f"&utm_medium=share",
        f"https://kabar{index % 7}.example.co.id/2024/02/{slug}?fbclid={tracker}",
        f"https://kabar{index % 7}.example.co.id/2024/02/{slug}?utm_campaign=x&utm_content=y",
    ]


def report_plan(reports: int, contents: int, seed: int = 11) -> list[tuple[int, str]]:
    """(content index, URL as written) per report: every content at least once (while there
    are reports), the rest drawn at random, each time in a random one of its forms."""
    rng = random.Random(seed)
    indexes = list(range(min(reports, contents)))
    indexes += [rng.randrange(contents) for _ in range(reports - len(indexes))]
    rng.shuffle(indexes)
    forms: dict[int, list[str]] = {}
    plan = []
    for index in indexes:
        if index not in forms:
            forms[index] = content_forms(index, seed)
        plan.append((index, rng.choice(forms[index])))
    return plan


# -- the machine ---------------------------------------------------------------------------


def machine() -> dict[str, str | int]:
    import django
    from django.db import connection

    return {
        **describe(),
        "django": django.get_version(),
        "database": connection.vendor,
        "database_version": _database_version(connection),
    }


def _database_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    try:
        return ".".join(str(part) for part in connection.pg_version_info())  # pragma: no cover
    except AttributeError:
        return ""


# -- the fixtures: who calls ----------------------------------------------------------------


def _people():
    """A partner (fact-checker tipline) and a TikTok liaison with API tokens, a national
    Bawaslu analyst (triage, the list) and the TikTok channel."""
    from saring.accounts.models import Membership, Organisation
    from saring.accounts.scope import SYSTEM
    from saring.accounts.services import ensure_member, ensure_organisation
    from saring.api.services import issue_token
    from saring.cases.models import Channel

    password = _code(random.Random(), 24)
    partner_org = ensure_organisation("Mitra Cek Fakta (bench)", Organisation.Kind.FACTCHECKER)
    partner = ensure_member("bench.partner", password, partner_org, Membership.Role.ANALYST)
    bawaslu_org = ensure_organisation("Bawaslu RI (bench)", Organisation.Kind.BAWASLU)
    handler = ensure_member("bench.bawaslu", password, bawaslu_org, Membership.Role.ANALYST)
    tiktok_org = ensure_organisation("TikTok Indonesia (bench)", Organisation.Kind.PLATFORM)
    liaison = ensure_member("bench.tiktok", password, tiktok_org, Membership.Role.ANALYST)
    channel, _ = Channel.objects.get_or_create(
        name="TikTok (bench)",
        defaults={
            "platform": "tiktok",
            "kind": Channel.Kind.BATCH,
            "organisation": tiktok_org,
            "secret": _code(random.Random(), 32),
            "answer_hours": 48,
            "answer_source": "TikTok (bench)",
        },
    )
    return {
        "partner_token": issue_token(SYSTEM, partner, "bench").secret,
        "liaison_token": issue_token(SYSTEM, liaison, "bench").secret,
        "handler": handler,
        "channel": channel,
    }


def _client():
    from django.conf import settings
    from django.test import Client

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return Client()


def _regions(limit: int = 60) -> list[tuple[str, str]]:
    """(province, regency) pairs spread over the country, deterministic."""
    from saring.regions.models import Regency

    rows = list(Regency.objects.order_by("code").values_list("province_id", "code"))
    step = max(1, len(rows) // limit)
    return rows[::step][:limit] or [(LIST_PROVINCE, "")]


# -- 1. reports ------------------------------------------------------------------------------


def bench_reports(reports: int, contents: int, token: str, say: Say, seed: int = 11) -> dict:
    from django.utils import timezone

    from saring.cases import categories

    rng = random.Random(seed + 1)
    codes = sorted(categories.codes())
    regions = _regions()
    plan = report_plan(reports, contents, seed)
    now = timezone.now()
    client = _client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    bodies = []
    for n, (index, url) in enumerate(plan):
        where = random.Random(index).choice(regions)  # one place per content
        bodies.append(
            json.dumps(
                {
                    "urls": [url],
                    "category": codes[index % len(codes)],
                    "description": f"Konten ini menyebarkan hoaks tentang TPS (laporan {n}).",
                    "seen_at": (now - timedelta(minutes=rng.randint(5, 2 * 24 * 60))).isoformat(),
                    "region_code": where[1] or where[0],
                    "reporter": {
                        "name": f"Pelapor {n}",
                        "email": f"pelapor{n}@example.org",
                        "phone": "",
                    },
                    "good_faith": True,
                }
            )
        )
    say(f"Reports: {reports:,} through POST /api/v1/reports over {contents:,} contents…")
    failures: dict[int, int] = {}
    first_error = ""
    every = max(1, reports // 10)
    started = time.perf_counter()
    for n, body in enumerate(bodies, 1):
        response = client.post("/api/v1/reports", body, content_type="application/json", **auth)
        if response.status_code != 201:
            failures[response.status_code] = failures.get(response.status_code, 0) + 1
            first_error = first_error or response.content.decode("utf-8", "replace")[:300]
        if n % every == 0:
            rate = n / (time.perf_counter() - started)
            say(f"  {n:>8,}/{reports:,} reports, {rate:,.0f}/s")
    seconds = time.perf_counter() - started
    expected = len({index for index, _url in plan})
    return {
        "reports": reports,
        "reports_seconds": round(seconds, 2),
        "reports_per_s": round(reports / seconds, 1) if seconds else 0.0,
        "reports_failed": sum(failures.values()),
        "reports_failed_by_status": {str(k): v for k, v in sorted(failures.items())},
        "first_error": first_error,
        "expected_cases": expected,
    }


# -- 2. decisions ----------------------------------------------------------------------------


def bench_decisions(count: int, channel, token: str, say: Say) -> dict:
    """Escalations made as fixtures (the cases moved to `escalated` in bulk), then the liaison
    answers each through the API (what is timed)."""
    from django.utils import timezone

    from saring.cases.models import Case, Decision, Escalation

    cases = list(Case.objects.order_by("id").values_list("id", flat=True)[:count])
    now = timezone.now()
    Case.objects.filter(id__in=cases).update(
        state=Case.State.ESCALATED, escalated_at=now, platform_due=now + timedelta(hours=48)
    )
    Escalation.objects.bulk_create(
        [
            Escalation(
                case_id=case_id,
                channel=channel,
                reference=f"ESK-BENCH-{case_id:07d}",
                state=Escalation.State.SENT,
                due_at=now + timedelta(hours=48),
                due_source="TikTok (bench)",
                sent_at=now,
            )
            for case_id in cases
        ],
        batch_size=500,
    )
    ids = list(
        Escalation.objects.filter(case_id__in=cases).order_by("id").values_list("id", flat=True)
    )
    visibilities = [v for v, _label in Decision.Visibility.choices]
    client = _client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    say(f"Decisions: {len(ids):,} through POST /api/v1/escalations/{{id}}/decision…")
    failures: dict[int, int] = {}
    first_error = ""
    started = time.perf_counter()
    for n, escalation_id in enumerate(ids):
        visibility = visibilities[n % len(visibilities)]
        body = {
            "platform_reference": f"TT-{escalation_id:08d}",
            "visibility": visibility,
            "account": "none",
            "ground": "none" if visibility == "no_action" else "terms",
            "ground_reference": "" if visibility == "no_action" else "Civic and Election Integrity",
            "explanation": "Ditinjau oleh tim kebijakan.",
            "automated_detection": False,
            "automated_decision": "not",
            "decided_at": now.isoformat(),
        }
        response = client.post(
            f"/api/v1/escalations/{escalation_id}/decision",
            json.dumps(body),
            content_type="application/json",
            **auth,
        )
        if response.status_code not in (200, 201):
            failures[response.status_code] = failures.get(response.status_code, 0) + 1
            first_error = first_error or response.content.decode("utf-8", "replace")[:300]
    seconds = time.perf_counter() - started
    return {
        "decisions": len(ids),
        "decisions_seconds": round(seconds, 2),
        "decisions_per_s": round(len(ids) / seconds, 1) if seconds and ids else 0.0,
        "decisions_failed": sum(failures.values()),
        "decisions_failed_by_status": {str(k): v for k, v in sorted(failures.items())},
        "decisions_first_error": first_error,
        "decisions_stored": Decision.objects.filter(escalation_id__in=ids).count(),
    }


# -- 3. the case list ------------------------------------------------------------------------


def fill_cases(count: int, say: Say, seed: int = 13) -> int:
    """`count` cases with one content item each, bulk-created across the provinces (Jawa
    Barat, Jawa Timur and Jawa Tengah weighted like their share of voters), states and
    deadlines of a long election: a fixture for timing the list, not an officer's work."""
    from django.utils import timezone

    from saring.cases.models import Case, CaseItem

    rng = random.Random(seed)
    regions = _regions(200)
    heavy = [r for r in regions if r[0] in {"32", "33", "35"}]
    states = [s for s, _label in Case.State.choices]
    weights = [2, 20, 25, 15, 10, 15, 8, 2, 2, 1]
    now = timezone.now()
    offset = 8_000_000_000_000_000_000  # content ids no report of part 1 used
    batch = 2000
    made = 0
    say(f"Case list: bulk-creating {count:,} cases…")
    while made < count:
        size = min(batch, count - made)
        rows = []
        for i in range(made, made + size):
            province, regency = (
                rng.choice(heavy) if heavy and rng.random() < 0.4 else rng.choice(regions)
            )
            state = rng.choices(states, weights)[0]
            due = now + timedelta(hours=rng.randint(-240, 240))
            rows.append(
                Case(
                    title=f"Konten dilaporkan #{i}",
                    state=state,
                    origin=Case.Origin.PUBLIC,
                    category=rng.choice(("hoax", "hate_speech", "sara", "money_politics")),
                    province_id=province,
                    regency_id=regency or None,
                    priority=rng.choice((1, 2, 2, 2, 3, 4)),
                    follow_up_due=due,
                    platform_due=due if state == "escalated" else None,
                )
            )
        created = Case.objects.bulk_create(rows, batch_size=batch)
        if created and created[0].pk is None:  # pragma: no cover - backends without RETURNING
            created = list(Case.objects.order_by("-id")[:size])[::-1]
        CaseItem.objects.bulk_create(
            [
                CaseItem(
                    case_id=case.pk,
                    url=f"https://www.tiktok.com/@akun/video/{offset + made + j}",
                    canonical_url=f"https://www.tiktok.com/video/{offset + made + j}",
                    platform="tiktok",
                    content_id=str(offset + made + j),
                    key=f"tiktok:{offset + made + j}",
                    origin_case_id=case.pk,
                )
                for j, case in enumerate(created)
            ],
            batch_size=batch,
        )
        made += size
        if made % (batch * 10) == 0 or made == count:
            say(f"  {made:>8,}/{count:,} cases")
    return made


def bench_list(user, say: Say, requests: int = LIST_REQUESTS) -> dict:
    """The handler's case list page filtered to one province, p95 over `requests`. Should the
    page not answer 200, the same read is timed through `listing.case_list` (the code the page
    calls) and the page's status is reported, so one broken template does not lose the run."""
    from django.urls import NoReverseMatch, reverse

    from saring.accounts.scope import scope_for
    from saring.cases.listing import CaseFilters, case_list
    from saring.cases.models import Case

    try:
        url = reverse("web:cases")
    except NoReverseMatch:
        url = "/cases/"
    client = _client()
    client.force_login(user)
    query = {"province": LIST_PROVINCE}
    status = client.get(url, query).status_code  # warm-up: caches, lazy imports, SQLite pages
    if status == 200:
        via = f"{url}?province={LIST_PROVINCE}"

        def once() -> None:
            client.get(url, query)
    else:
        scope = scope_for(user)
        via = f"listing.case_list(province={LIST_PROVINCE}) (the page answered {status})"
        say(f"  the page {url} answered {status}: timing listing.case_list instead")

        def once() -> None:
            case_list(scope, CaseFilters(province=LIST_PROVINCE))

        once()
    say(f"Case list: {requests} requests of {via}…")
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        once()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "case_list_url": via,
        "case_list_page_status": status,
        "case_list_requests": requests,
        "case_list_cases": Case.objects.count(),
        "case_list_province_cases": Case.objects.filter(province_id=LIST_PROVINCE).count(),
        "case_list_median_ms": round(statistics.median(times), 1),
        "case_list_p95_ms": round(_percentile(times, 95), 1),
    }


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1]


# -- 4. the packet ---------------------------------------------------------------------------


def _screenshot(n: int) -> bytes:
    """A phone-sized PNG with some structure (so it compresses like a real screenshot)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (720, 1280), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    rng = random.Random(n)
    for row in range(0, 1280, 40):
        shade = rng.randint(80, 200)
        draw.rectangle((20, row + 5, rng.randint(200, 700), row + 30), fill=(shade, shade, shade))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def bench_packet(user, say: Say) -> dict:
    """A case with 50 linked posts (each with three engagement observations) and 5
    screenshots, to a signed ZIP."""
    from django.utils import timezone

    from saring.accounts.scope import scope_for
    from saring.cases.models import Case, CaseItem, Report
    from saring.cases.packets import build_packet
    from saring.cases.services.attachments import add_screenshot
    from saring.monitoring.models import EngagementObservation, Post

    now = timezone.now()
    scope = scope_for(user)
    base = 7_390_000_000_000_000_000
    posts = Post.objects.bulk_create(
        [
            Post(
                platform="tiktok",
                platform_id=str(base + i),
                url=f"https://www.tiktok.com/@penyebar{i % 7}/video/{base + i}",
                author_handle=f"penyebar{i % 7}",
                author_name=f"Penyebar {i % 7}",
                text=f"Video {i}: TPS dipindah, pemilihan diundur ke 21 Februari! Sebarkan.",
                created_at=now - timedelta(hours=50 - i),
                observed_at=now,
                views=1000 * (i + 1),
                likes=50 * i,
                shares=7 * i,
                comments=3 * i,
                province_id=LIST_PROVINCE,
            )
            for i in range(PACKET_POSTS)
        ]
    )
    if posts[0].pk is None:  # pragma: no cover - backends without RETURNING
        posts = list(Post.objects.filter(platform_id__gte=str(base)).order_by("platform_id"))
    EngagementObservation.objects.bulk_create(
        [
            EngagementObservation(
                post=post, observed_at=now - timedelta(hours=h), views=(post.views or 0) // (h + 1)
            )
            for post in posts
            for h in (0, 6, 24)
        ]
    )
    case = Case.objects.create(
        title="Hoaks pemindahan TPS (paket bukti)",
        state=Case.State.TRIAGED,
        origin=Case.Origin.OFFICER,
        category="hoax",
        province_id=LIST_PROVINCE,
        regency_id=None,
    )
    CaseItem.objects.bulk_create(
        [
            CaseItem(
                case=case,
                url=post.url,
                canonical_url=f"https://www.tiktok.com/video/{post.platform_id}",
                platform="tiktok",
                content_id=post.platform_id,
                key=f"tiktok:{post.platform_id}",
                post=post,
                origin_case=case,
            )
            for post in posts
        ]
    )
    report = Report.objects.create(
        case=case,
        tracking_code="LPR-BENCHPKT",
        channel=Report.Channel.OFFICER,
        urls=[posts[0].url],
        category="hoax",
        description="Temuan patroli siber.",
        good_faith=True,
        consent=True,
    )
    for n in range(PACKET_SCREENSHOTS):
        add_screenshot(case, f"tangkapan-{n + 1}.png", _screenshot(n), report=report, scope=scope)
    say(f"Packet: a case with {PACKET_POSTS} posts and {PACKET_SCREENSHOTS} screenshots…")
    started = time.perf_counter()
    packet = build_packet(case, scope=scope)
    seconds = time.perf_counter() - started
    path = Path(str(packet.path))
    return {
        "packet_seconds": round(seconds, 2),
        "packet_bytes": path.stat().st_size if path.exists() else 0,
        "packet_sha256": packet.sha256,
    }


# -- the whole run ---------------------------------------------------------------------------


def run(
    reports: int = DEFAULTS["reports"],
    contents: int = DEFAULTS["contents"],
    decisions: int = DEFAULTS["decisions"],
    cases_for_list: int = DEFAULTS["cases_for_list"],
    progress: Say | None = None,
    *,
    list_requests: int = LIST_REQUESTS,
) -> dict:
    """Every part on the current database (which must be a throwaway one)."""
    from saring.cases.models import Case

    say = progress or _quiet
    if contents < 1 or reports < 1:
        raise ValueError("reports and contents must be 1 or more")
    people = _people()
    result: dict = {"machine": machine()}
    result |= bench_reports(reports, contents, people["partner_token"], say)
    result["cases"] = Case.objects.count()
    result |= bench_decisions(min(decisions, result["cases"]), people["channel"],
                              people["liaison_token"], say)  # fmt: skip
    fill_cases(max(0, cases_for_list - Case.objects.count()), say)
    result |= bench_list(people["handler"], say, list_requests)
    result |= bench_packet(people["handler"], say)
    result["targets"] = targets(result)
    result["met"] = all(t["met"] for t in result["targets"].values())
    return result


def targets(result: dict) -> dict[str, dict]:
    """Each target with the measured value and whether it was met."""
    checks = {
        "reports_per_s": (">=", TARGETS["reports_per_s"], result["reports_per_s"]),
        "case_list_p95_ms": ("<", TARGETS["case_list_p95_ms"], result["case_list_p95_ms"]),
        "packet_seconds": ("<", TARGETS["packet_seconds"], result["packet_seconds"]),
        "cases": ("==", result["expected_cases"], result["cases"]),
    }
    out = {}
    for name, (op, target, value) in checks.items():
        met = {">=": value >= target, "<": value < target, "==": value == target}[op]
        out[name] = {"target": f"{op} {target:g}", "value": value, "met": met}
    return out


# -- isolation: a child process on a fresh database --------------------------------------------


def child_env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """A fresh data dir (its own SQLite file, uploads and signing key), tasks queued in the
    database (a worker would deliver them later), no SMTP: nothing leaves the machine."""
    drop = {"DATABASE_URL", "SARING_SMTP_HOST", "SARING_PACKET_KEY", "SARING_DATA_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(
        {
            "SARING_DATA_DIR": str(data_dir),
            "SARING_TASKS": "database",
            "SARING_ENV": "development",
            "SARING_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
            "SARING_REPORTS_PER_PARTNER_HOUR": "0",  # partners are not throttled
            "DJANGO_SETTINGS_MODULE": "saring.settings",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


# The intake logs one line per report: 20,000 lines would bury the progress on stderr.
_CHILD = (
    "import json,logging,sys,django;django.setup();"
    "logging.getLogger('saring.cases.intake').setLevel(logging.WARNING);"
    "from saring.cases.benchmark import run;"
    "say=lambda m:print(m,file=sys.stderr,flush=True);"
    "print(json.dumps(run(*map(int,sys.argv[1:5]),progress=say),ensure_ascii=False))"
)


def run_isolated(
    reports: int,
    contents: int,
    decisions: int,
    cases_for_list: int,
    *,
    database_url: str | None = None,
    progress: Say | None = None,
) -> dict:
    """`run()` in a child process on an empty database; its progress goes to our stderr."""
    say = progress or _quiet
    with tempfile.TemporaryDirectory(prefix="saring-bench-cases-") as tmp:
        env = child_env(Path(tmp) / "data", database_url)
        say("Preparing a throwaway database…")
        subprocess.run([sys.executable, "-m", "saring", "migrate", "-v", "0"], env=env, check=True)
        args = [str(n) for n in (reports, contents, decisions, cases_for_list)]
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _CHILD, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=None if progress else subprocess.DEVNULL,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the benchmark's child process failed ({done.returncode})")
        return json.loads(done.stdout.decode("utf-8").strip().splitlines()[-1])


def summary_lines(result: dict) -> list[str]:
    """The human-readable report of `saring bench cases`."""
    m = result["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, Django {m['django']}, "
        f"{m['database']} {m['database_version']}",
        f"reports           {result['reports']:>10,}   ({result['reports_failed']:,} refused)",
        f"reports_per_s     {result['reports_per_s']:>10,.1f}",
        f"cases             {result['cases']:>10,}",
        f"expected_cases    {result['expected_cases']:>10,}",
        f"decisions         {result['decisions']:>10,}   ({result['decisions_failed']:,} refused)",
        f"decisions_per_s   {result['decisions_per_s']:>10,.1f}",
        f"case_list_p95_ms  {result['case_list_p95_ms']:>10,.1f}   (median "
        f"{result['case_list_median_ms']:.1f} ms, {result['case_list_province_cases']:,} of "
        f"{result['case_list_cases']:,} cases in the province)",
        f"                  {'':>10}   ({result['case_list_url']})",
        f"packet_seconds    {result['packet_seconds']:>10,.2f}   "
        f"({result['packet_bytes'] / 2**20:.1f} MB)",
        "Targets:",
    ]
    for name, target in result["targets"].items():
        verdict = "met" if target["met"] else "NOT met"
        lines.append(f"  {name:16} {target['value']!s:>10} {target['target']:>10}  {verdict}")
    if result.get("first_error"):
        lines.append(f"First refused report: {result['first_error']}")
    if result.get("decisions_first_error"):
        lines.append(f"First refused decision: {result['decisions_first_error']}")
    return lines
