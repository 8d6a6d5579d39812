"""Each channel against a local server the test starts: e-mail through aiosmtpd with the
packet attached, the signed webhook (HMAC checked by the receiver, back-off on 500 then
success, giving up after six attempts), and what the notice says (no personal data unless the
officer included it)."""

from __future__ import annotations

import email
import json
import socket
import threading
import time
from datetime import timedelta
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.utils import timezone

from saring.audit.models import AuditEvent
from saring.cases.channels import base
from saring.cases.channels.base import DeliveryResult, deliverer_for
from saring.cases.models import Channel, Escalation
from saring.cases.services.escalation import BACKOFF, MAX_ATTEMPTS, deliver, escalate
from saring.kernel.webhooks import hmac_signature
from tests.cases.conftest import scope
from tests.cases.test_escalation import batch_channel, email_channel, fake_packet, ready_case

pytestmark = pytest.mark.django_db
__all__ = ["fake_packet"]  # the fixture, imported for this module's tests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------------ e-mail


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=5,
        ):
            yield inbox
    finally:
        controller.stop()


def test_email_carries_the_packet_reference_and_headers(smtp_server, bawaslu_bandung, fake_packet):
    channel = email_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(title="Video TPS palsu"), channel)
    assert deliver(made.pk).ok
    (envelope,) = smtp_server.messages
    assert envelope.rcpt_tos == ["escalations@meta.example"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert made.reference in message["Subject"]
    assert message["X-Saring-Escalation"] == made.reference
    assert message["Message-ID"] == f"<{made.reference.lower()}@127.0.0.1>"
    text = message.get_body(("plain",)).get_content()
    assert made.reference in text and made.packet_sha256 in text
    assert "tiktok.com" in text and f"/api/v1/escalations/{made.pk}/decision" in text
    assert "Siti Pelapor" not in text and "pelapor@example.org" not in text
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == f"{made.reference}.zip"
    made.refresh_from_db()
    assert attachment.get_content() == made.packet.read()
    assert made.state == "sent" and made.sent_at and made.attempts == 1
    assert AuditEvent.objects.filter(action="escalation.sent", subject_id=str(made.pk)).exists()
    # idempotent: a second run sends nothing more
    assert deliver(made.pk).ok and len(smtp_server.messages) == 1


def test_email_names_reporters_only_when_included(smtp_server, bawaslu_bandung, fake_packet):
    channel = email_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(), channel, include_personal=True)
    assert deliver(made.pk).ok
    message = email.message_from_bytes(smtp_server.messages[0].content, policy=policy.default)
    assert "Siti Pelapor" in message.get_body(("plain",)).get_content()


def test_an_unreachable_mail_server_is_a_failed_attempt(bawaslu_bandung, fake_packet):
    channel = email_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(), channel)
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nobody listens
        EMAIL_TIMEOUT=2,
    ):
        result = deliver(made.pk)
    assert not result.ok and result.error
    made.refresh_from_db()
    assert made.state == "queued" and made.attempts == 1 and made.next_attempt_at


def test_without_a_mail_server_nothing_counts_as_sent(bawaslu_bandung, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), email_channel())
    with override_settings(EMAIL_BACKEND="saring.kernel.mail.UnsentMailLogBackend"):
        assert not deliver(made.pk).ok


# ----------------------------------------------------------------------------------- webhook


class Receiver:
    """A platform's webhook endpoint: checks the signature, answers from a script."""

    def __init__(self, secret: str, answers: list[int]):
        self.secret, self.answers, self.calls = secret, list(answers), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["X-Saring-Timestamp"]
                expected = hmac_signature(receiver.secret, stamp, body)
                valid = self.headers["X-Saring-Signature"] == expected
                receiver.calls.append(
                    {
                        "body": json.loads(body),
                        "valid": valid,
                        "key": self.headers["Idempotency-Key"],
                        "age": abs(time.time() - int(stamp)),
                    }
                )
                status = (
                    401 if not valid else (receiver.answers.pop(0) if receiver.answers else 200)
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/saring/notices"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(tiktok_channel):
    made = []

    def start(answers=(), secret=None):
        r = Receiver(secret or tiktok_channel.secret, list(answers))
        tiktok_channel.webhook_url = r.url
        tiktok_channel.save()
        made.append(r)
        return r

    yield start
    for r in made:
        r.close()


def test_the_webhook_is_signed_and_follows_the_notice_elements(
    receiver, bawaslu_bandung, tiktok_channel, fake_packet
):
    r = receiver()
    case = ready_case(title="Video hoaks TPS", summary="Klaim surat suara tercoblos palsu.")
    made = escalate(scope(bawaslu_bandung), case, tiktok_channel, note="Mohon ditinjau")
    assert deliver(made.pk).ok
    (call,) = r.calls
    assert call["valid"] and call["key"] == made.reference and call["age"] < 60
    body = call["body"]
    assert body["notice_id"] == made.reference and body["good_faith"] is True
    assert body["notifier"]["type"] == "trusted_flagger"
    assert body["notifier"]["name"] == case.organisation.name
    item = case.items.get()
    assert body["content"] == [
        {
            "url": item.url,
            "canonical_url": item.canonical_url,
            "platform": "tiktok",
            "platform_id": item.content_id,
        }
    ]
    basis = case.bases.get()
    assert body["legal_grounds"][0]["citation"] == basis.citation
    assert basis.citation in body["explanation"] and "Klaim surat suara" in body["explanation"]
    assert body["urgent"] is False and body["deadline"] == made.due_at.isoformat()
    made.refresh_from_db()
    assert body["packet"]["sha256"] == made.packet_sha256
    assert body["packet"]["key_id"] == "test-key-1"
    assert f"/escalations/{made.pk}/packet/?sig=" in body["packet"]["url"]
    assert body["callback"]["decision_url"].endswith(f"/api/v1/escalations/{made.pk}/decision")
    assert body["callback"]["decision_url"].startswith("http")
    raw = json.dumps(body)
    assert "reporters" not in body
    assert "Siti Pelapor" not in raw and "pelapor@example.org" not in raw
    assert "6281234567890" not in raw
    assert made.state == "sent"


def test_the_webhook_names_reporters_only_when_included(
    receiver, bawaslu_bandung, tiktok_channel, fake_packet
):
    r = receiver()
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel, include_personal=True)
    assert deliver(made.pk).ok
    assert r.calls[0]["body"]["reporters"][0]["email"] == "pelapor@example.org"


