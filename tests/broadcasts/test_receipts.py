"""Delivery receipts and STOP replies through the gateways' callback views: authentication
(token, HMAC, WhatsApp's signature), receipts moving deliveries and counters once, unknown ids
kept, bad bodies answered 400 naming the field, STOP/BERHENTI opting a number out of every
list, and the fake gateway posting its receipts to a live server."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from saring.accounts.scope import SYSTEM
from saring.broadcasts import crypto
from saring.broadcasts.fake_gateway import FakeGateway
from saring.broadcasts.models import Broadcast, Delivery, OptOut, Receipt
from saring.broadcasts.services import receipts, sending
from saring.kernel.webhooks import hmac_signature
from tests.broadcasts.test_sending import make_broadcast, make_list, number

pytestmark = pytest.mark.django_db
TOKEN = "callback-secret"
D = Delivery.State


@pytest.fixture(autouse=True)
def callback_token(settings):
    settings.SARING_BROADCAST_CALLBACK_TOKEN = TOKEN


def url(channel: str = "sms", kind: str = "receipts") -> str:
    return f"/broadcasts/callbacks/{channel}/{kind}"


def post(client, payload, *, channel="sms", kind="receipts", headers=None, raw=None):
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = {"X-Saring-Token": TOKEN} if headers is None else headers
    return client.post(
        url(channel, kind), data=body, content_type="application/json", headers=headers
    )


def sent_broadcast(n: int = 3, channel: str = "sms") -> Broadcast:
    broadcast = make_broadcast(make_list(n, channel=channel), channel=channel)
    broadcast = sending.start(SYSTEM, broadcast, enqueue=False)
    for i, delivery in enumerate(Delivery.objects.filter(broadcast=broadcast).order_by("pk")):
        delivery.state, delivery.gateway_id = D.SENT, f"gw-{channel}-{i}"
        delivery.save()
    Broadcast.objects.filter(pk=broadcast.pk).update(sent=n)
    return broadcast


# -- authentication -----------------------------------------------------------------------


def test_callbacks_are_refused_without_a_configured_token(client, settings):
    settings.SARING_BROADCAST_CALLBACK_TOKEN = ""
    assert post(client, {"id": "x", "status": "delivered"}).status_code == 403


def test_a_wrong_or_missing_token_is_refused(client):
    assert post(client, {"id": "x", "status": "d"}, headers={}).status_code == 401
    bad = {"X-Saring-Token": "nope"}
    assert post(client, {"id": "x", "status": "d"}, headers=bad).status_code == 401
    assert Receipt.objects.count() == 0


def test_bearer_hmac_and_whatsapp_signatures_are_accepted(client):
    body = json.dumps({"id": "gw-1", "status": "delivered"}).encode()
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    assert post(client, None, raw=body, headers=bearer).status_code == 200
    stamp = str(int(time.time()))
    signed = {"X-Saring-Timestamp": stamp, "X-Saring-Signature": hmac_signature(TOKEN, stamp, body)}
    assert post(client, None, raw=body, headers=signed).status_code == 200
    old = str(int(time.time()) - 3600)
    stale = {"X-Saring-Timestamp": old, "X-Saring-Signature": hmac_signature(TOKEN, old, body)}
    assert post(client, None, raw=body, headers=stale).status_code == 401
    hub = "sha256=" + hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert post(client, None, raw=body, headers={"X-Hub-Signature-256": hub}).status_code == 200
    assert Receipt.objects.count() == 3


def test_an_unknown_channel_is_404_and_get_is_405(client):
    assert post(client, {"id": "x", "status": "d"}, channel="pigeon").status_code == 404
    assert client.get(url(), headers={"X-Saring-Token": TOKEN}).status_code == 405


# -- receipts ------------------------------------------------------------------------------


def test_receipts_move_deliveries_and_counters_once(client):
    broadcast = sent_broadcast(3)
    payload = {
        "receipts": [
            {"id": "gw-sms-0", "status": "DELIVERED"},
            {"id": "gw-sms-1", "status": "failed"},
            {"id": "gw-sms-0", "status": "delivered"},  # repeated: counted once
        ]
    }
    answer = post(client, payload)
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "received": 3, "applied": 2, "unknown": 0}
    broadcast.refresh_from_db()
    assert (broadcast.delivered, broadcast.failed, broadcast.sent) == (1, 1, 3)
    states = dict(Delivery.objects.filter(broadcast=broadcast).values_list("gateway_id", "state"))
    assert states == {"gw-sms-0": "delivered", "gw-sms-1": "failed", "gw-sms-2": "sent"}
    assert Receipt.objects.filter(delivery__isnull=False).count() == 3


def test_a_receipt_for_an_unknown_message_is_kept_and_answered_200(client):
    answer = post(client, {"id": "not-ours", "status": "delivered"})
    assert answer.status_code == 200 and answer.json()["unknown"] == 1
    receipt = Receipt.objects.get()
    assert receipt.delivery is None and receipt.gateway_id == "not-ours"


def test_a_receipt_names_the_channel_it_came_from(client):
    sent_broadcast(1, channel="whatsapp")
    # The same id on the SMS callback is not the WhatsApp delivery.
    assert post(client, {"id": "gw-whatsapp-0", "status": "delivered"}).json()["unknown"] == 1


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"{not json", "body"),
        (b"[1, 2]", "body"),
        (json.dumps({"status": "delivered"}).encode(), "id"),
        (
            json.dumps({"receipts": [{"id": "a", "status": "d"}, {"id": "b"}]}).encode(),
            "receipts[1].status",
        ),
        (json.dumps({"receipts": "many"}).encode(), "receipts"),
    ],
)
def test_a_bad_body_is_answered_400_naming_the_field(client, raw, field):
    answer = post(client, None, raw=raw)
    assert answer.status_code == 400 and answer.json()["field"] == field
    assert Receipt.objects.count() == 0


def test_whatsapp_webhook_statuses_and_messages(client):
    broadcast = sent_broadcast(2, channel="whatsapp")
    payload = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "changes": [
                    {
                        "value": {
                            "statuses": [{"id": "gw-whatsapp-1", "status": "read"}],
                            "messages": [
                                {"from": number(0)[1:], "type": "text", "text": {"body": "stop"}}
                            ],
                        }
                    }
                ]
            }
        ],
    }
    answer = post(client, payload, channel="whatsapp")
    assert answer.status_code == 200
    assert answer.json()["applied"] == 1 and answer.json()["opted_out"] == 1
    broadcast.refresh_from_db()
    assert broadcast.delivered == 1
    assert OptOut.objects.filter(
        channel="whatsapp", address_hash=crypto.fingerprint("whatsapp", number(0))
    ).exists()
    assert number(0) not in answer.content.decode()


# -- STOP ----------------------------------------------------------------------------------


def test_stop_opts_the_number_out_of_every_list_and_skips_its_queued_deliveries(client):
    first, second = make_list(3), make_list(3)  # the same numbers on two lists
    queued = sending.start(SYSTEM, make_broadcast(first), enqueue=False)
    answer = post(client, {"from": "0812 0000 0001", "text": " Berhenti "}, kind="inbound")
    assert answer.status_code == 200 and answer.json() == {"ok": True, "replies": 1, "opted_out": 1}
    assert (
        OptOut.objects.filter(
            channel="sms", address_hash=crypto.fingerprint("sms", number(1))
        ).count()
        == 1
    )
    queued.refresh_from_db()
    assert queued.skipped == 1
    skipped = Delivery.objects.get(broadcast=queued, state=D.SKIPPED)
    assert skipped.recipient.address_hash == crypto.fingerprint("sms", number(1))
    # A later broadcast to the other list skips the number too.
    later = sending.start(SYSTEM, make_broadcast(second), enqueue=False)
    assert later.skipped == 1
    assert number(1) not in answer.content.decode()


def test_other_replies_and_non_numbers_do_not_opt_out(client):
    replies = {
        "messages": [
            {"from": number(5), "text": "Terima kasih"},
            {"from": number(6), "text": "jangan stop"},
            {"from": "bukan-nomor", "text": "STOP"},
        ]
    }
    answer = post(client, replies, kind="inbound")
    assert answer.status_code == 200 and answer.json()["opted_out"] == 0
    assert OptOut.objects.count() == 0
    bad = post(client, {"messages": [{"text": "STOP"}]}, kind="inbound")
    assert bad.status_code == 400 and bad.json()["field"] == "messages[0].from"


def test_stop_words():
    assert (
        receipts.is_stop("STOP") and receipts.is_stop("stop.") and receipts.is_stop("berhenti ya")
    )
    assert not receipts.is_stop("") and not receipts.is_stop("tolong stop")


# -- end to end: the fake gateway posts receipts back ----------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_gateways_receipts_reach_saring_over_http(live_server, settings):
    settings.SARING_BROADCAST_CALLBACK_TOKEN = TOKEN
    callback = live_server.url + url()
    with FakeGateway(callback_url=callback, callback_token=TOKEN, receipt_delay=0.2) as fake:
        settings.SARING_SMS_URL = fake.url
        settings.SARING_SMS_BATCH_URL = ""
        broadcast = sending.start(SYSTEM, make_broadcast(make_list(5)), enqueue=False)
        sending.run(broadcast.pk)
        for thread in fake.receipt_threads:
            thread.join(timeout=10)
    broadcast.refresh_from_db()
    assert broadcast.state == "done" and broadcast.sent == 5
    assert Receipt.objects.filter(delivery__isnull=False).count() == 5
    assert broadcast.delivered == 5
    assert set(Delivery.objects.values_list("state", flat=True)) == {"delivered"}


def test_a_receipt_that_raced_ahead_of_the_sender_is_applied_when_it_records(settings):
    Receipt.objects.create(channel="sms", gateway_id="gw1", status="delivered")
    with FakeGateway() as fake:
        settings.SARING_SMS_URL = fake.url
        settings.SARING_SMS_BATCH_URL = ""
        broadcast = sending.start(SYSTEM, make_broadcast(make_list(2)), enqueue=False)
        sending.run(broadcast.pk)
    broadcast.refresh_from_db()
    assert broadcast.delivered == 1
    assert Receipt.objects.get().delivery.gateway_id == "gw1"
