"""A client for an SMS gateway with a simple JSON HTTP API (injected base URL and token).

    POST {base_url}/messages   Authorization: Bearer TOKEN   {"to": "+62…", "text": "…"}
    → 2xx {"id": "…"}

Errors never carry the phone number or the text (they end up in `Notification.last_error`,
which officers read, and in logs): only what the gateway answered.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

from saring import config


class SmsError(RuntimeError):
    """The gateway could not be reached or refused the message."""


class SmsGateway:
    def __init__(self, base_url: str, token: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def send(self, to: str, text: str) -> str:
        """Send one message; the gateway's message id."""
        body = json.dumps({"to": to, "text": text}, ensure_ascii=False).encode("utf-8")
        # The base URL is the operator's setting (http/https), not user input.
        request = urllib.request.Request(  # noqa: S310
            f"{self.base_url}/messages",
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            raise SmsError(f"SMS gateway answered HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise SmsError(f"SMS gateway unreachable: {type(reason).__name__}") from None
        try:
            answer = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SmsError("SMS gateway answered something that is not JSON") from None
        message_id = answer.get("id") if isinstance(answer, dict) else None
        if not message_id:
            raise SmsError("SMS gateway answered without a message id")
        return str(message_id)


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    return config.env(name) if value is None else str(value)


def gateway() -> SmsGateway | None:
    """The configured gateway, or None when SMS is off (SARING_SMS_URL empty)."""
    url = _setting("SARING_SMS_URL").strip()
    if not url:
        return None
    return SmsGateway(url, _setting("SARING_SMS_TOKEN"), timeout=10.0)