def test_a_500_is_retried_with_back_off_then_sent(
    receiver, bawaslu_bandung, tiktok_channel, fake_packet
):
    r = receiver(answers=[500, 503])
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    before = timezone.now()
    assert not deliver(made.pk).ok
    made.refresh_from_db()
    assert made.state == "queued" and made.attempts == 1 and "500" in made.last_error
    assert made.next_attempt_at - before >= BACKOFF[0] - timedelta(seconds=1)
    # not due yet: the deliver run leaves it alone
    from saring.cases.services.escalation import deliver_due

    assert deliver_due().due == 0 and len(r.calls) == 1
    assert deliver_due(now=made.next_attempt_at).retrying == 1
    made.refresh_from_db()
    assert made.attempts == 2 and made.next_attempt_at - timezone.now() > BACKOFF[0]
    summary = deliver_due(now=made.next_attempt_at)
    assert summary.sent == 1
    made.refresh_from_db()
    assert made.state == "sent" and made.attempts == 3 and made.last_error == ""
    assert {c["key"] for c in r.calls} == {made.reference}  # the same key every time
    assert all(c["valid"] for c in r.calls)


def test_delivery_gives_up_after_six_attempts_and_the_case_shows_it(
    receiver, bawaslu_bandung, tiktok_channel, fake_packet, client
):
    r = receiver(answers=[500] * 10)
    case = ready_case()
    made = escalate(scope(bawaslu_bandung), case, tiktok_channel)
    for _attempt in range(MAX_ATTEMPTS):
        Escalation.objects.filter(pk=made.pk).update(next_attempt_at=None)
        assert not deliver(made.pk).ok
    made.refresh_from_db()
    assert made.state == "failed" and made.attempts == MAX_ATTEMPTS and len(r.calls) == 6
    assert made.next_attempt_at is None
    assert AuditEvent.objects.filter(action="escalation.failed", subject_id=str(made.pk)).exists()
    assert deliver(made.pk).ok is False and len(r.calls) == 6  # given up: no seventh
    from django.template.loader import render_to_string

    html = render_to_string("web/cases/_escalate.html", {"case": case, "may_handle": True})
    assert f'data-escalation="{made.reference}" data-state="failed"' in html
    assert "data-delivery-error" in html


def test_a_wrong_secret_on_the_receiver_side_is_a_failure(
    receiver, bawaslu_bandung, tiktok_channel, fake_packet
):
    r = receiver(secret="not-the-channel-secret")
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    result = deliver(made.pk)
    assert not result.ok and "401" in result.error and not r.calls[0]["valid"]


def test_a_slow_webhook_times_out(bawaslu_bandung, tiktok_channel, fake_packet):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        tiktok_channel.webhook_url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
        tiktok_channel.save()
        made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
        started = time.monotonic()
        result = deliver(made.pk, timeout=0.5)
        assert not result.ok and time.monotonic() - started < 5
    finally:
        listener.close()


def test_only_http_webhook_urls_are_called(bawaslu_bandung, tiktok_channel, fake_packet):
    tiktok_channel.webhook_url = "file:///etc/passwd"
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    made.channel.webhook_url = "file:///etc/passwd"
    result = deliverer_for(made.channel).deliver(made)
    assert not result.ok and "http" in result.error


# ------------------------------------------------------------------------------ interface


def test_one_deliverer_per_channel_kind():
    assert base.kinds() == sorted(Channel.Kind.values)
    for kind in Channel.Kind.values:
        assert deliverer_for(Channel(kind=kind)).kind == kind
    with pytest.raises(LookupError):
        deliverer_for(Channel(kind="pigeon"))


def test_a_batch_channel_waits_for_a_download(bawaslu_bandung, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), batch_channel())
    assert deliver(made.pk) == DeliveryResult(False, deferred=True)
    made.refresh_from_db()
    assert made.state == "queued" and made.attempts == 0


def test_signed_packet_links_check_the_escalation(bawaslu_bandung, tiktok_channel, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    signature = base.packet_signature(made)
    assert base.packet_signature_valid(made.pk, signature)
    assert not base.packet_signature_valid(made.pk + 1, signature)
    assert not base.packet_signature_valid(made.pk, signature[:-2] + "xx")
