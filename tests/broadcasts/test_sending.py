"""The resumable sender against a local fake gateway: planning (distinct addresses, opt-outs,
region), sending in chunks, a kill after the gateway took a chunk (same keys again, no
duplicate), retries on 500 and timeouts, per-message rejections, pause/resume, throttling,
the other channels, the task and the command. Numbers never reach the logs."""

from __future__ import annotations

import logging

import pytest
from django.core import mail
from django.core.management import call_command

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.broadcasts import crypto
from saring.broadcasts.channels.base import Message, Result, Sender, sender_for
from saring.broadcasts.fake_gateway import FakeGateway
from saring.broadcasts.models import Broadcast, Delivery, OptOut, Recipient, RecipientList
from saring.broadcasts.services import sending
from saring.broadcasts.services.sending import TokenBucket, delivery_key
from tests.factories import member

pytestmark = pytest.mark.django_db
D = Delivery.State


def number(i: int) -> str:
    return f"+62812{i:08d}"


def make_list(n: int, *, start: int = 0, channel: str = "sms", regency: str | None = None):
    recipient_list = RecipientList.objects.create(name=f"Daftar {start}-{n}")
    rows = []
    for i in range(start, start + n):
        address = number(i) if channel != "email" else f"warga{i}@example.org"
        rows.append(
            Recipient(
                recipient_list=recipient_list,
                channel=channel,
                address_hash=crypto.fingerprint(channel, address),
                address_encrypted=crypto.encrypt(address),
                masked=crypto.mask(address),
                regency_id=regency,
                province_id=regency.split(".")[0] if regency else None,
            )
        )
    Recipient.objects.bulk_create(rows)
    return recipient_list


def make_broadcast(*lists, channel: str = "sms", rate: int = 10_000, **extra) -> Broadcast:
    broadcast = Broadcast.objects.create(
        title="Masa tenang",
        text="Masa tenang 24-26 November. Info: kpu.go.id",
        channel=channel,
        rate_per_second=rate,
        subject=extra.pop("subject", "Info pemilu" if channel == "email" else ""),
        **extra,
    )
    broadcast.lists.set(lists)
    return broadcast


@pytest.fixture
def gateway(settings):
    with FakeGateway(token="rahasia") as fake:
        settings.SARING_SMS_URL = fake.url
        settings.SARING_SMS_BATCH_URL = ""
        settings.SARING_SMS_TOKEN = "rahasia"
        yield fake


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    monkeypatch.setattr(sending, "BACKOFF", (0.0, 0.0, 0.0))


def started(broadcast: Broadcast) -> Broadcast:
    return sending.start(SYSTEM, broadcast, enqueue=False)


# -- planning --------------------------------------------------------------------------------


def test_plan_makes_one_delivery_per_distinct_address_and_skips_opt_outs():
    first, second = make_list(5), make_list(5, start=3)  # numbers 3 and 4 are on both
    OptOut.objects.create(
        channel="sms", address_hash=crypto.fingerprint("sms", number(0)), source="t"
    )
    broadcast = started(make_broadcast(first, second))
    deliveries = Delivery.objects.filter(broadcast=broadcast)
    assert deliveries.count() == 8
    assert deliveries.filter(state=D.SKIPPED).count() == 1
    assert broadcast.planned == 8 and broadcast.skipped == 1 and broadcast.state == "sending"
    a_delivery = deliveries.select_related("recipient").first()
    assert a_delivery.key == delivery_key(broadcast.pk, a_delivery.recipient.address_hash)
    # Planning again adds nothing and keeps the keys.
    keys = set(deliveries.values_list("key", flat=True))
    assert sending.plan(broadcast) == 8
    assert set(deliveries.values_list("key", flat=True)) == keys


def test_a_run_finishes_a_plan_that_was_killed_half_way(gateway, monkeypatch):
    broadcast = make_broadcast(make_list(9))
    monkeypatch.setattr(sending, "plan", lambda b, **kw: None)  # killed before planning
    broadcast = sending.start(SYSTEM, broadcast, enqueue=False)
    monkeypatch.undo()
    monkeypatch.setattr(sending, "BACKOFF", (0.0, 0.0, 0.0))
    first = Recipient.objects.order_by("pk").first()
    Delivery.objects.create(
        broadcast=broadcast, recipient=first, key=delivery_key(broadcast.pk, first.address_hash)
    )
    assert broadcast.planned == 0
    assert sending.run(broadcast.pk).sent == 9
    broadcast.refresh_from_db()
    assert broadcast.planned == 9 and broadcast.state == "done"


