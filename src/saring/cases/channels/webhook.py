"""A signed JSON POST of the notice to the channel's webhook URL.

Headers: `X-Saring-Timestamp` (unix seconds), `X-Saring-Signature: sha256=<hex>` (HMAC-SHA256 of
"<timestamp>.<body>" with the channel's secret) and `Idempotency-Key` (the reference, the same on
every retry). Any 2xx is delivered; anything else, or no answer within the timeout, is a failure
the caller retries with back-off. The platform signs its decision webhooks the same way
(services.decisions.check_signature)."""

from __future__ import annotations

import json

from saring.cases.channels.base import Deliverer, DeliveryResult, notice, register
from saring.kernel.webhooks import post_signed, signed_headers

TIMEOUT_SECONDS = 10.0
__all__ = ["WebhookDeliverer", "encode", "signed_headers"]


def encode(escalation) -> bytes:
    return json.dumps(notice(escalation), ensure_ascii=False, separators=(",", ":")).encode()


@register
class WebhookDeliverer(Deliverer):
    kind = "webhook"

    def __init__(self, timeout: float = TIMEOUT_SECONDS):
        self.timeout = timeout

    def deliver(self, escalation) -> DeliveryResult:
        channel = escalation.channel
        if not channel.webhook_url:
            return DeliveryResult(False, "the channel has no http(s) webhook URL")
        result = post_signed(
            channel.webhook_url,
            encode(escalation),
            secret=channel.secret,
            idempotency_key=escalation.reference,
            user_agent="Saring escalation webhook",
            timeout=self.timeout,
        )
        return DeliveryResult(result.ok, result.error)
