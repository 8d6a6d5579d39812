"""The Content-Security-Policy in a real browser: no page of Saring reports a violation, and
what depends on scripts (htmx, Chart.js, the language switch, the phone layout) still works."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from saring.factcheck.models import Claim, Clarification, Narrative
from saring.monitoring.models import ImportRun, Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = [
    "Surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik Kota Bandung!!",
    "Surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik Kota Bandung",
    "surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik kota Bandung!",
    "Surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik Kota Bandung ya",
]
# Reports violations from the page itself as well (not only the console).
WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile))"""


@pytest.fixture
def admin(tmp_path, reference_data):
    user = member("admin", username="admin.csp")
    user.is_staff = user.is_superuser = True  # the admin site's pages are checked too
    user.save(update_fields=["is_staff", "is_superuser"])
    lines = [post_line(str(i), text, platform="tiktok", hours=i) for i, text in enumerate(COPIES)]
    lines.append(post_line("a1", "Ada serangan fajar amplop di Bandung", region_code="32"))
    lines.append('{"platform": "x", "platform_id": "rusak"')  # one line for the quarantine
    ingest_file(write_jsonl(tmp_path / "posts.jsonl", lines), "generic-jsonl")
    Clarification.objects.create(
        claim=Claim.objects.create(text="Surat suara sudah dicoblos sebelum hari pencoblosan"),
        headline="Surat suara tidak dicoblos sebelum hari pemungutan suara",
        verdict="SALAH",
        status="published",
        url="https://contoh.go.id/klarifikasi/1",
        published_at=timezone.now(),
    )
    return user


def _watched(page):
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text
            else None
        ),
    )
    page.add_init_script(WATCH)
    return messages


def _visit(page, url: str, messages: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url} answered {response.status}"
    page.wait_for_load_state("load")
    reported = page.evaluate("window.__csp")
    messages.extend(f"{url}: {v}" for v in reported)


def test_no_page_reports_a_policy_violation_and_scripts_still_work(page, live_server, login, admin):
    messages = _watched(page)
    login(page, admin.username, PASSWORD)
    base = live_server.url
    post = Post.objects.get(platform_id="a1")
    run = ImportRun.objects.get()
    clarification = Clarification.objects.get()
    narrative = Narrative.objects.order_by("-size").first()
    assert narrative is not None, "the copies should have formed a narrative"

    pages = [
        "/",
        "/posts/?q=surat+suara&region=all",
        f"/posts/{post.pk}/",
        "/narratives/",
        f"/narratives/{narrative.number}/",
        "/clarifications/",
        f"/clarifications/{clarification.pk}/",
        "/clarifications/new/",
        "/review/",
        "/imports/",
        f"/imports/{run.pk}/",
        "/quarantine/",
        "/models/",
        "/labels/queue/",
        "/watchlists/",
        "/watchlists/new/",
        "/audit/",
        "/admin/",
        "/admin/auth/user/",
        f"/admin/auth/user/{admin.pk}/change/",
        "/admin/axes/accessattempt/",
        "/api/v1/docs",
    ]
    for path in pages:
        _visit(page, base + path, messages)
        if path == "/":
            # Chart.js drew the volume chart from the embedded JSON.
            assert page.evaluate("!!Chart.getChart('volume-chart')")
            widths = page.locator("#cat-h + ul meter.bar").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().width)"
            )
            assert widths and all(w > 0 for w in widths)
        if path.startswith("/narratives/") and path != "/narratives/":
            assert page.evaluate("!!Chart.getChart('volume-chart')")
        if path == "/api/v1/docs":  # Swagger UI rendered the operations of the document
            page.wait_for_selector(".opblock", timeout=10_000)
    assert messages == [], "\n".join(messages)
    assert not page.js_errors


def test_htmx_and_the_language_switch_work_under_the_policy(page, live_server, login, admin):
    messages = _watched(page)
    login(page, admin.username, PASSWORD)
    _visit(page, f"{live_server.url}/posts/", messages)
    # htmx: choosing a province loads its regencies into the next select.
    with page.expect_response(re.compile(r"/regions/regencies/")):
        page.select_option("select[name=region]", "32")
    page.wait_for_function("document.querySelectorAll('#id_regency option').length > 2")
    # The language switch submits itself on change (no inline onchange handler).
    with page.expect_navigation():
        page.select_option("#lang-switch", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert messages == [], "\n".join(messages)
    assert not page.js_errors


def test_the_lockout_page_and_the_phone_layout_report_no_violation(
    browser, phone_page, live_server, admin
):
    messages = _watched(phone_page)
    url = f"{live_server.url}/login/"
    _visit(phone_page, url, messages)
    for _ in range(5):
        phone_page.fill("#id_username", "penyusup")
        phone_page.fill("#id_password", "tebak-tebakan")
        with phone_page.expect_response(lambda r: r.request.method == "POST") as posted:
            phone_page.click("button[type=submit]")
        phone_page.wait_for_load_state("load")
    assert posted.value.status == 429
    assert phone_page.locator("[role=alert]").is_visible()
    messages.extend(phone_page.evaluate("window.__csp"))

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    phone = context.new_page()
    more = _watched(phone)
    _visit(phone, url, more)
    phone.fill("#id_username", admin.username)
    phone.fill("#id_password", PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/")
    _visit(phone, f"{live_server.url}/posts/", more)
    # saring.js folds the filters on a phone so the results come first.
    assert phone.locator("details.filter-box").get_attribute("open") is None
    context.close()
    assert messages + more == [], "\n".join(messages + more)