def test_plan_keeps_to_the_target_region():
    garut, bandung = make_list(3, regency="32.05"), make_list(4, start=10, regency="32.73")
    broadcast = started(make_broadcast(garut, bandung, target_regency_id="32.05"))
    assert broadcast.planned == 3
    province = started(make_broadcast(garut, bandung, target_province_id="32"))
    assert province.planned == 7


def test_only_analysts_of_the_region_may_start():
    broadcast = make_broadcast(make_list(1), province_id="32", regency_id="32.05")
    viewer = scope_for(member(Membership.Role.VIEWER, "32", "32.05"))
    other = scope_for(member(Membership.Role.ANALYST, "32", "32.73"))
    for scope in (viewer, other):
        with pytest.raises(ScopeError):
            sending.start(scope, broadcast, enqueue=False)
    own = scope_for(member(Membership.Role.ANALYST, "32", "32.05"))
    assert sending.start(own, broadcast, enqueue=False).state == "sending"
    assert AuditEvent.objects.filter(action="broadcast.started").count() == 1


# -- sending ---------------------------------------------------------------------------------


def test_run_sends_every_queued_delivery_once_and_finishes(gateway, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 7)
    broadcast = started(make_broadcast(make_list(30)))
    result = sending.run(broadcast.pk)
    broadcast.refresh_from_db()
    assert (result.sent, result.failed, result.chunks) == (30, 0, 5)
    assert broadcast.state == "done" and broadcast.sent == 30 and broadcast.finished_at
    assert not Delivery.objects.filter(broadcast=broadcast).exclude(state=D.SENT).exists()
    assert Delivery.objects.filter(broadcast=broadcast, gateway_id="").count() == 0
    stats = gateway.stats()
    assert stats["accepted"] == 30 and stats["duplicates"] == 0 and stats["resubmitted"] == 0
    assert stats["connections"] == 1  # one kept-alive connection for all five batches
    assert gateway.texts[0] == broadcast.text
    assert AuditEvent.objects.filter(action="broadcast.finished").count() == 1
    # A second run has nothing to do.
    assert sending.run(broadcast.pk).note == "not sending"


class KilledAfterSending(Sender):
    """Sends through the real sender, then dies before the run records the chunk."""

    channel = "sms"

    def __init__(self, kill_on: int):
        self.inner, self.kill_on, self.calls = sender_for("sms"), kill_on, 0

    def send(self, batch):
        results = self.inner.send(batch)
        self.calls += 1
        if self.calls == self.kill_on:
            raise KeyboardInterrupt  # like SIGKILL: nothing after this line runs
        return results

    def close(self):
        self.inner.close()


def test_a_run_killed_after_the_gateway_took_a_chunk_resends_it_with_the_same_keys(
    gateway, monkeypatch
):
    monkeypatch.setattr(sending, "CHUNK", 10)
    broadcast = started(make_broadcast(make_list(45)))
    with pytest.raises(KeyboardInterrupt):
        sending.run(broadcast.pk, sender=KilledAfterSending(kill_on=3))
    # Two chunks recorded; the third was taken by the gateway but is still queued here.
    assert Delivery.objects.filter(broadcast=broadcast, state=D.SENT).count() == 20
    assert gateway.stats()["accepted"] == 30
    result = sending.run(broadcast.pk)  # the resumed run after the kill
    assert result.sent == 25
    stats = gateway.stats()
    assert stats["accepted"] == 45 and stats["addresses"] == 45
    assert stats["duplicates"] == 0 and stats["resubmitted"] == 10
    broadcast.refresh_from_db()
    assert broadcast.state == "done" and broadcast.sent == 45
    for delivery in Delivery.objects.filter(broadcast=broadcast):
        assert gateway.sends_of(delivery.key) in (1, 2)
        assert gateway.ids[delivery.key] == delivery.gateway_id  # the first id, kept


def test_stop_after_leaves_the_rest_queued_for_the_next_run(gateway, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 5)
    broadcast = started(make_broadcast(make_list(12)))
    first = sending.run(broadcast.pk, stop_after=5)
    assert first.sent == 5 and first.state == "sending"
    assert Delivery.objects.filter(broadcast=broadcast, state=D.QUEUED).count() == 7
    assert sending.run(broadcast.pk).sent == 7
    assert gateway.stats()["resubmitted"] == 0


