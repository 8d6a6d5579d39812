"""SMS through the gateway's batch API (saring.kernel.sms.SmsBatchClient, keep-alive)."""

from __future__ import annotations

from collections.abc import Sequence

from saring.broadcasts.channels.base import ChannelOff, Message, Result, Sender, register
from saring.kernel import sms


@register
class SmsSender(Sender):
    channel = "sms"
    batch_size = 500

    def __init__(self, client: sms.SmsBatchClient | None = None, timeout: float = 10.0):
        self.client = client or sms.batch_gateway(timeout=timeout)
        if self.client is None:
            raise ChannelOff("SMS is off: set SARING_SMS_BATCH_URL or SARING_SMS_URL")

    def send(self, batch: Sequence[Message]) -> list[Result]:
        try:
            answers = self.client.send_batch(
                [{"key": m.key, "to": m.to, "text": m.text} for m in batch]
            )
        except sms.SmsRefused as error:
            # Credentials or a malformed request: the same for every message, kept retryable
            # so a resume after the operator fixes it sends them.
            return [Result(m.key, False, error=str(error), retryable=True) for m in batch]
        except sms.SmsError as error:
            return [Result(m.key, False, error=str(error), retryable=True) for m in batch]
        by_key = {a.key: a for a in answers}
        results = []
        for m in batch:
            answer = by_key.get(m.key)
            if answer is None:
                results.append(
                    Result(m.key, False, error="no answer for this message", retryable=True)
                )
            elif answer.ok:
                results.append(Result(m.key, True, gateway_id=answer.id))
            else:
                reason = answer.error or answer.status or "rejected"
                results.append(Result(m.key, False, error=f"gateway: {reason}"[:300]))
        return results

    def close(self) -> None:
        self.client.close()
