"""WhatsApp through an API shaped like the WhatsApp Business Cloud API (injected base URL,
phone-number id and token):

    POST {base}/{phone_number_id}/messages   Authorization: Bearer TOKEN
    {"messaging_product": "whatsapp", "to": "62812…", "type": "text", "text": {"body": "…"}}
    → 200 {"messages": [{"id": "wamid…"}]}   or 4xx/5xx {"error": {"code": …, "message": …}}

The Cloud API takes one message per request, so a batch goes out over a small thread pool,
each thread with its own kept-alive connection. The delivery's key travels as an
`Idempotency-Key` header (gateways in front of the API, and the fake one, drop a repeat).
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.conf import settings

from saring import config
from saring.broadcasts.channels.base import ChannelOff, Message, Result, Sender, register


def _setting(name: str) -> str:
    value = getattr(settings, name, None)
    return config.env(name) if value is None else str(value)


class WhatsAppClient:
    def __init__(self, base_url: str, phone_number_id: str, token: str, timeout: float = 10.0):
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ChannelOff("the WhatsApp API URL is not http(s)")
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname, parts.port
        self._path = f"{parts.path or ''}/{phone_number_id}/messages"
        self.token = token
        self.timeout = timeout
        self._local = threading.local()
        self._opened: list[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _connection(self) -> http.client.HTTPConnection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            connection = kind(self._host, self._port, timeout=self.timeout)
            self._local.connection = connection
            with self._lock:
                self._opened.append(connection)
        return connection

    def _drop(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def send(self, message: Message) -> Result:
        body = json.dumps(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": message.to.lstrip("+"),
                "type": "text",
                "text": {"preview_url": False, "body": message.text},
            },
            ensure_ascii=False,
        ).encode("utf-8")
        headers = {
            "Authorization": f"Bearer {self.token}",
            "Content-Type": "application/json",
            "Idempotency-Key": message.key,
        }
        for attempt in (1, 2):
            reused = getattr(self._local, "connection", None) is not None
            connection = self._connection()
            try:
                connection.request("POST", self._path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read(1024 * 1024)
                if response.will_close:
                    self._drop()
                break
            except TimeoutError:
                self._drop()
                return Result(message.key, False, error="WhatsApp API: timeout", retryable=True)
            except (OSError, http.client.HTTPException) as error:
                self._drop()
                if reused and attempt == 1:
                    continue  # a kept-alive connection the server closed: once more, fresh
                reason = f"WhatsApp API: unreachable ({type(error).__name__})"
                return Result(message.key, False, error=reason, retryable=True)
        status = response.status
        try:
            answer = json.loads(raw.decode("utf-8")) if raw else {}
        except (UnicodeDecodeError, ValueError):
            answer = {}
        if 200 <= status < 300:
            try:
                return Result(message.key, True, gateway_id=str(answer["messages"][0]["id"]))
            except (KeyError, IndexError, TypeError):
                reason = "WhatsApp API answered without a message id"
                return Result(message.key, False, error=reason, retryable=True)
        error = answer.get("error") if isinstance(answer, dict) else None
        code = error.get("code", "") if isinstance(error, dict) else ""
        retryable = status >= 500 or status == 429
        reason = f"WhatsApp API: HTTP {status}" + (f" (error {code})" if code else "")
        return Result(message.key, False, error=reason, retryable=retryable)

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()


@register
class WhatsAppSender(Sender):
    channel = "whatsapp"
    batch_size = 200

    def __init__(
        self, client: WhatsAppClient | None = None, timeout: float = 10.0, workers: int = 8
    ):
        if client is None:
            url = _setting("SARING_WHATSAPP_URL").strip()
            phone_id = _setting("SARING_WHATSAPP_PHONE_ID").strip()
            if not url or not phone_id:
                raise ChannelOff(
                    "WhatsApp is off: set SARING_WHATSAPP_URL and SARING_WHATSAPP_PHONE_ID"
                )
            client = WhatsAppClient(
                url, phone_id, _setting("SARING_WHATSAPP_TOKEN"), timeout=timeout
            )
        self.client = client
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="whatsapp")

    def send(self, batch: Sequence[Message]) -> list[Result]:
        return list(self._pool.map(self.client.send, batch))

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        self.client.close()
