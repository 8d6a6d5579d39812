"""Webhooks to partners on every publication, against a local receiver (http.server in a
thread): the signature checks out over the raw body, the Idempotency-Key is stable across
retries and new for a later change, back-off 1 min → 6 h, five failures in a row pause the
subscription, later events are held and the owner is mailed once, resuming sends the held
ones; a receiver that is down, one answering 500 and one that never answers. Then who may
manage a subscription, the command and the partner's page."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from saring.accounts.models import Organisation
from saring.accounts.scope import ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.elections.models import Stage
from saring.factcheck.models import Claim, Clarification
from saring.guide.models import Entry, Subscription, WebhookDelivery
from saring.guide.querysets import subscriptions_visible_to
from saring.guide.services import events, webhooks
from saring.guide.services.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    PAUSE_AFTER,
    deliver,
    deliver_due,
    enqueue,
)
from saring.kernel.webhooks import hmac_signature
from tests.factories import member

pytestmark = pytest.mark.django_db
PUBLIC = "https://saring.example.go.id"
OWNER = "integrasi@tiktok.example"


class Receiver:
    """A partner's endpoint: keeps the raw body and headers, answers from a script."""

    def __init__(self, answers=()):
        self.answers, self.calls = list(answers), []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append({"raw": raw, "headers": dict(self.headers)})
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/saring/hook"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def bodies(self) -> list[dict]:
        return [json.loads(c["raw"]) for c in self.calls]

    def keys(self) -> list[str]:
        return [c["headers"]["Idempotency-Key"] for c in self.calls]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/down"  # nobody listens there any more


@pytest.fixture(autouse=True)
def public_url():
    with override_settings(SARING_PUBLIC_URL=PUBLIC + "/", SARING_WEBHOOK_TIMEOUT_SECONDS=2):
        yield


@pytest.fixture
def receiver():
    made = []

    def start(answers=()):
        made.append(Receiver(answers))
        return made[-1]

    yield start
    for r in made:
        r.close()


