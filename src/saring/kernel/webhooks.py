"""Signed JSON webhooks, one scheme for every context (escalations, guide publications).

Headers: `X-Saring-Timestamp` (unix seconds) and `X-Saring-Signature: sha256=<hex>`, the
HMAC-SHA256 of "<timestamp>.<body>" with the shared secret; the sender adds an
`Idempotency-Key` that stays the same on every retry. A receiver checks the signature over the
raw body, refuses a timestamp older than a few minutes, and ignores a key it has seen.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit


def hmac_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>")."""
    message = timestamp.encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signed_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json; charset=utf-8",
        "X-Saring-Timestamp": stamp,
        "X-Saring-Signature": hmac_signature(secret, stamp, body),
    }


@dataclass(frozen=True)
class PostResult:
    ok: bool
    error: str = ""


def post_signed(
    url: str,
    body: bytes,
    *,
    secret: str,
    idempotency_key: str,
    user_agent: str,
    timeout: float = 10.0,
) -> PostResult:
    """POST `body` signed; any 2xx is delivered, anything else (or no answer) a failure the
    caller retries. Errors name the status or the reason, never the body."""
    if urlsplit(url).scheme not in {"http", "https"}:
        return PostResult(False, "the webhook URL is not http(s)")
    if not secret:
        return PostResult(False, "there is no shared secret to sign with")
    headers = {
        **signed_headers(secret, body),
        "Idempotency-Key": idempotency_key,
        "User-Agent": user_agent,
    }
    # The scheme is checked above: only http(s), never file: or a custom handler.
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as error:
        return PostResult(False, f"HTTP {error.code} from the webhook")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return PostResult(False, f"no answer from the webhook: {reason}"[:500])
    if 200 <= status < 300:
        return PostResult(True)
    return PostResult(False, f"HTTP {status} from the webhook")