def test_a_gateway_answering_500_is_retried_then_succeeds(gateway):
    gateway.fail_next = 2
    broadcast = started(make_broadcast(make_list(8)))
    result = sending.run(broadcast.pk)
    assert result.sent == 8 and result.state == "done"
    assert gateway.stats()["requests"] == 3


def test_a_gateway_that_keeps_failing_marks_failed_pauses_and_resume_sends_them(gateway, caplog):
    gateway.fail_next = 1000
    broadcast = started(make_broadcast(make_list(6)))
    with caplog.at_level(logging.DEBUG):
        result = sending.run(broadcast.pk)
    assert result.failed == 6 and result.state == "paused"
    failed = Delivery.objects.filter(broadcast=broadcast, state=D.FAILED)
    assert failed.count() == 6
    assert "HTTP 500" in failed.first().error
    assert "+62" not in caplog.text and "+62" not in failed.first().error
    broadcast.refresh_from_db()
    assert broadcast.failed == 6
    gateway.fail_next = 0
    broadcast = sending.resume(SYSTEM, broadcast, enqueue=False)
    assert broadcast.failed == 0 and broadcast.state == "sending"
    assert sending.run(broadcast.pk).sent == 6
    broadcast.refresh_from_db()
    assert broadcast.state == "done" and broadcast.sent == 6 and broadcast.failed == 0
    assert gateway.stats()["duplicates"] == 0


def test_a_gateway_that_times_out_after_taking_the_batch_is_retried_without_duplicates(
    gateway, settings
):
    gateway.hang_next, gateway.hang_seconds = 1, 1.0
    broadcast = started(make_broadcast(make_list(4)))
    sender = sender_for("sms", timeout=0.3)
    result = sending.run(broadcast.pk, sender=sender)
    assert result.sent == 4
    stats = gateway.stats()
    assert stats["accepted"] == 4 and stats["resubmitted"] == 4 and stats["duplicates"] == 0


def test_a_rejected_number_fails_alone_and_the_broadcast_is_done(gateway):
    gateway.reject = {number(2)}
    broadcast = started(make_broadcast(make_list(5)))
    result = sending.run(broadcast.pk)
    assert (result.sent, result.failed, result.state) == (4, 1, "done")
    bad = Delivery.objects.get(broadcast=broadcast, state=D.FAILED)
    assert bad.error == "gateway: invalid_number" and bad.recipient.masked.startswith("+62812")


class PausingSender(Sender):
    channel = "sms"

    def __init__(self, broadcast):
        self.inner, self.broadcast = sender_for("sms"), broadcast

    def send(self, batch):
        results = self.inner.send(batch)
        sending.pause(SYSTEM, self.broadcast, why="operator")
        return results

    def close(self):
        self.inner.close()


def test_pause_is_honoured_between_chunks_and_resume_goes_on(gateway, monkeypatch):
    monkeypatch.setattr(sending, "CHUNK", 4)
    broadcast = started(make_broadcast(make_list(10)))
    result = sending.run(broadcast.pk, sender=PausingSender(broadcast))
    assert result.sent == 4 and result.state == "paused"
    broadcast = sending.resume(SYSTEM, broadcast, enqueue=False)
    assert sending.run(broadcast.pk).sent == 6
    assert gateway.stats()["accepted"] == 10


def test_cancel_stops_a_run(gateway, monkeypatch):
    from saring.broadcasts.workflow import BROADCAST_WORKFLOW
    from saring.workflow import transition

    monkeypatch.setattr(sending, "CHUNK", 3)
    broadcast = started(make_broadcast(make_list(9)))
    transition(broadcast, BROADCAST_WORKFLOW, "cancelled", scope=SYSTEM, why="salah ketik")
    assert sending.run(broadcast.pk).sent == 0
    assert gateway.stats()["accepted"] == 0


def test_sms_off_pauses_the_broadcast_with_the_reason(settings):
    settings.SARING_SMS_URL = ""
    settings.SARING_SMS_BATCH_URL = ""
    broadcast = started(make_broadcast(make_list(2)))
    result = sending.run(broadcast.pk)
    assert result.state == "paused" and "SARING_SMS_URL" in result.note
    assert Delivery.objects.filter(broadcast=broadcast, state=D.QUEUED).count() == 2


