"""A client for an SMS gateway with a simple JSON HTTP API (injected base URL and token).

    POST {base_url}/messages   Authorization: Bearer TOKEN   {"to": "+62…", "text": "…"}
    → 2xx {"id": "…"}

    POST {base_url}/messages/batch   {"messages": [{"key": "…", "to": "+62…", "text": "…"}]}
    → 2xx {"results": [{"key": "…", "id": "…", "status": "accepted"|"rejected", "error": "…"}]}

The batch call (broadcasts) carries an idempotency key per message: a gateway that sees a key
again answers the first id and sends nothing. `SmsBatchClient` keeps one HTTP/1.1 connection
open (keep-alive) across batches.

Errors never carry the phone number or the text (they end up in `Notification.last_error`,
which officers read, and in logs): only what the gateway answered.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from saring import config


class SmsError(RuntimeError):
    """The gateway could not be reached or refused the message."""


class SmsTimeout(SmsError):
    """No answer within the timeout: the batch may have been taken; resend with the same keys."""


class SmsUnavailable(SmsError):
    """Unreachable, or a 5xx answer: worth retrying later."""


class SmsRefused(SmsError):
    """A 4xx answer (credentials, a malformed request): retrying as is will not help."""


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


ACCEPTED = frozenset({"accepted", "queued", "sent", "duplicate", "ok"})


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The gateway's answer for one message of a batch (`error` is the gateway's code only)."""

    key: str
    id: str = ""
    status: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.id) and self.status.lower() in ACCEPTED


class SmsBatchClient:
    """Batches of messages over one persistent HTTP/1.1 connection (reopened when it drops)."""

    MAX_ANSWER = 16 * 1024 * 1024

    def __init__(self, base_url: str, token: str, timeout: float = 10.0):
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise SmsError("the SMS gateway URL is not http(s)")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._path = (parts.path or "") + "/messages/batch"
        self.token = token
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._connection = kind(self._host, self._port, timeout=self.timeout)
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def send_batch(self, messages: Sequence[Mapping[str, str]]) -> list[BatchResult]:
        """Send `messages` (each with key, to, text); one result per key the gateway named.
        Raises SmsTimeout, SmsUnavailable or SmsRefused for the whole batch."""
        body = json.dumps(
            {"messages": [{"key": m["key"], "to": m["to"], "text": m["text"]} for m in messages]},
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json",
            "Connection": "keep-alive",
        }
        status, raw = self._post(body, headers)
        if status >= 500:
            raise SmsUnavailable(f"SMS gateway answered HTTP {status}")
        if status >= 400:
            raise SmsRefused(f"SMS gateway answered HTTP {status}")
        try:
            answer = json.loads(raw.decode("utf-8"))
            rows = answer["results"]
            return [
                BatchResult(
                    key=str(row.get("key", "")),
                    id=str(row.get("id") or ""),
                    status=str(row.get("status") or ""),
                    error=str(row.get("error") or "")[:100],
                )
                for row in rows
            ]
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
            raise SmsUnavailable(
                "SMS gateway answered something that is not a batch result"
            ) from None

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        # A kept-alive connection the gateway closed meanwhile fails before any answer: reopen
        # once and resend (safe: every message carries its idempotency key). Not on a timeout:
        # the caller decides when to try again.
        for attempt in (1, 2):
            reused = self._connection is not None
            connection = self._connect()
            try:
                connection.request("POST", self._path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read(self.MAX_ANSWER)
                if response.will_close:
                    self.close()
                return response.status, raw
            except TimeoutError:
                self.close()
                raise SmsTimeout("SMS gateway did not answer in time") from None
            except (OSError, http.client.HTTPException) as error:
                self.close()
                if reused and attempt == 1:
                    continue
                raise SmsUnavailable(f"SMS gateway unreachable: {type(error).__name__}") from None
        raise SmsUnavailable("SMS gateway unreachable")  # pragma: no cover


def batch_gateway(timeout: float = 10.0) -> SmsBatchClient | None:
    """The broadcast client: SARING_SMS_BATCH_URL, else SARING_SMS_URL; None when both are empty."""
    url = _setting("SARING_SMS_BATCH_URL").strip() or _setting("SARING_SMS_URL").strip()
    if not url:
        return None
    return SmsBatchClient(url, _setting("SARING_SMS_TOKEN"), timeout=timeout)
