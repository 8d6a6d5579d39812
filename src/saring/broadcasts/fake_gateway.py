"""A local, threaded HTTP server that answers like a real SMS/WhatsApp gateway (tests, the
benchmark, demos). Standard library only: it starts in a fraction of a second as its own
process (`python -m saring.broadcasts.fake_gateway --port 0` prints its port).

    POST /messages/batch   {"messages": [{"key", "to", "text"}]}  → {"results": [{"key", "id",
                           "status": "accepted"|"rejected", "error"}]}
    POST /messages         {"to", "text"} (+ Idempotency-Key header)  → {"id"}   (RESPOND)
    POST /{phone}/messages WhatsApp Cloud API shape (+ Idempotency-Key)  → {"messages": [{"id"}]}
    GET  /stats            what it has taken (below); POST /reset, /release, /configure

Like a real gateway it dedupes by idempotency key: a repeated key answers the first id and is
not a second send. It counts, for the benchmark, how many distinct keys it took, how often a
key came again (`resubmitted`), and how many times one address really received a message
(`duplicates`: sends beyond the first per address, which must stay 0). Knobs for tests:
`latency`, `fail_next` (answer 500), `hang_next` (answer after `hang_seconds`, past the
client's timeout), `reject` (addresses answered "rejected"), `hold_after` (take the batch that
reaches N messages, then hold its answer until /release: a sender killed there has had its
batch taken without knowing), and delivery receipts posted to `callback_url`.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeGateway:
    def __init__(
        self,
        *,
        token: str = "",
        latency: float = 0.0,
        callback_url: str = "",
        callback_token: str = "",
        receipt_status: str = "delivered",
        hold_after: int | None = None,
        receipt_delay: float = 0.0,
    ):
        self.token = token
        self.latency = latency
        self.callback_url = callback_url
        self.callback_token = callback_token
        self.receipt_status = receipt_status
        self.hold_after = hold_after
        self.receipt_delay = receipt_delay
        self.fail_next = 0
        self.fail_status = 500
        self.hang_next = 0
        self.hang_seconds = 2.0
        self.reject: set[str] = set()
        self._lock = threading.Lock()
        self._release = threading.Event()
        self.server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.receipt_threads: list[threading.Thread] = []
        self.reset()

    # -- what it has taken --------------------------------------------------------------------

    def reset(self) -> None:
        with getattr(self, "_lock", threading.Lock()):
            self.ids: dict[str, str] = {}
            self.key_counts: Counter[str] = Counter()  # only keys seen more than once
            self._seen_addresses: set[str] = set()
            self.address_repeats: Counter[str] = Counter()
            self.submissions = 0
            self._next = 0
            self.requests = 0
            self.connections = 0
            self.first_at: float | None = None
            self.last_at: float | None = None
            self.held = False
            self.texts: list[str] = []  # the last few texts (tests), never addresses

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "accepted": len(self.ids),
                "submissions": self.submissions,
                "resubmitted": sum(self.key_counts.values()),
                "addresses": len(self._seen_addresses),
                "duplicates": sum(self.address_repeats.values()),
                "requests": self.requests,
                "connections": self.connections,
                "first_at": self.first_at,
                "last_at": self.last_at,
                "held": self.held,
            }

    def sends_of(self, key: str) -> int:
        """How many times `key` was submitted (1 = once; the gateway sent it once regardless)."""
        with self._lock:
            return (1 if key in self.ids else 0) + self.key_counts.get(key, 0)

    def _take(self, key: str, to: str, text: str) -> tuple[str, str, str, bool]:
        """(id, status, error, new) for one message; called under the lock."""
        self.submissions += 1
        if to in self.reject:
            return "", "rejected", "invalid_number", False
        if key and key in self.ids:
            self.key_counts[key] += 1
            return self.ids[key], "accepted", "", False
        self._next += 1
        message_id = f"gw{self._next}"
        if key:
            self.ids[key] = message_id
        else:  # no key: every request is a new send (what RESPOND's single call does)
            self.ids[message_id] = message_id
        if to in self._seen_addresses:
            self.address_repeats[to] += 1
        else:
            self._seen_addresses.add(to)
        now = time.time()
        self.first_at = self.first_at or now
        self.last_at = now
        if len(self.texts) < 20:
            self.texts.append(text)
        return message_id, "accepted", "", True

    # -- serving ------------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> FakeGateway:
        gateway = self

        class Handler(_Handler):
            fake = gateway

        self.server = _Server((host, port), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def release(self) -> None:
        self._release.set()

    def stop(self) -> None:
        self._release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for thread in self.receipt_threads:
            thread.join(timeout=5)

    def __enter__(self) -> FakeGateway:
        return self if self.server else self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _post_receipts(self, ids: list[str]) -> None:
        if not self.callback_url or not ids:
            return
        body = json.dumps(
            {"receipts": [{"id": i, "status": self.receipt_status} for i in ids]}
        ).encode()
        headers = {"Content-Type": "application/json", "X-Saring-Token": self.callback_token}
        request = urllib.request.Request(self.callback_url, data=body, headers=headers)  # noqa: S310

        def post() -> None:
            time.sleep(self.receipt_delay)
            try:
                with urllib.request.urlopen(request, timeout=10):  # noqa: S310
                    pass
            except OSError:
                pass  # a real gateway retries later; the fake gives up

        thread = threading.Thread(target=post, daemon=True)
        self.receipt_threads.append(thread)
        thread.start()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # a held answer to a killed sender


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: every answer has a Content-Length
    fake: FakeGateway

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake.connections += 1  # keep-alive clients open few

    def log_message(self, format, *args) -> None:
        pass  # quiet, and never the numbers

    def _answer(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/stats":
            self._answer(200, self.fake.stats())
        else:
            self._answer(404, {"error": "not found"})

    def do_POST(self) -> None:
        fake = self.fake
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if self.path == "/reset":
            fake.reset()
            return self._answer(200, {"ok": True})
        if self.path == "/release":
            fake.release()
            return self._answer(200, {"ok": True})
        if self.path == "/configure":  # the benchmark sets the hold point between scenarios
            try:
                options = json.loads(raw.decode("utf-8") or "{}")
            except (UnicodeDecodeError, ValueError):
                return self._answer(400, {"error": "invalid json"})
            with fake._lock:
                if "hold_after" in options:
                    fake.hold_after = options["hold_after"]
                    fake._release.clear()
                if "latency" in options:
                    fake.latency = float(options["latency"])
            return self._answer(200, {"ok": True})
        if fake.token and self.headers.get("Authorization") != f"Bearer {fake.token}":
            return self._answer(401, {"error": "unauthorized"})
        with fake._lock:
            fake.requests += 1
            failing = fake.fail_next > 0
            hanging = not failing and fake.hang_next > 0
            if failing:
                fake.fail_next -= 1
            elif hanging:
                fake.hang_next -= 1
        if fake.latency:
            time.sleep(fake.latency)
        if failing:
            return self._answer(fake.fail_status, {"error": "internal"})
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._answer(400, {"error": "invalid json"})
        # A hanging gateway takes the message, then answers after the client gave up.
        if self.path.endswith("/messages/batch"):
            return self._batch(data, hanging)
        if self.path.endswith("/messages"):
            return self._single(data, hanging)
        return self._answer(404, {"error": "not found"})

    def _batch(self, data: Any, hanging: bool = False) -> None:
        fake = self.fake
        try:
            messages = [(str(m["key"]), str(m["to"]), str(m["text"])) for m in data["messages"]]
        except (KeyError, TypeError):
            return self._answer(400, {"error": "messages[].key, to and text are required"})
        results, new_ids = [], []
        with fake._lock:
            for key, to, text in messages:
                message_id, status, error, new = fake._take(key, to, text)
                row = {"key": key, "id": message_id, "status": status}
                if error:
                    row["error"] = error
                results.append(row)
                if new:
                    new_ids.append(message_id)
            hold = (
                fake.hold_after is not None and not fake.held and len(fake.ids) >= fake.hold_after
            )
            if hold:
                fake.held = True
        if hold:
            fake._release.wait()  # taken, but the sender never hears back
        if hanging:
            time.sleep(fake.hang_seconds)
        fake._post_receipts(new_ids)
        self._answer(200, {"results": results})

    def _single(self, data: Any, hanging: bool = False) -> None:
        fake = self.fake
        key = self.headers.get("Idempotency-Key", "")
        if data.get("messaging_product") == "whatsapp":
            try:
                to, text = str(data["to"]), str(data["text"]["body"])
            except (KeyError, TypeError):
                return self._answer(400, {"error": {"code": 100, "message": "bad parameter"}})
            to = to if to.startswith("+") else f"+{to}"
        else:
            try:
                to, text = str(data["to"]), str(data["text"])
            except (KeyError, TypeError):
                return self._answer(400, {"error": "to and text are required"})
        with fake._lock:
            message_id, status, _error, new = fake._take(key, to, text)
        if status != "accepted":
            return self._answer(400, {"error": {"code": 131026, "message": "undeliverable"}})
        if hanging:
            time.sleep(fake.hang_seconds)
        if new:
            fake._post_receipts([message_id])
        if data.get("messaging_product") == "whatsapp":
            return self._answer(200, {"messages": [{"id": message_id}]})
        return self._answer(200, {"id": message_id})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default="")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--hold-after", type=int, default=None)
    parser.add_argument("--callback-url", default="")
    parser.add_argument("--callback-token", default="")
    args = parser.parse_args(argv)
    fake = FakeGateway(
        token=args.token,
        latency=args.latency,
        hold_after=args.hold_after,
        callback_url=args.callback_url,
        callback_token=args.callback_token,
    ).start(args.host, args.port)
    print(fake.url.rsplit(":", 1)[1], flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
        sys.exit(0)


if __name__ == "__main__":
    main()
