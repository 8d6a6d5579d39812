"""The reporter informed: a receipt, one message per change (a replay sends nothing), never
another reporter's data; e-mail through a local SMTP server (aiosmtpd) and locmem, SMS through
a fake gateway (http.server in a thread) that checks the token and the body."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.test import override_settings

from saring.accounts.scope import SYSTEM
from saring.cases.models import Case, Notification, Report
from saring.cases.services import notify
from saring.cases.workflow import CASE_WORKFLOW
from saring.kernel.sms import SmsError, SmsGateway
from saring.workflow import transition
from tests.cases.conftest import make_case

PUBLIC = "https://saring.example.go.id"
TOKEN = "gateway-token-123"


def second_report(case: Case, **fields) -> Report:
    defaults = {
        "tracking_code": "LPR-OTHER01",
        "channel": Report.Channel.PUBLIC,
        "urls": ["https://www.tiktok.com/@lain/video/1"],
        "reporter_name": "Budi Lain",
        "reporter_email": "budi.lain@example.org",
        "reporter_phone": "+6289999999999",
        "good_faith": True,
        "consent": True,
    }
    defaults.update(fields)
    return Report.objects.create(case=case, **defaults)


def move(case: Case, state: str, **changes) -> Case:
    return transition(case, CASE_WORKFLOW, state, scope=SYSTEM, why="test", changes=changes)


# --- a local SMTP server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_TIMEOUT=5,
        ):
            yield inbox
    finally:
        controller.stop()


@pytest.mark.django_db
def test_one_mail_per_change_through_smtp_and_no_other_reporters_data(
    smtp_server, django_capture_on_commit_callbacks
):
    case = make_case(reporter_email="siti@example.org")
    first = case.reports.get()
    other = second_report(case)
    with override_settings(SARING_PUBLIC_URL=PUBLIC, SARING_SMS_URL=""):
        with django_capture_on_commit_callbacks(execute=True):
            case = move(case, "triaged")
            notify.case_changed(case, "triaged")
        with django_capture_on_commit_callbacks(execute=True):
            notify.case_changed(case, "triaged")  # a replay
    assert len(smtp_server.messages) == 2
    by_rcpt = {
        tuple(m.rcpt_tos): m.content.decode("utf-8", "replace") for m in smtp_server.messages
    }
    siti = by_rcpt[("siti@example.org",)]
    budi = by_rcpt[("budi.lain@example.org",)]
    assert first.tracking_code in siti and other.tracking_code not in siti
    assert other.tracking_code in budi and first.tracking_code not in budi
    for leaked in ("Budi Lain", "budi.lain@example.org", "+6289999999999"):
        assert leaked not in siti
    for leaked in ("Siti Pelapor", "siti@example.org", "+6281234567890"):
        assert leaked not in budi
    assert case.title not in siti  # the title may quote another reporter's words
    assert f"{PUBLIC}/lapor/status/{first.tracking_code}/" in siti
    statuses = set(Notification.objects.values_list("status", flat=True))
    assert statuses == {"sent"}
    assert Notification.objects.filter(event__startswith="triaged:").count() == 2


@pytest.mark.django_db
def test_receipt_has_code_absolute_status_link_and_next_steps(django_capture_on_commit_callbacks):
    case = make_case(reporter_email="siti@example.org")
    report = case.reports.get()
    with (
        override_settings(SARING_PUBLIC_URL=PUBLIC + "/"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify.report_received(report)
        notify.report_received(report)  # double call: one receipt
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["siti@example.org"]
    assert report.tracking_code in message.subject
    assert f"{PUBLIC}/lapor/status/{report.tracking_code}/" in message.body
    assert "Bawaslu" in message.body  # what happens next
    assert "— English —" in message.body
    assert Notification.objects.get(report=report).event == "received"


@pytest.mark.django_db
def test_reason_with_html_stays_plain_text(django_capture_on_commit_callbacks):
    reason = '<script>alert("x")</script> bukan pelanggaran & <b>tidak</b> valid'
    case = make_case(validity_reason=reason, is_valid=False)
    with django_capture_on_commit_callbacks(execute=True):
        case = move(case, "rejected")
        notify.case_changed(case, "rejected")
    (message,) = mail.outbox
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", [])
    assert reason in message.body  # inert in a plain-text mail, and not mangled by escaping
    assert "&lt;" not in message.body


@pytest.mark.django_db
def test_answered_names_the_outcome(django_capture_on_commit_callbacks):
    case = make_case(state=Case.State.ESCALATED, outcome="removed")
    with django_capture_on_commit_callbacks(execute=True):
        case = move(case, "answered")
        notify.case_changed(case, "answered")
    (message,) = mail.outbox
    assert "Removed" in message.body or "Dihapus" in message.body


@pytest.mark.django_db
def test_a_real_second_visit_to_a_state_is_told_again(django_capture_on_commit_callbacks):
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
        case = move(case, "closed")
        notify.case_changed(case, "closed")
        case = move(case, "reopened")
        notify.case_changed(case, "reopened")
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
        notify.case_changed(case, "triaged")
    events = list(Notification.objects.order_by("id").values_list("event", flat=True))
    assert [e.split(":")[0] for e in events] == ["triaged", "closed", "reopened", "triaged"]
    assert len(set(events)) == 4
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_no_message_without_contact_or_when_none_asked(django_capture_on_commit_callbacks):
    case = make_case()
    report = case.reports.get()
    Report.objects.filter(pk=report.pk).update(notify=Report.Notify.NONE)
    second_report(case, reporter_email="", reporter_phone="", notify=Report.Notify.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
    assert Notification.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_merged_case_reports_are_told_through_the_live_case(django_capture_on_commit_callbacks):
    target = make_case()
    source = make_case(reporter_email="moved@example.org")
    Report.objects.filter(case=source).update(case=target)
    with django_capture_on_commit_callbacks(execute=True):
        notify.case_changed(source, "merged")
        target = move(target, "triaged")
        notify.case_changed(target, "triaged")
    assert sorted(m.to[0] for m in mail.outbox) == ["moved@example.org", "pelapor@example.org"]


@pytest.mark.django_db
def test_smtp_failure_is_recorded_without_the_address_and_retried(
    django_capture_on_commit_callbacks,
):
    case = make_case(reporter_email="siti@example.org")
    dead = free_port()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=dead,
            EMAIL_TIMEOUT=2,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
    failed = Notification.objects.get()
    assert failed.status == "failed" and failed.attempts == 1
    assert "siti@example.org" not in failed.last_error and failed.last_error
    result = notify.retry()  # locmem again: the retry goes out
    assert (result.sent, result.failed) == (1, 0)
    failed.refresh_from_db()
    assert failed.status == "sent" and failed.attempts == 2
    assert len(mail.outbox) == 1
    assert notify.retry().sent == 0  # nothing left to send


# --- SMS ---------------------------------------------------------------------------------------


class Gateway:
    """A fake SMS gateway: POST /messages with the right Bearer token and a JSON body."""

    def __init__(self, fail_with: int | None = None):
        self.received: list[dict] = []
        self.fail_with = fail_with
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                if self.path != "/v1/messages":
                    return self._answer(404, {})
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    return self._answer(401, {"error": "bad token"})
                if outer.fail_with:
                    return self._answer(outer.fail_with, {"error": "down"})
                payload = json.loads(body)
                assert set(payload) == {"to", "text"}
                outer.received.append(payload)
                return self._answer(201, {"id": f"m{len(outer.received)}"})

            def _answer(self, status, payload):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def test_gateway_client_sends_and_returns_the_id():
    with Gateway() as gateway:
        client = SmsGateway(gateway.url, TOKEN, timeout=5)
        assert client.send("+628111", "Halo <b>") == "m1"
    assert gateway.received == [{"to": "+628111", "text": "Halo <b>"}]


def test_gateway_client_errors_name_no_number():
    with Gateway() as gateway:
        with pytest.raises(SmsError) as wrong_token:
            SmsGateway(gateway.url, "wrong", timeout=5).send("+628111", "x")
        gateway.fail_with = 503
        with pytest.raises(SmsError) as down:
            SmsGateway(gateway.url, TOKEN, timeout=5).send("+628111", "x")
    assert "401" in str(wrong_token.value) and "+628111" not in str(wrong_token.value)
    assert "503" in str(down.value)
    with pytest.raises(SmsError):
        SmsGateway(f"http://127.0.0.1:{free_port()}", TOKEN, timeout=2).send("+628111", "x")


@pytest.mark.django_db
def test_sms_reporter_gets_an_sms_with_code_and_link(django_capture_on_commit_callbacks):
    case = make_case()
    report = case.reports.get()
    Report.objects.filter(pk=report.pk).update(notify=Report.Notify.SMS)
    with (
        Gateway() as gateway,
        override_settings(
            SARING_SMS_URL=gateway.url, SARING_SMS_TOKEN=TOKEN, SARING_PUBLIC_URL=PUBLIC
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
        notify.case_changed(case, "triaged")
    assert len(gateway.received) == 1
    sms = gateway.received[0]
    assert sms["to"] == "+6281234567890"
    assert report.tracking_code in sms["text"]
    assert f"{PUBLIC}/lapor/status/{report.tracking_code}/" in sms["text"]
    assert len(sms["text"]) <= notify.SMS_LIMIT
    assert mail.outbox == []
    assert Notification.objects.get().medium == "sms"


@pytest.mark.django_db
def test_sms_failure_then_retry(django_capture_on_commit_callbacks):
    case = make_case()
    Report.objects.filter(case=case).update(notify=Report.Notify.SMS)
    with (
        Gateway(fail_with=503) as gateway,
        override_settings(SARING_SMS_URL=gateway.url, SARING_SMS_TOKEN=TOKEN),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            case = move(case, "triaged")
            notify.case_changed(case, "triaged")
        failed = Notification.objects.get()
        assert failed.status == "failed" and "503" in failed.last_error
        assert "+62" not in failed.last_error
        gateway.fail_with = None
        assert notify.retry().sent == 1
    assert len(gateway.received) == 1


@pytest.mark.django_db
def test_sms_off_falls_back_to_email_or_fails_visibly(django_capture_on_commit_callbacks):
    case = make_case()
    Report.objects.filter(case=case).update(notify=Report.Notify.SMS)
    phone_only = second_report(case, reporter_email="", notify=Report.Notify.SMS)
    with override_settings(SARING_SMS_URL=""), django_capture_on_commit_callbacks(execute=True):
        case = move(case, "triaged")
        notify.case_changed(case, "triaged")
    assert [m.to for m in mail.outbox] == [["pelapor@example.org"]]
    visible = Notification.objects.get(report=phone_only)
    assert visible.medium == "sms" and visible.status == "failed"
    assert "SMS is off" in visible.last_error


@pytest.mark.django_db
def test_retry_picks_up_pending_messages_whose_task_was_lost():
    case = make_case()
    report = case.reports.get()
    stale = Notification.objects.create(report=report, medium="email", event="triaged:1")
    Notification.objects.filter(pk=stale.pk).update(
        created_at=stale.created_at - notify.STUCK_AFTER * 2
    )
    fresh = Notification.objects.create(report=report, medium="email", event="closed:2")
    assert notify.retry().sent == 1
    assert Notification.objects.get(pk=stale.pk).status == "sent"
    assert Notification.objects.get(pk=fresh.pk).status == "pending"