@pytest.fixture
def now_commit(django_capture_on_commit_callbacks):
    """Run `fn` as if its transaction committed (queued tasks run: SARING_TASKS=immediate)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def partner_admin():
    return member("admin", kind=Organisation.Kind.PLATFORM)


@pytest.fixture
def kpu_admin():
    return member("admin")  # KPU RI


def org_of(user) -> Organisation:
    return user.membership.organisation


def subscription(user, url: str, events=()) -> Subscription:
    return webhooks.subscribe(
        scope_for(user), org_of(user), url=url, events=list(events), owner_email=OWNER
    )


def announcement(slug: str = "masa-tenang") -> Entry:
    return Entry.objects.create(
        kind=Entry.Kind.ANNOUNCEMENT,
        slug=slug,
        notice=Entry.Notice.QUIET_PERIOD,
        status=Entry.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def key_of(sub: Subscription, event: str, item_id, version: str) -> str:
    raw = f"{sub.pk}\n{event}\n{item_id}\n{version}"
    return hashlib.sha256(raw.encode()).hexdigest()


# ------------------------------------------------------------------------------- delivery


def test_a_publication_reaches_the_partner_signed_after_commit(
    receiver, partner_admin, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = subscription(partner_admin, r.url)
    entry = announcement()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert enqueue("announcement", [entry.pk]) == 1
    assert r.calls == [] and len(callbacks) == 1  # nothing leaves before the commit
    callbacks[0]()
    (call,) = r.calls
    headers = call["headers"]
    stamp = headers["X-Saring-Timestamp"]
    assert headers["X-Saring-Signature"] == hmac_signature(sub.secret, stamp, call["raw"])
    assert hmac_signature("another-secret", stamp, call["raw"]) != headers["X-Saring-Signature"]
    assert abs(time.time() - int(stamp)) < 60
    assert headers["User-Agent"] == "Saring guide webhook"
    body = json.loads(call["raw"])
    entry.refresh_from_db()
    key = key_of(sub, "announcement.published", entry.pk, entry.updated_at.isoformat())
    assert body == {
        "event": "announcement.published",
        "id": entry.pk,
        "url": f"{PUBLIC}/api/v1/announcements/masa-tenang",
        "occurred_at": entry.updated_at.isoformat(),
        "delivery": key,
    }
    assert headers["Idempotency-Key"] == key
    assert datetime.fromisoformat(body["occurred_at"]) == entry.updated_at
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "delivered" and delivery.attempts == 1 and delivery.delivered_at
    assert deliver(delivery.pk).ok and len(r.calls) == 1  # idempotent: not sent twice


def test_the_guide_event_hook_enqueues_clarifications_and_calendar_changes(
    receiver, partner_admin, now_commit
):
    r = receiver()
    subscription(partner_admin, r.url)
    claim = Claim.objects.create(text="Pemilu diundur")
    clarification = Clarification.objects.create(
        claim=claim, headline="Tidak benar", verdict="HOAKS", status="published"
    )
    now_commit(webhooks.enqueue, "clarification", [clarification.pk])
    now_commit(webhooks.enqueue, "election", ["pemilu.2024-02-14"])
    first, second = r.bodies()
    assert first["event"] == "clarification.published" and first["id"] == clarification.pk
    assert first["url"] == f"{PUBLIC}/api/v1/clarifications/{clarification.pk}"
    assert second["event"] == "election.changed" and second["id"] == "pemilu.2024-02-14"
    assert second["url"] == f"{PUBLIC}/api/v1/elections/pemilu.2024-02-14"
    # The same calendar again is the same delivery; a moved stage is a new one, even
    # where the election row itself was not saved.
    assert enqueue("election", ["pemilu.2024-02-14"]) == 0
    stage = Stage.objects.filter(election_id="pemilu.2024-02-14").first()
    Stage.objects.filter(pk=stage.pk).update(ends_on=stage.ends_on + timedelta(days=1))
    assert enqueue("election", ["pemilu.2024-02-14"]) == 1
    assert enqueue("election", ["pemilu.1999-01-01"]) == 0  # no such election: nothing


def test_the_guide_publication_entry_point_notifies_subscribers(
    partner_admin, receiver, monkeypatch
):
    from saring.guide.site import schedule

    monkeypatch.setattr(schedule, "request_build", lambda **kwargs: None)  # the site's part
    sub = subscription(partner_admin, receiver().url)
    entry = announcement()
    events.published("announcement", [entry.pk], action="withdrawn")
    assert sub.deliveries.get().event == "announcement.withdrawn"


def test_the_same_publication_is_one_key_a_later_change_a_new_one(partner_admin, receiver):
    sub = subscription(partner_admin, receiver().url)
    entry = announcement()
    assert enqueue("announcement", [entry.pk]) == 1
    assert enqueue("announcement", [entry.pk]) == 0  # the same publication, retried
    entry.save()  # a later change (new updated_at)
    assert enqueue("announcement", [entry.pk]) == 1
    assert enqueue("announcement", [entry.pk], action="withdrawn") == 1
    keys = set(sub.deliveries.values_list("key", flat=True))
    assert len(keys) == 3
    events_sent = sorted(sub.deliveries.values_list("event", flat=True))
    assert events_sent == ["announcement.published"] * 2 + ["announcement.withdrawn"]


def test_events_filter_and_turned_off_subscriptions(kpu_admin, partner_admin, receiver):
    only_clarifications = subscription(partner_admin, receiver().url, ["clarification.published"])
    everything = subscription(partner_admin, receiver().url)
    off = subscription(partner_admin, receiver().url)
    webhooks.turn_off(scope_for(partner_admin), off)
    assert enqueue("announcement", [announcement().pk]) == 1
    assert not only_clarifications.deliveries.exists() and not off.deliveries.exists()
    assert everything.deliveries.get().event == "announcement.published"
    with pytest.raises(webhooks.WebhookError) as wrong:
        subscription(partner_admin, receiver().url, ["announcement.deleted"])
    assert wrong.value.field == "events"
    with pytest.raises(webhooks.WebhookError) as wrong:
        subscription(partner_admin, "ftp://example.org/hook")
    assert wrong.value.field == "url"


def test_a_500_is_retried_with_back_off_under_the_same_key(partner_admin, receiver, now_commit):
    assert (
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
    ) == BACKOFF
    r = receiver(answers=[500, 503, 500, 502])
    sub = subscription(partner_admin, r.url)
    enqueue("announcement", [announcement().pk])
    delivery = WebhookDelivery.objects.get()
    before = timezone.now()
    result = deliver(delivery.pk)
    assert not result.ok and "500" in result.error
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 1 and "500" in delivery.last_error
    assert (
        BACKOFF[0] - timedelta(seconds=1)
        <= delivery.next_attempt_at - before
        <= BACKOFF[0] + timedelta(seconds=5)
    )
    assert deliver_due().due == 0 and len(r.calls) == 1  # not due yet
    for attempt in (2, 3, 4):
        at = delivery.next_attempt_at
        assert deliver_due(now=at).retrying == 1
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        waited = delivery.next_attempt_at - timezone.now()
        assert BACKOFF[attempt - 1] - timedelta(seconds=5) <= waited <= BACKOFF[attempt - 1]
    summary = deliver_due(now=delivery.next_attempt_at)
    assert summary.delivered == 1
    delivery.refresh_from_db()
    sub.refresh_from_db()
    assert delivery.state == "delivered" and delivery.attempts == 5 and delivery.last_error == ""
    assert sub.status == "active" and sub.failures == 0  # a success resets the count
    assert r.keys() == [delivery.key] * 5
    assert len({c["raw"] for c in r.calls}) == 1  # the same body every time


def test_one_delivery_is_given_up_after_six_attempts_while_others_succeed(partner_admin, receiver):
    r = receiver(answers=[500] * 10)
    sub = subscription(partner_admin, r.url)
    enqueue("announcement", [announcement().pk])
    delivery = WebhookDelivery.objects.get()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        # other deliveries of the subscription succeed in between: it is never paused
        Subscription.objects.filter(pk=sub.pk).update(failures=0)
        assert not deliver(delivery.pk).ok
        delivery.refresh_from_db()
        if attempt == 5:
            assert delivery.next_attempt_at - timezone.now() > BACKOFF[4] - timedelta(minutes=1)
    assert delivery.state == "failed" and delivery.attempts == MAX_ATTEMPTS == 6
    assert not deliver(delivery.pk).ok and len(r.calls) == 6  # given up: no seventh
    sub.refresh_from_db()
    assert sub.status == "active"
    webhooks.retry(scope_for(partner_admin), delivery)
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 0


def test_a_receiver_that_is_down_is_paused_after_five_failures_and_nothing_is_lost(
    partner_admin, receiver, now_commit
):
    sub = subscription(partner_admin, closed_port_url())
    first, second, third = announcement("a"), announcement("b"), announcement("c")
    enqueue("announcement", [first.pk, second.pk, third.pk])
    for _round in range(3):  # each attempt of each waiting delivery counts
        now_commit(deliver_due, now=timezone.now() + timedelta(days=1))
    sub.refresh_from_db()
    assert sub.status == "paused" and sub.failures == PAUSE_AFTER and sub.paused_at
    states = list(sub.deliveries.values_list("state", flat=True))
    assert states == ["held"] * 3
    assert sum(sub.deliveries.values_list("attempts", flat=True)) == PAUSE_AFTER
    assert all("no answer" in e for e in sub.deliveries.values_list("last_error", flat=True))
    (message,) = mail.outbox
    assert message.to == [OWNER] and sub.url in message.body
    assert f"{PUBLIC}/webhooks/{sub.pk}/" in message.body
    paused = AuditEvent.objects.get(action="webhook.paused", subject_id=str(sub.pk))
    assert paused.actor == "system" and paused.to_state == "paused"
    assert OWNER not in json.dumps(paused.details) and sub.secret not in paused.reason
    # a later publication is held, nothing is attempted, nobody is mailed again
    later = announcement("d")
    assert now_commit(enqueue, "announcement", [later.pk]) == 1
    assert sub.deliveries.get(payload__id=later.pk).state == "held"
    assert now_commit(deliver_due, now=timezone.now() + timedelta(days=2)).due == 0
    assert len(mail.outbox) == 1
    # the partner fixes its receiver and resumes: every held delivery goes out, keys kept
    held_keys = set(sub.deliveries.values_list("key", flat=True))
    r = receiver()
    scope = scope_for(partner_admin)
    webhooks.update(scope, sub, url=r.url)
    now_commit(webhooks.resume, scope, sub)
    sub.refresh_from_db()
    assert sub.status == "active" and sub.failures == 0 and sub.paused_at is None
    assert set(r.keys()) == held_keys and len(r.calls) == 4
    assert set(sub.deliveries.values_list("state", flat=True)) == {"delivered"}
    assert AuditEvent.objects.filter(action="webhook.resumed", subject_id=str(sub.pk)).exists()
    assert len(mail.outbox) == 1


def test_a_receiver_that_never_answers_times_out(partner_admin):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
        subscription(partner_admin, url)
        enqueue("announcement", [announcement().pk])
        delivery = WebhookDelivery.objects.get()
        started = time.monotonic()
        result = deliver(delivery.pk, timeout=0.5)
        assert not result.ok and time.monotonic() - started < 5
    finally:
        listener.close()
    delivery.refresh_from_db()
    assert delivery.state == "pending" and delivery.attempts == 1 and delivery.next_attempt_at
    assert "timed out" in delivery.last_error


def test_a_test_event_is_signed_and_does_not_count(partner_admin, receiver, now_commit):
    r = receiver(answers=[500])
    sub = subscription(partner_admin, r.url)
    scope = scope_for(partner_admin)
    failed = now_commit(webhooks.send_test, scope, sub)
    failed.refresh_from_db()
    sub.refresh_from_db()
    assert failed.state == "failed" and failed.attempts == 1 and sub.failures == 0
    ok = now_commit(webhooks.send_test, scope, sub)
    ok.refresh_from_db()
    assert ok.state == "delivered" and ok.key != failed.key
    body = r.bodies()[-1]
    assert body["event"] == "test.ping" and body["url"] == f"{PUBLIC}/api/v1/"
    with pytest.raises(webhooks.WebhookError):
        webhooks.retry(scope, failed)  # a test is one attempt only


# ------------------------------------------------------------------------------------ scope


def test_who_may_manage_a_subscription(kpu_admin, partner_admin):
    other_partner = member("admin", kind=Organisation.Kind.PLATFORM)
    partner_analyst = member("analyst", kind=Organisation.Kind.PLATFORM)
    kpu_jabar_admin = member("admin", "32")
    bawaslu_ri_admin = member("admin", kind=Organisation.Kind.BAWASLU)
    org = org_of(partner_admin)
    url = "https://hooks.tiktok.example/saring"
    own = webhooks.subscribe(scope_for(partner_admin), org, url=url, owner_email=OWNER)
    by_kpu = webhooks.subscribe(scope_for(kpu_admin), org, url=url + "2", owner_email=OWNER)
    assert own.organisation == by_kpu.organisation == org
    assert own.secret.startswith("whsec_") and own.secret != by_kpu.secret
    assert len(own.secret) > 40
    for outsider in (other_partner, partner_analyst, kpu_jabar_admin, bawaslu_ri_admin):
        with pytest.raises(ScopeError):
            webhooks.subscribe(scope_for(outsider), org, url=url, owner_email=OWNER)
        with pytest.raises(ScopeError):
            webhooks.turn_off(scope_for(outsider), own)
        with pytest.raises(ScopeError):
            webhooks.send_test(scope_for(outsider), own)
    webhooks.turn_off(scope_for(partner_admin), own)
    with pytest.raises(ScopeError):
        webhooks.resume(scope_for(other_partner), own)
    webhooks.resume(scope_for(kpu_admin), own)
    own.refresh_from_db()
    assert own.status == "active"
    saved = AuditEvent.objects.filter(action="webhook.subscribed", subject_id=str(own.pk)).get()
    assert OWNER not in json.dumps(saved.details) and own.secret not in json.dumps(saved.details)
    assert set(subscriptions_visible_to(scope_for(other_partner))) == set()
    assert set(subscriptions_visible_to(scope_for(kpu_admin))) == {own, by_kpu}


# ---------------------------------------------------------------------------------- command


def test_the_command_lists_delivers_tests_and_resumes(partner_admin, receiver, capsys):
    r = receiver(answers=[500] * PAUSE_AFTER)
    sub = subscription(partner_admin, r.url)
    enqueue("announcement", [announcement().pk])
    call_command("guide", "webhooks", "deliver", "--json")
    summary = json.loads(capsys.readouterr().out)
    assert summary["due"] == 1 and summary["retrying"] == 1
    call_command("guide", "webhooks", "list", "--json")
    (row,) = json.loads(capsys.readouterr().out)
    assert row["id"] == sub.pk and row["status"] == "active" and row["failures"] == 1
    call_command("guide", "webhooks", "list")
    text = capsys.readouterr().out
    assert r.url in text and OWNER not in text and sub.secret not in text
    Subscription.objects.filter(pk=sub.pk).update(status="paused")
    with pytest.raises(CommandError):
        call_command("guide", "webhooks", "test", str(sub.pk))  # the receiver still says 500
    r.answers.clear()
    call_command("guide", "webhooks", "test", str(sub.pk), "--timeout", "2")
    assert "test delivered" in capsys.readouterr().out
    call_command("guide", "webhooks", "resume", str(sub.pk))
    assert f"subscription {sub.pk} active" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("guide", "webhooks", "resume", str(sub.pk))  # already active
    with pytest.raises(CommandError):
        call_command("guide", "webhooks", "resume", "999999")
    assert AuditEvent.objects.filter(action="webhook.resumed", actor="system").exists()


# ------------------------------------------------------------------------------------- pages


def test_a_partner_adds_a_webhook_and_sees_the_secret_once(client, partner_admin):
    client.force_login(partner_admin)
    assert client.get("/webhooks/new/").status_code == 200
    answer = client.post(
        "/webhooks/new/",
        {
            "url": "https://hooks.tiktok.example/saring",
            "events": ["announcement.published", "clarification.published"],
            "owner_email": OWNER,
        },
    )
    sub = Subscription.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/webhooks/{sub.pk}/"
    assert sub.organisation == org_of(partner_admin)
    assert sub.events == ["announcement.published", "clarification.published"]
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert f'value="{sub.secret}" data-secret' in page
    assert OWNER not in page and "i•••@tiktok.example" in page
    assert 'data-events="announcement.published,clarification.published"' in page
    again = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert sub.secret not in again and "data-secret" not in again  # shown once
    listing = client.get("/webhooks/").content.decode()
    assert f'data-hook="{sub.pk}" data-status="active"' in listing
    refused = client.post("/webhooks/new/", {"url": "javascript:alert(1)", "owner_email": OWNER})
    assert refused.status_code == 200 and Subscription.objects.count() == 1


def test_the_page_shows_deliveries_and_resumes_a_paused_one(
    client, partner_admin, receiver, django_capture_on_commit_callbacks
):
    r = receiver()
    sub = subscription(partner_admin, r.url)
    enqueue("announcement", [announcement().pk])
    Subscription.objects.filter(pk=sub.pk).update(status="paused", failures=PAUSE_AFTER)
    WebhookDelivery.objects.update(state="held", last_error="HTTP 500 from the webhook")
    client.force_login(partner_admin)
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    delivery = WebhookDelivery.objects.get()
    assert f'data-delivery="{delivery.pk}" data-state="held"' in page
    assert 'data-action="resume"' in page and "data-delivery-error" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/webhooks/{sub.pk}/resume/")
    assert answer.status_code == 302
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and r.keys() == [delivery.key]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/webhooks/{sub.pk}/test/")
    assert r.bodies()[-1]["event"] == "test.ping"
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert 'data-event="test.ping"' in page and 'data-action="resume"' not in page


def test_other_organisations_neither_see_nor_act(client, partner_admin, receiver):
    sub = subscription(partner_admin, receiver().url)
    Subscription.objects.filter(pk=sub.pk).update(status="paused")
    outsider = member("admin", kind=Organisation.Kind.PLATFORM)
    client.force_login(outsider)
    assert client.get(f"/webhooks/{sub.pk}/").status_code == 404
    assert client.post(f"/webhooks/{sub.pk}/resume/").status_code == 404
    assert f'data-hook="{sub.pk}"' not in client.get("/webhooks/").content.decode()
    viewer = member("viewer", kind=Organisation.Kind.PLATFORM)
    viewer.membership.organisation = org_of(partner_admin)
    viewer.membership.save()
    client.force_login(viewer)
    page = client.get(f"/webhooks/{sub.pk}/").content.decode()
    assert f'data-hook="{sub.pk}"' in page and 'data-action="resume"' not in page
    assert client.post(f"/webhooks/{sub.pk}/resume/").status_code == 403
    assert client.get("/webhooks/new/").status_code == 403
    sub.refresh_from_db()
    assert sub.status == "paused"
    client.force_login(member("admin"))  # KPU RI: sees every partner's
    assert f'data-hook="{sub.pk}"' in client.get("/webhooks/").content.decode()