def test_token_bucket_paces_to_the_rate():
    now = [0.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        now[0] += seconds

    bucket = TokenBucket(100, clock=lambda: now[0], sleep=sleep)
    bucket.take(100)  # the first second's burst
    assert waits == []
    bucket.take(50)
    assert waits == [pytest.approx(0.5)]
    now[0] += 1.0
    bucket.take(100)
    assert len(waits) == 1


def test_the_rate_per_second_limits_the_chunk_and_the_pace(gateway, monkeypatch):
    taken = []
    monkeypatch.setattr(TokenBucket, "take", lambda self, n: taken.append((self.rate, n)))
    broadcast = started(make_broadcast(make_list(7), rate=3))
    sending.run(broadcast.pk)
    assert taken == [(3.0, 3), (3.0, 3), (3.0, 1)]


# -- other channels, the task, the command --------------------------------------------------


def test_whatsapp_through_a_cloud_api_shaped_gateway(settings):
    with FakeGateway(token="wa-token") as fake:
        settings.SARING_WHATSAPP_URL = fake.url + "/v21.0"
        settings.SARING_WHATSAPP_PHONE_ID = "1234567890"
        settings.SARING_WHATSAPP_TOKEN = "wa-token"
        broadcast = started(make_broadcast(make_list(12, channel="whatsapp"), channel="whatsapp"))
        result = sending.run(broadcast.pk)
        assert result.sent == 12 and result.state == "done"
        assert fake.stats()["accepted"] == 12
        assert fake.stats()["connections"] <= 8  # one kept-alive connection per thread
        delivery = Delivery.objects.filter(broadcast=broadcast).first()
        assert delivery.gateway_id == fake.ids[delivery.key]


def test_email_through_django_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    broadcast = started(make_broadcast(make_list(3, channel="email"), channel="email"))
    assert sending.run(broadcast.pk).sent == 3
    assert len(mail.outbox) == 3 and mail.outbox[0].subject == "Info pemilu"
    delivery = Delivery.objects.filter(broadcast=broadcast).first()
    assert delivery.gateway_id == f"{delivery.key}@broadcast.saring"


def test_an_email_sender_without_a_mail_server_fails_retryably(settings):
    settings.EMAIL_BACKEND = "saring.kernel.mail.UnsentMailLogBackend"
    results = sender_for("email").send([Message("k1", "a@example.org", "hi", "s")])
    assert results == [Result("k1", False, error=results[0].error, retryable=True)]


def test_start_queues_the_task_which_sends(gateway, django_capture_on_commit_callbacks):
    broadcast = make_broadcast(make_list(3))
    with django_capture_on_commit_callbacks(execute=True):
        sending.start(SYSTEM, broadcast)  # SARING_TASKS=immediate: the task runs here
    broadcast.refresh_from_db()
    assert broadcast.state == "done" and broadcast.sent == 3


def test_send_due_starts_scheduled_broadcasts(gateway, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from saring.broadcasts.tasks import send_due_task

    due = make_broadcast(make_list(2), state="scheduled", scheduled_for=timezone.now())
    later = make_broadcast(
        make_list(2, start=5),
        state="scheduled",
        scheduled_for=timezone.now() + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        send_due_task.enqueue()
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.state == "done" and later.state == "scheduled"


def test_the_command_sends_and_resumes(gateway, capsys):
    broadcast = make_broadcast(make_list(4))
    call_command("broadcasts", "send", str(broadcast.pk), "--json")
    assert '"sent": 4' in capsys.readouterr().out
    broadcast.refresh_from_db()
    assert broadcast.state == "done"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("broadcasts", "resume", str(broadcast.pk))
    paused = make_broadcast(make_list(2, start=20))
    started(paused)
    sending.pause(SYSTEM, paused)
    call_command("broadcasts", "resume", str(paused.pk))
    paused.refresh_from_db()
    assert paused.state == "done" and paused.sent == 2


def test_nothing_personal_in_the_result_or_the_log(gateway, caplog):
    gateway.reject = {number(1)}
    broadcast = started(make_broadcast(make_list(3)))
    with caplog.at_level(logging.DEBUG):
        result = sending.run(broadcast.pk)
    assert "+62" not in str(result.as_dict()) and "+62" not in caplog.text
