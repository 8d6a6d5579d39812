"""INFORM end to end in headless Chromium at 360 px: a KPU Kabupaten Garut analyst drafts an
announcement for Garut and submits it; a KPU Provinsi Jawa Barat admin approves it; the public
site rebuilds (tasks run inline in tests); a visitor picks Jawa Barat → Garut and sees it, and it
is in the API and the Atom feed. axe-core finds no serious or critical violation on the public
pages, and Pagefind's search finds a clarification with JavaScript on."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from saring.factcheck.models import Claim, Clarification
from saring.guide.models import Build, Entry, Revision
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Pemungutan suara ulang di TPS 007 Desa Cibunar, Kabupaten Garut"
BODY = (
    "<p>KPU Kabupaten Garut menetapkan pemungutan suara ulang di TPS 007 pada hari Sabtu, "
    "pukul 07.00–13.00 WIB. Bawa KTP-el.</p><script>alert('x')</script>"
)
HEADLINE = "Pemungutan suara tidak dapat dilakukan lewat SMS atau aplikasi daring"
SERIOUS = {"serious", "critical"}
BUILD_TIMEOUT_MS = 120_000


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def _phone(browser, **options):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="id-ID",
        **options,
    )  # fmt: skip
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))
    return page


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} × {len(v['nodes'])}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


@pytest.fixture
def site(settings, tmp_path, live_server, reference_data):
    settings.SARING_GUIDE_DIR = str(tmp_path / "guide-site")
    settings.SARING_PUBLIC_URL = live_server.url
    clarification = Clarification.objects.create(
        claim=Claim.objects.create(text="Pemungutan suara bisa lewat SMS"),
        headline=HEADLINE,
        verdict="SALAH",
        explanation="Pemungutan suara hanya dilakukan dengan mencoblos surat suara di TPS.",
        status="published",
        url="https://contoh.go.id/klarifikasi/sms",
        publisher="KPU RI",
        published_at=timezone.now(),
    )
    return clarification


def test_an_announcement_for_garut_from_draft_to_the_public_site_api_and_feed(
    browser, live_server, login, site
):
    base = live_server.url
    analyst = member("analyst", "32", "32.05", username="kpu.garut")
    admin = member("admin", "32", username="kpu.jabar")

    # 1. The Garut analyst drafts and submits, on a phone.
    officer = _phone(browser)
    login(officer, analyst.username, PASSWORD)
    officer.goto(f"{base}/guide/new/?kind=announcement")
    _fits(officer)
    officer.fill("#f-title_id", TITLE)
    officer.fill("#f-body_id", BODY)
    officer.fill("#f-title_en", "Re-vote at TPS 007, Cibunar village, Garut Regency")
    officer.select_option("#f-notice", "revote")
    officer.select_option("#f-region", "32.05")
    officer.locator("#guide-form [data-action=submit]").click()
    officer.wait_for_load_state("load")
    revision = Revision.objects.get(title_id=TITLE)
    assert revision.state == Revision.State.SUBMITTED
    assert revision.author_id == analyst.pk
    assert "<script" not in revision.body_id  # sanitised on save
    entry = revision.entry
    assert (entry.province_id, entry.regency_id, entry.notice) == ("32", "32.05", "revote")
    assert entry.status == Entry.Status.DRAFT

    # 2. The Jawa Barat admin approves from the queue; the site rebuilds inline.
    reviewer = _phone(browser)
    login(reviewer, admin.username, PASSWORD)
    reviewer.goto(f"{base}/guide/approvals/")
    _fits(reviewer)
    # The approval answers once the inline rebuild is done: the whole site, both languages.
    reviewer.set_default_timeout(BUILD_TIMEOUT_MS)
    reviewer.locator(f"[data-approve='{revision.pk}']").click()
    reviewer.wait_for_load_state("load")
    entry.refresh_from_db()
    assert entry.status == Entry.Status.PUBLISHED and entry.live_id == revision.pk
    revision.refresh_from_db()
    assert revision.reviewer_id == admin.pk != revision.author_id
    assert Build.objects.filter(state=Build.State.DONE).exists(), list(
        Build.objects.values("state", "error")
    )

    # 3. A visitor (no login) chooses Jawa Barat, then Garut, and sees the announcement.
    visitor = _phone(browser)
    visitor.goto(f"{base}/panduan/")
    _fits(visitor)
    visitor.locator("a[data-region='32']").first.click()
    visitor.wait_for_load_state("load")
    assert visitor.locator("[data-region-page='32']").count() == 1
    visitor.locator("a[data-region='32.05']").first.click()
    visitor.wait_for_load_state("load")
    _fits(visitor)
    assert visitor.locator("[data-region-page='32.05']").count() == 1
    assert TITLE in visitor.locator("main").inner_text()
    # Remembered without an account: the home page now offers the way back to Garut.
    visitor.goto(f"{base}/panduan/")
    shortcut = visitor.locator("[data-my-region] a")
    assert shortcut.is_visible() and "wilayah/32-05/" in shortcut.get_attribute("href")
    # National visitors do not see Garut's notice on the home page.
    assert TITLE not in visitor.locator("main").inner_text()
    assert not visitor.js_errors, visitor.js_errors

    # 4. The same announcement in the API and the Atom feed, for platforms.
    api = visitor.request.get(f"{base}/api/v1/announcements")
    assert api.ok, api.status
    assert entry.slug in json.dumps(api.json())
    assert TITLE in json.dumps(api.json(), ensure_ascii=False)
    feed = visitor.request.get(f"{base}/feeds/announcements.atom")
    assert feed.ok and "atom" in feed.headers.get("content-type", "")
    assert TITLE in feed.text()


def test_public_pages_pass_axe_at_360px_and_search_finds_a_clarification(
    browser, live_server, site
):
    from django.core.management import call_command

    call_command("guide", "build")
    base = live_server.url
    visitor = _phone(browser)
    pages = [
        f"{base}/panduan/",
        f"{base}/panduan/wilayah/32-05/",
        f"{base}/panduan/cek-fakta/{site.pk}/",
        f"{base}/lapor/",
    ]
    problems: list[str] = []
    for url in pages:
        response = visitor.goto(url)
        assert response is not None and response.ok, f"{url} answered {response.status}"
        visitor.wait_for_load_state("load")
        _fits(visitor)
        problems.extend(_serious_violations(visitor))
    assert not problems, "\n".join(problems)
    ld = visitor.goto(f"{base}/panduan/cek-fakta/{site.pk}/")
    assert ld is not None and ld.ok
    claim_review = json.loads(
        visitor.locator("script[type='application/ld+json']").first.text_content()
    )
    assert "ClaimReview" in json.dumps(claim_review)

    # Pagefind's index, with JavaScript on.
    visitor.goto(f"{base}/panduan/cari/")
    box = visitor.locator("#search input").first
    box.fill("SMS aplikasi")
    result = visitor.locator("#search .pagefind-ui__result").first
    result.wait_for(state="visible")
    assert HEADLINE in visitor.locator("#search").inner_text()
    assert f"cek-fakta/{site.pk}/" in result.locator("a").first.get_attribute("href")
    assert not visitor.js_errors, visitor.js_errors
