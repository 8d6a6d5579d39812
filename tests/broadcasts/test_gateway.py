"""The SMS batch client and the fake gateway: dedupe by idempotency key, one kept-alive
connection, typed errors (timeout, 5xx, 4xx, closed port), per-message rejections, the
WhatsApp shape, receipts posted to a callback; and `saring bench broadcast` at ~2,000
recipients (kill and resume in subprocesses: no duplicates, nothing missing)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from saring.broadcasts import benchmark
from saring.broadcasts.channels.base import Message
from saring.broadcasts.channels.whatsapp import WhatsAppClient
from saring.broadcasts.fake_gateway import FakeGateway
from saring.kernel import sms
from saring.kernel.sms import SmsBatchClient, SmsRefused, SmsTimeout, SmsUnavailable


def batch(*numbers: int, prefix: str = "k") -> list[dict]:
    return [{"key": f"{prefix}{n}", "to": f"+6281200000{n:03d}", "text": "Halo"} for n in numbers]


@pytest.fixture
def fake():
    with FakeGateway(token="t0ken") as gateway:
        yield gateway


def test_a_repeated_key_answers_the_first_id_and_is_not_a_second_send(fake):
    client = SmsBatchClient(fake.url, "t0ken")
    first = client.send_batch(batch(1, 2, 3))
    again = client.send_batch(batch(2, 3, 4))
    client.close()
    assert all(r.ok for r in first + again)
    ids = {r.key: r.id for r in first}
    assert again[0].id == ids["k2"] and again[1].id == ids["k3"]
    assert again[2].id not in ids.values()
    stats = fake.stats()
    assert stats["accepted"] == 4 and stats["submissions"] == 6 and stats["resubmitted"] == 2
    assert stats["duplicates"] == 0 and fake.sends_of("k2") == 2 and fake.sends_of("k4") == 1
    assert stats["connections"] == 1  # both batches over one kept-alive connection


def test_the_same_number_under_a_new_key_counts_as_a_duplicate(fake):
    client = SmsBatchClient(fake.url, "t0ken")
    client.send_batch(batch(1))
    client.send_batch(batch(1, prefix="other"))
    assert fake.stats()["duplicates"] == 1


def test_a_rejected_number_is_a_per_message_error(fake):
    fake.reject = {"+6281200000002"}
    results = SmsBatchClient(fake.url, "t0ken").send_batch(batch(1, 2))
    assert results[0].ok and not results[1].ok and results[1].error == "invalid_number"


def test_typed_errors(fake):
    with pytest.raises(SmsRefused, match="401"):
        SmsBatchClient(fake.url, "wrong").send_batch(batch(1))
    fake.fail_next = 1
    with pytest.raises(SmsUnavailable, match="500"):
        SmsBatchClient(fake.url, "t0ken").send_batch(batch(1))
    fake.hang_next, fake.hang_seconds = 1, 1.0
    with pytest.raises(SmsTimeout):
        SmsBatchClient(fake.url, "t0ken", timeout=0.2).send_batch(batch(5))
    assert fake.sends_of("k5") == 1  # taken although the client never heard back
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(SmsUnavailable, match="unreachable") as error:
        SmsBatchClient(f"http://127.0.0.1:{closed}", "t").send_batch(batch(1))
    assert "+62" not in str(error.value)


def test_a_connection_the_gateway_dropped_is_reopened_once(fake):
    client = SmsBatchClient(fake.url, "t0ken")
    client.send_batch(batch(1))
    client._connection.sock.close()  # as if the gateway closed the idle connection
    assert client.send_batch(batch(2))[0].ok
    assert fake.stats()["accepted"] == 2


def test_an_answer_that_is_not_a_batch_result_is_unavailable():
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"ok": true}'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.handle_request, daemon=True).start()
    try:
        with pytest.raises(SmsUnavailable, match="not a batch result"):
            SmsBatchClient(f"http://127.0.0.1:{server.server_port}", "t").send_batch(batch(1))
    finally:
        server.server_close()


def test_the_single_send_of_respond_still_works(fake, settings):
    settings.SARING_SMS_URL = fake.url
    settings.SARING_SMS_TOKEN = "t0ken"
    assert sms.gateway().send("+6281200000001", "Laporan Anda diterima").startswith("gw")
    settings.SARING_SMS_BATCH_URL = ""
    assert sms.batch_gateway().send_batch(batch(1))[0].ok
    settings.SARING_SMS_URL = ""
    assert sms.batch_gateway() is None and sms.gateway() is None


def test_the_whatsapp_client_speaks_the_cloud_api_shape(fake):
    client = WhatsAppClient(fake.url + "/v21.0", "1234", "t0ken")
    ok = client.send(Message("wa1", "+6281200000001", "Halo"))
    assert ok.ok and ok.gateway_id.startswith("gw")
    again = client.send(Message("wa1", "+6281200000001", "Halo"))
    assert again.gateway_id == ok.gateway_id and fake.stats()["accepted"] == 1
    fake.reject = {"+6281200000009"}
    refused = client.send(Message("wa2", "+6281200000009", "Halo"))
    assert not refused.ok and not refused.retryable and "131026" in refused.error
    fake.fail_next = 1
    down = client.send(Message("wa3", "+6281200000003", "Halo"))
    assert not down.ok and down.retryable and "+62" not in down.error
    client.close()


def test_the_fake_posts_receipts_to_the_callback_url():
    got = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            got.append(
                (
                    self.headers["X-Saring-Token"],
                    json.loads(self.rfile.read(int(self.headers["Content-Length"]))),
                )
            )
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.handle_request, daemon=True).start()
    callback = f"http://127.0.0.1:{receiver.server_port}/cb"
    with FakeGateway(callback_url=callback, callback_token="cb") as gateway:
        ids = [r.id for r in SmsBatchClient(gateway.url, "").send_batch(batch(1, 2))]
        for thread in gateway.receipt_threads:
            thread.join(timeout=5)
    receiver.server_close()
    assert got == [("cb", {"receipts": [{"id": i, "status": "delivered"} for i in ids]})]


def test_hold_after_takes_the_batch_then_holds_its_answer(fake):
    fake.hold_after = 2
    answered = []
    thread = threading.Thread(
        target=lambda: answered.append(SmsBatchClient(fake.url, "t0ken").send_batch(batch(1, 2)))
    )
    thread.start()
    thread.join(timeout=0.5)
    assert fake.stats()["held"] and fake.stats()["accepted"] == 2 and not answered
    fake.release()
    thread.join(timeout=5)
    assert answered and answered[0][0].ok


# -- the benchmark -------------------------------------------------------------------------


def test_the_broadcast_benchmark_kills_resumes_and_counts(capsys):
    lines = []
    result = benchmark.run({"recipients": 2000}, progress=lines.append)
    assert result["killed"] is True
    assert result["killed_after"] >= 800 and result["killed_after"] < 2000
    assert result["duplicates"] == 0 and result["missing"] == 0
    assert result["resubmitted_after_kill"] > 0  # the held chunk went again, same keys
    assert result["comparison"]["recipients"] == 200
    assert result["messages_per_s"] > 0 and 0 < result["peak_memory_mb"] < 1000
    assert set(result["targets"]) == {"messages_per_s", "peak_memory_mb", "duplicates", "missing"}
    assert result["targets"]["duplicates"]["met"] and result["targets"]["missing"]["met"]
    text = "\n".join(benchmark.summary_lines(result))
    assert "messages_per_s" in text and "duplicates" in text and "+62" not in text
    assert any("killing" in line for line in lines)
    assert "+62" not in json.dumps(result)


def test_comparison_size():
    assert benchmark.comparison_size(1_000_000) == 100_000
    assert benchmark.comparison_size(2000) == 200
    assert benchmark.comparison_size(50) == 100
