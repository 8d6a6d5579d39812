"""Shared fixtures: headless Chromium through Playwright's sync API, and a real-form login.

Browser journeys are marked `browser` (any test using `browser`, `page` or `phone_page` gets the
marker automatically, so `-m "not browser"` always deselects them) and talk to pytest-django's
`live_server`. See docs/testing.md.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread, which makes
# Django's async-safety guard reject ORM calls made by the test itself (creating users, checking
# rows). The tests are plain synchronous code, so the guard is switched off for the suite.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
# Every test import clusters its posts inline (immediate tasks); copies-only keeps that fast.
# Tests of paraphrase clustering switch it on themselves.
os.environ.setdefault("SARING_NARRATIVE_PARAPHRASES", "0")

CHROMIUM = os.environ.get("SARING_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
LOCALE = "id-ID"
TIMEOUT_MS = 10_000  # fail a journey in seconds, not Playwright's default 30 s per step
BROWSER_FIXTURES = {"browser", "page", "phone_page"}


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def _chromium_missing_reason() -> str | None:
    if os.access(CHROMIUM, os.X_OK):
        return None
    return (
        f"Chromium not found at {CHROMIUM}: install Debian's `chromium` package "
        "(bash scripts/test does it when run as root) or set SARING_CHROMIUM"
    )


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['HOST']}:{db['PORT']}"
    return [
        f"saring: SARING_ENV={settings.SARING_ENV} data={settings.DATA_DIR} "
        f"db={db['ENGINE'].rsplit('.', 1)[-1]} ({where}) "
        f"tasks={settings.TASKS['default']['BACKEND'].rsplit('.', 1)[-1]}",
        f"saring: chromium={CHROMIUM} ({'MISSING' if _chromium_missing_reason() else 'found'})"
        f" CI={'yes' if _in_ci() else 'no'}",
    ]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("browser") is None:
        return
    reason = _chromium_missing_reason()
    if reason is None:
        return
    if _in_ci():
        pytest.fail(f"{reason}. Browser journeys are required in CI (CI is set).", pytrace=False)
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    # Keep each phase's report on the item so `page` can tell whether the test failed.
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session (sync Playwright API)."""
    reason = _chromium_missing_reason()
    if reason is not None:  # a test using the fixture without the marker still gets the rule
        if _in_ci():
            pytest.fail(f"{reason}. Browser journeys are required in CI.", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _artifact_dir(config: pytest.Config) -> Path:
    return config.rootpath / "test-artifacts"


def _artifact_stem(request: pytest.FixtureRequest) -> str:
    vendor = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid).strip("_")
    return f"{name[-150:]}.{vendor}"


def _page_for(browser, request: pytest.FixtureRequest, **context_options) -> Iterator:
    context = browser.new_context(locale=LOCALE, accept_downloads=True, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # journeys may assert `not page.js_errors`
    try:
        yield page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed and not page.is_closed():
            out = _artifact_dir(request.config)
            out.mkdir(parents=True, exist_ok=True)
            stem = _artifact_stem(request)
            try:
                page.screenshot(path=str(out / f"{stem}.png"), full_page=True)
                (out / f"{stem}.html").write_text(page.content(), encoding="utf-8")
                print(f"\nbrowser artifacts: {out / stem}.png (.html); url was {page.url}")
            except Exception as exc:  # never hide the real failure behind an artifact error
                print(f"\ncould not save browser artifacts for {request.node.nodeid}: {exc}")
        context.close()


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A desktop page (1280×900, id-ID) in its own context; screenshot on failure."""
    yield from _page_for(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A phone-sized touch page (360×740, id-ID) in its own context; screenshot on failure."""
    yield from _page_for(browser, request, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def login(live_server) -> Callable[..., object]:
    """`login(page, username, password)` signs in through the real form at /login/.

    Returns the page, on the page the login redirected to. Fails with the form's error text if
    the credentials are refused.
    """

    def _login(page, username: str, password: str, next_path: str | None = None):
        url = f"{live_server.url}/login/"
        if next_path:
            url += f"?next={next_path}"
        response = page.goto(url)
        assert response is not None and response.ok, (
            f"GET /login/ answered {response.status if response else 'nothing'}"
        )
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_response(
            lambda r: r.request.method == "POST" and "/login/" in r.url
        ) as posted:
            page.click("button[type=submit]")
        status = posted.value.status
        page.wait_for_load_state()
        if status != 302:
            errors = page.locator(".errorlist, .errornote, [role=alert]").all_inner_texts()
            raise AssertionError(
                f"login as {username!r} refused (POST /login/ answered {status}): "
                f"{' | '.join(e.strip() for e in errors) or 'no error shown'}"
            )
        assert any(c["name"] == "sessionid" for c in page.context.cookies()), "no session cookie"
        return page

    return _login


@pytest.fixture
def reference_data():
    """Regions, harm taxonomy, national watchlists, RESPOND's legal bases and deadline rules,
    and the 2024 elections calendar, as migrations install them.

    Transactional tests (live server, browser) flush every table afterwards, migration data
    included, so a test that needs them asks for this fixture and gets them back.
    """
    from django.apps import apps

    from saring.cases.seed import seed as seed_cases
    from saring.monitoring.seed import seed_hate_speech_details, seed_taxonomy_and_watchlists
    from saring.regions.services import load_regions

    province = apps.get_model("regions", "Province")
    if not province.objects.exists():
        load_regions(
            province, apps.get_model("regions", "Regency"), apps.get_model("regions", "District")
        )
    seed_taxonomy_and_watchlists(
        apps.get_model("taxonomy", "HarmCategory"), apps.get_model("monitoring", "Watchlist")
    )
    seed_hate_speech_details(apps.get_model("taxonomy", "HarmCategory"))
    seed_cases(
        apps.get_model("cases", "LegalBasis"),
        apps.get_model("cases", "DeadlineRule"),
        apps.get_model("cases", "ProposalRule"),
    )
    if not apps.get_model("elections", "Election").objects.exists():
        import importlib

        calendar = importlib.import_module("saring.elections.migrations.0002_load_2024_calendar")
        calendar.load(apps, None)
