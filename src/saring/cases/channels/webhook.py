"""A signed JSON POST of the notice to the channel's webhook URL.

Headers: `X-Saring-Timestamp` (unix seconds), `X-Saring-Signature: sha256=<hex>` (HMAC-SHA256 of
"<timestamp>.<body>" with the channel's secret) and `Idempotency-Key` (the reference, the same on
every retry). Any 2xx is delivered; anything else, or no answer within the timeout, is a failure
the caller retries with back-off. The platform signs its decision webhooks the same way
(services.decisions.check_signature)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from saring.cases.channels.base import (
    Deliverer,
    DeliveryResult,
    hmac_signature,
    notice,
    register,
)

TIMEOUT_SECONDS = 10.0


def encode(escalation) -> bytes:
    return json.dumps(notice(escalation), ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json; charset=utf-8",
        "X-Saring-Timestamp": stamp,
        "X-Saring-Signature": hmac_signature(secret, stamp, body),
    }


@register
class WebhookDeliverer(Deliverer):
    kind = "webhook"

    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.timeout = timeout

    def deliver(self, escalation) -> DeliveryResult:
        channel = escalation.channel
        url = channel.webhook_url
        if urlsplit(url).scheme not in {"http", "https"}:
            return DeliveryResult(False, "the channel has no http(s) webhook URL")
        if not channel.secret:
            return DeliveryResult(False, "the channel has no shared secret to sign with")
        body = encode(escalation)
        headers = {
            **signed_headers(channel.secret, body),
            "Idempotency-Key": escalation.reference,
            "User-Agent": "Saring escalation webhook",
        }
        # The scheme is checked above: only http(s), never file: or a custom handler.
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            return DeliveryResult(False, f"HTTP {error.code} from the webhook")
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            return DeliveryResult(False, f"no answer from the webhook: {reason}"[:500])
        if 200 <= status < 300:
            return DeliveryResult(True)
        return DeliveryResult(False, f"HTTP {status} from the webhook")
