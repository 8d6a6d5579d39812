"""The security baseline: login throttling, headers and policy, HTTPS behind a proxy, a clean
deploy check, 500s in the log without personal data, and spreadsheet-safe exports."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.decorators import login_not_required
from django.core.mail import send_mail
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import path, reverse

from saring import config
from saring.audit.models import AuditEvent
from saring.monitoring.services.ingest import ingest_file
from saring.web.exports import safe_cell
from saring.web.lockout import address_hash, client_address
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HOST = "saring.example.go.id"
ORIGIN = f"https://{HOST}"
SECRET = "x" * 20 + "-a-long-random-production-secret-key-for-tests-only-0123456789"


def _fail(client, username, address="127.0.0.1", password="wrong-password", **extra):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


# --- login throttling ------------------------------------------------------------------------


def test_the_account_limit_locks_the_account_with_a_429_login_page_in_indonesian(client, settings):
    user = member("analyst", "32")
    limit = settings.SARING_LOGIN_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _fail(client, user.username).status_code == 200
    locked = _fail(client, user.username)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Terlalu banyak percobaan masuk" in body
    assert f"Coba lagi dalam {settings.SARING_LOGIN_COOLOFF_MINUTES} menit" in body
    assert 'name="password"' in body  # the login page itself, not a bare error text
    assert locked["Retry-After"] == str(settings.SARING_LOGIN_COOLOFF_MINUTES * 60)
    # Even the right password is refused until the cool-off has passed.
    right = _fail(client, user.username, password=PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_worded_in_english_for_english_readers(client, settings):
    user = member("analyst")
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT):
        response = _fail(client, user.username, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "Too many login attempts. Try again in 15 minutes." in response.content.decode()


def test_the_account_limit_counts_failures_from_every_address(client, settings):
    user = member("analyst")
    for n in range(settings.SARING_LOGIN_FAILURE_LIMIT):
        _fail(client, user.username, address=f"10.0.0.{n + 1}")
    assert _fail(client, user.username, "10.9.9.9", password=PASSWORD).status_code == 429


def test_the_higher_address_limit_locks_one_address_across_accounts_but_not_others(
    client, settings
):
    victim = member("analyst")
    per_account = settings.SARING_LOGIN_FAILURE_LIMIT - 1  # no single account reaches its limit
    guesses = 0
    for n in range(settings.SARING_LOGIN_ADDRESS_FAILURE_LIMIT):
        response = _fail(client, f"guess{n // per_account}", address="192.0.2.7")
        guesses += 1
        if response.status_code == 429:
            break
    assert guesses == settings.SARING_LOGIN_ADDRESS_FAILURE_LIMIT
    assert settings.SARING_LOGIN_ADDRESS_FAILURE_LIMIT > settings.SARING_LOGIN_FAILURE_LIMIT
    assert _fail(client, victim.username, "192.0.2.7", password=PASSWORD).status_code == 429
    elsewhere = _fail(client, victim.username, "198.51.100.1", password=PASSWORD)
    assert elsewhere.status_code == 302


def test_a_lockout_ends_after_the_cool_off_and_the_page_counts_down(client, settings):
    user = member("analyst")
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT):
        _fail(client, user.username)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=10))
    body = _fail(client, user.username, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Try again in {settings.SARING_LOGIN_COOLOFF_MINUTES - 10} minutes." in body
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - timedelta(minutes=settings.SARING_LOGIN_COOLOFF_MINUTES)
    )
    assert _fail(client, user.username, password=PASSWORD).status_code == 302


def test_a_login_forgives_the_accounts_failures_from_that_address(client, settings):
    user = member("analyst")
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT - 1):
        _fail(client, user.username)
    assert _fail(client, user.username, password=PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT - 1):
        assert _fail(client, user.username).status_code == 200
    assert _fail(client, user.username, password=PASSWORD).status_code == 302


def test_a_lockout_is_audited_once_naming_the_account_but_not_the_address(client, settings):
    user = member("analyst")
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT + 2):  # two more while locked
        _fail(client, user.username, address="203.0.113.9")
    event = AuditEvent.objects.get(action="login.locked_out")
    assert (event.actor, event.subject_type, event.subject_id) == (
        user.username,
        "auth.user",
        str(user.pk),
    )
    assert event.details["limits"] == ["account"]
    assert event.details["address_hash"] == address_hash("203.0.113.9")
    stored = json.dumps(event.details) + event.reason + event.subject
    assert "203.0.113.9" not in stored and "wrong-password" not in stored


def test_a_username_that_is_no_account_is_not_written_into_the_audit_trail(client, settings):
    typed = "my-secret-typed-in-the-wrong-field"
    for _ in range(settings.SARING_LOGIN_FAILURE_LIMIT):
        _fail(client, typed)
    event = AuditEvent.objects.get(action="login.locked_out")
    assert event.details["account"] == "unknown"
    assert typed not in json.dumps(event.details) + event.actor + event.subject


def test_the_throttled_address_is_the_proxys_entry_only_when_the_proxy_is_trusted(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5"
    )
    settings.SARING_TRUST_PROXY_HEADERS = False
    assert client_address(request) == "10.0.0.2"  # a forged header changes nothing
    settings.SARING_TRUST_PROXY_HEADERS = True
    assert client_address(request) == "203.0.113.5"  # the entry the proxy appended
    request.META["HTTP_X_FORWARDED_FOR"] = "not-an-address"
    assert client_address(request) == "10.0.0.2"


def test_limits_and_origins_from_the_environment_are_checked(monkeypatch):
    monkeypatch.setenv("SARING_LOGIN_FAILURE_LIMIT", "0")
    with pytest.raises(config.ConfigError, match="SARING_LOGIN_FAILURE_LIMIT"):
        config.env_positive_int("SARING_LOGIN_FAILURE_LIMIT")
    for bad in (HOST, f"{ORIGIN}/login/", "ftp://saring.example.go.id"):
        monkeypatch.setenv("SARING_CSRF_TRUSTED_ORIGINS", bad)
        with pytest.raises(config.ConfigError, match="SARING_CSRF_TRUSTED_ORIGINS"):
            config.env_origins("SARING_CSRF_TRUSTED_ORIGINS")
    monkeypatch.setenv("SARING_CSRF_TRUSTED_ORIGINS", f"{ORIGIN}, http://localhost:8000")
    assert config.env_origins("SARING_CSRF_TRUSTED_ORIGINS") == [ORIGIN, "http://localhost:8000"]


# --- headers and policy ----------------------------------------------------------------------


@pytest.mark.parametrize("logged_in", [False, True])
def test_every_page_sends_the_policy_and_security_headers(client, logged_in):
    if logged_in:
        client.login(username=member("viewer").username, password=PASSWORD)
    response = client.get(reverse("web:dashboard") if logged_in else reverse("login"))
    assert response.status_code == 200
    policy = dict(
        d.strip().split(" ", 1) for d in response["Content-Security-Policy"].split(";") if d
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


TAG = re.compile(r"<[a-zA-Z][^>]*>", re.S)


def _templates():
    return sorted((ROOT / "src" / "saring").glob("*/templates/**/*.html"))


@pytest.mark.parametrize("template", _templates(), ids=lambda p: p.name)
def test_no_template_has_inline_script_handler_or_style(template):
    text = template.read_text(encoding="utf-8")
    where = template.relative_to(ROOT)
    for tag in TAG.findall(text):
        # JSON-LD (ClaimReview on the public guide) is data, never executed: CSP allows it.
        inline = re.match(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", tag)
        assert not inline, f"{where}: inline <script>: {tag}"
        assert not re.search(r"\son[a-z]+\s*=", tag), f"{where}: inline event handler: {tag}"
        assert not re.search(r"\sstyle\s*=", tag), f"{where}: inline style: {tag}"
        assert "javascript:" not in tag.lower(), f"{where}: javascript: URL: {tag}"
    assert "<style" not in text, f"{where}: <style> element"


# --- HTTPS behind a TLS-terminating proxy ----------------------------------------------------

PRODUCTION_NAMES = [
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND",
]
OVERRIDABLE = PRODUCTION_NAMES[1:-1]


def _production_env(tmp_path, **env) -> dict[str, str]:
    environ = {
        key: value
        for key, value in os.environ.items()
        # the test run's own switches (conftest allows async-unsafe calls for Playwright)
        if not key.startswith("SARING_")
        and key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environ.update(
        SARING_ENV="production",
        SARING_SECRET_KEY=SECRET,
        SARING_ALLOWED_HOSTS=HOST,
        SARING_DATA_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="saring.settings",
    )
    environ.update(env)
    return environ


def production_settings(tmp_path, **env) -> dict:
    """The settings Saring computes under SARING_ENV=production and `env` (a fresh process:
    settings.py reads the environment once)."""
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {PRODUCTION_NAMES!r}}}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_production_env(tmp_path, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(done.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"]:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@contextmanager
def serving(values: dict):
    """A test client for a server configured with `values` (middleware reads some settings
    when it is built, so the client is made inside the override)."""
    with override_settings(**{name: values[name] for name in OVERRIDABLE}):
        yield Client(enforce_csrf_checks=True)


def _post_login(client, user, host=HOST, **headers):
    page = client.get(reverse("login"), HTTP_HOST=host, **headers)
    if page.status_code != 200:
        return page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    data = {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    return client.post(reverse("login"), data, HTTP_HOST=host, HTTP_ORIGIN=ORIGIN, **headers)


def test_production_is_https_only_with_secure_cookies_and_no_debug(tmp_path):
    values = production_settings(tmp_path, SARING_DEBUG="1")
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_PROXY_SSL_HEADER"] is None  # forwarded headers are not trusted
    assert values["EMAIL_BACKEND"] == "saring.kernel.mail.UnsentMailLogBackend"
    opted_out = production_settings(tmp_path, SARING_HTTPS_REDIRECT="0")
    assert opted_out["SECURE_SSL_REDIRECT"] is False and opted_out["SECURE_HSTS_SECONDS"] == 0
    assert opted_out["SESSION_COOKIE_SECURE"]  # cookies stay HTTPS-only either way


def test_behind_the_trusted_proxy_a_form_post_from_the_public_origin_succeeds(tmp_path):
    user = member("analyst")
    values = production_settings(tmp_path, SARING_TRUST_PROXY_HEADERS="1")
    assert values["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    with serving(values) as client:
        response = _post_login(client, user, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.session["_auth_user_id"] == str(user.pk)
        assert "max-age=31536000; includeSubDomains" in response["Strict-Transport-Security"]


def test_without_the_proxy_setting_the_same_post_is_refused(tmp_path):
    user = member("analyst")
    with serving(production_settings(tmp_path)) as client:
        # Every request looks like plain HTTP: it is redirected, never processed.
        response = _post_login(client, user, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 301 and response["Location"].startswith("https://")
        assert "_auth_user_id" not in client.session
    with serving(production_settings(tmp_path, SARING_HTTPS_REDIRECT="0")) as client:
        # Without the redirect, the https Origin does not match the http request: CSRF refuses.
        response = _post_login(client, user, HTTP_X_FORWARDED_PROTO="https")
        assert response.status_code == 403
        assert "_auth_user_id" not in client.session


def test_a_proxy_that_rewrites_the_host_needs_the_public_origin_trusted(tmp_path):
    user = member("analyst")
    env = {"SARING_TRUST_PROXY_HEADERS": "1", "SARING_ALLOWED_HOSTS": "saring.internal"}
    with serving(production_settings(tmp_path, **env)) as client:
        refused = _post_login(client, user, "saring.internal", HTTP_X_FORWARDED_PROTO="https")
        assert refused.status_code == 403
    env["SARING_CSRF_TRUSTED_ORIGINS"] = ORIGIN
    with serving(production_settings(tmp_path, **env)) as client:
        accepted = _post_login(client, user, "saring.internal", HTTP_X_FORWARDED_PROTO="https")
        assert accepted.status_code == 302


# --- deploy check ----------------------------------------------------------------------------


@pytest.mark.parametrize("https_redirect", ["1", "0"])
def test_the_deploy_check_is_clean_under_production_settings(tmp_path, https_redirect):
    done = subprocess.run(
        [sys.executable, "-m", "saring", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path, SARING_HTTPS_REDIRECT=https_redirect),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout, done.stdout + done.stderr
    assert "WARNINGS" not in done.stdout + done.stderr


# --- errors in the log, personal data out of it ---------------------------------------------


@login_not_required
def _broken_view(request):
    raise RuntimeError("could not mail budi.santoso@example.org at +62 812-3456-7890")


urlpatterns = [path("broken/", _broken_view)]


@contextmanager
def _captured(logger_name: str):
    """What the configured console handler of `logger_name` writes (the real formatter)."""
    logger = logging.getLogger(logger_name)
    handler = next(h for h in logger.handlers if isinstance(h, logging.StreamHandler))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@override_settings(ROOT_URLCONF=__name__)
def test_a_500_is_logged_with_its_traceback_and_without_personal_data():
    client = Client(raise_request_exception=False)
    with _captured("django.request") as log:
        response = client.get("/broken/")
    assert response.status_code == 500
    text = log.getvalue()
    assert "ERROR django.request Internal Server Error: /broken/" in text
    assert "Traceback (most recent call last)" in text and "_broken_view" in text
    assert "RuntimeError: could not mail [email] at [phone]" in text
    assert "budi.santoso@example.org" not in text and "3456-7890" not in text


@pytest.mark.parametrize(
    "number", ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "6281234567890"]
)
def test_indonesian_phone_numbers_are_masked_in_log_lines(number):
    with _captured("saring") as log:
        logging.getLogger("saring.test").warning("SMS to %s failed", number)
    assert log.getvalue().rstrip().endswith("SMS to [phone] failed")


def test_counts_dates_and_ids_in_log_lines_are_left_alone():
    with _captured("saring") as log:
        logging.getLogger("saring.test").warning(
            "import 2024-02-14 run 12345678: 4301 posts/s, 760 records"
        )
    assert "import 2024-02-14 run 12345678: 4301 posts/s, 760 records" in log.getvalue()


@override_settings(EMAIL_BACKEND="saring.kernel.mail.UnsentMailLogBackend")
def test_an_alert_mail_without_a_mail_server_is_logged_without_its_address():
    with _captured("saring") as log:
        sent = send_mail("[Saring] Narasi N7 tumbuh cepat", "body", None, ["budi@example.org"])
    assert sent == 0
    text = log.getvalue()
    assert "mail not sent" in text and "for 1 recipient(s)" in text
    assert "Narasi N7" in text and "budi" not in text and "body" not in text


# --- spreadsheet-safe exports ----------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        "+62 812 ikut kampanye",
        "-5 derajat? =cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "\tdisembunyikan",
        "\r=1+1",
        '  =HYPERLINK("http://contoh")',
        "\n+1",
        "\u00a0@akun",
    ],
)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(cell):
    assert safe_cell(cell) == "'" + cell


@pytest.mark.parametrize("value", ["Ayo ke TPS", "#pemilu2024", "akun@contoh", "", 5, -5, 1.5])
def test_other_cells_are_exported_as_they_are(value):
    assert safe_cell(value) == value


def test_the_csv_export_defuses_every_formula_start(client, tmp_path):
    texts = ["=1+1 hoaks", "+cmd kampanye", "-1+1 surat suara", "@SUM(1) TPS"]
    ingest_file(
        write_jsonl(
            tmp_path / "f.jsonl",
            [post_line(str(n), text, hours=n) for n, text in enumerate(texts)],
        ),
        "generic-jsonl",
    )
    client.login(username=member("viewer").username, password=PASSWORD)
    response = client.get(reverse("web:export", args=["csv"]), {"region": "all", "scope": "all"})
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert sorted(r["text"] for r in rows) == sorted("'" + t for t in texts)
