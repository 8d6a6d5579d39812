"""Tests of the test infrastructure itself: they run in every suite, on every database."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection


def _run(code_or_args: list[str], **env_changes: str | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for name, value in env_changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *code_or_args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.django_db
def test_database_vendor_matches_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected, (
        f"DATABASE_URL={url!r} but Django uses {connection.vendor}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    if expected == "postgresql":
        assert connection.pg_version >= 150000, f"PostgreSQL {connection.pg_version} < 15"


def test_test_settings_follow_the_environment():
    if os.environ.get("SARING_TASKS") == "immediate":
        assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
    if os.environ.get("SARING_DATA_DIR"):
        assert str(settings.DATA_DIR) == os.environ["SARING_DATA_DIR"]
    if os.environ.get("SARING_ENV") == "test":
        assert settings.SARING_ENV == "test"
        assert "testserver" in settings.ALLOWED_HOSTS


def test_cli_help_lists_commands():
    result = _run(["-m", "saring", "--help"])
    assert result.returncode == 0, result.stderr
    assert "Available subcommands" in result.stdout
    assert re.search(r"^\s+migrate$", result.stdout, re.MULTILINE), result.stdout
    # A command of Saring's own, not only Django's (`runserver` must not count as `serve`).
    assert re.search(r"^\s+serve$", result.stdout, re.MULTILINE), result.stdout
    assert "Note that only Django core commands are listed" not in result.stderr, result.stderr


def test_production_refuses_to_start_without_secret_key(tmp_path):
    setup = ["-c", "import django; django.setup()"]
    common = {
        "DJANGO_SETTINGS_MODULE": "saring.settings",
        "SARING_ENV": "production",
        "SARING_DATA_DIR": str(tmp_path),
        "SARING_ALLOWED_HOSTS": "saring.example.org",
    }
    refused = _run(setup, **common, SARING_SECRET_KEY=None)
    assert refused.returncode != 0
    assert "ConfigError" in refused.stderr, refused.stderr
    assert "SARING_SECRET_KEY" in refused.stderr, refused.stderr
    assert not (tmp_path / "secret_key").exists(), "production must never generate a key file"

    # Control: the same environment with a key starts, so the refusal above is about the key.
    started = _run(setup, **common, SARING_SECRET_KEY="x" * 50)
    assert started.returncode == 0, started.stderr


def test_browser_page_is_desktop_indonesian(page):
    page.set_content(
        "<!doctype html><html lang='id'><meta charset='utf-8'>"
        "<h1>Saring sebelum sharing</h1><p>Pemilu, Bawaslu, KPU — hoaks?</p>"
    )
    assert page.locator("h1").inner_text() == "Saring sebelum sharing"
    assert page.evaluate("navigator.language") == "id-ID"
    assert page.evaluate("[innerWidth, innerHeight]") == [1280, 900]
    assert page.locator("h1").bounding_box()["width"] > 100  # text is laid out with a real font
    assert page.js_errors == []


def test_browser_phone_page_is_small_and_touch(phone_page):
    # Without a viewport meta tag a mobile browser lays the page out 980 px wide, as phones do.
    phone_page.set_content(
        "<!doctype html><meta name='viewport' content='width=device-width'><p>halo</p>"
    )
    assert phone_page.evaluate("innerWidth") == 360
    assert phone_page.evaluate("navigator.maxTouchPoints") > 0
    assert phone_page.evaluate("navigator.language") == "id-ID"


def test_browser_reaches_live_server(page, live_server):
    # Django's own admin login page: present whatever state the Saring templates are in.
    response = page.goto(f"{live_server.url}/admin/login/")
    assert response is not None
    assert response.status == 200, f"/admin/login/ answered {response.status}"
    assert page.locator("html").get_attribute("lang").startswith("id")
    assert page.locator("#id_username").is_visible()
