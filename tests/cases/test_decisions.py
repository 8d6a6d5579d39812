"""The platform's decision: through the service, the API with a liaison's token, or a webhook
signed with the channel's secret. First answer: case answered with the outcome, audited, the
reporter told once; a replay: the stored decision, no second effect. Refused: another
platform's liaison (403), an unknown escalation (404 naming it), a wrong or stale signature
(401, recorded, nothing stored), bad fields (422 naming them)."""

from __future__ import annotations

import json
import time

import pytest

from saring.accounts.scope import ScopeError
from saring.api.services import issue_token
from saring.audit.models import AuditEvent
from saring.cases.models import Case, Decision, Escalation
from saring.cases.services import decisions as service
from saring.cases.services.decisions import DecisionError, record_decision
from saring.cases.services.escalation import escalate
from saring.kernel.webhooks import hmac_signature
from tests.cases.conftest import scope
from tests.cases.test_escalation import email_channel, fake_packet, ready_case
from tests.factories import member

pytestmark = pytest.mark.django_db
__all__ = ["fake_packet"]

REMOVED = {
    "platform_reference": "TT-2024-0001",
    "visibility": "removed",
    "account": "suspended",
    "ground": "illegal",
    "ground_reference": "UU 7/2017 Pasal 280",
    "explanation": "Konten melanggar hukum pemilu.",
    "automated_detection": False,
    "automated_decision": "not",
    "decided_at": "2024-02-12T10:00:00+07:00",
}


@pytest.fixture
def notified(monkeypatch):
    from saring.cases.services import notify

    calls = []
    monkeypatch.setattr(notify, "case_changed", lambda case, event: calls.append((case.pk, event)))
    return calls


@pytest.fixture
def sent(bawaslu_bandung, tiktok_channel, fake_packet):
    made = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    Escalation.objects.filter(pk=made.pk).update(state="sent")
    made.refresh_from_db()
    return made


def events(action, escalation):
    return AuditEvent.objects.filter(action=action, subject_id=str(escalation.pk))


# ------------------------------------------------------------------------------- service


def test_the_first_decision_answers_the_case_once(
    sent, tiktok_liaison, notified, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision, created = record_decision(sent, REMOVED, via="page", scope=scope(tiktok_liaison))
    assert created and decision.visibility == "removed" and decision.by == tiktok_liaison
    assert decision.account == "suspended" and decision.ground_reference == "UU 7/2017 Pasal 280"
    sent.refresh_from_db()
    case = Case.objects.get(pk=sent.case_id)
    assert sent.state == "answered" and sent.answered_at
    assert case.state == "answered" and case.outcome == "removed" and case.answered_at
    assert case.platform_due is None  # nothing open any more
    assert events("decision.received", sent).count() == 1
    moved = AuditEvent.objects.get(action="case.answered", subject_id=str(case.pk))
    assert moved.actor == tiktok_liaison.get_username() and moved.from_state == "escalated"
    assert notified == [(case.pk, "answered")]
    # the replay: the stored decision, no second event, no second message
    with django_capture_on_commit_callbacks(execute=True):
        again, created = record_decision(sent, REMOVED, via="page", scope=scope(tiktok_liaison))
    assert not created and again.pk == decision.pk
    assert events("decision.received", sent).count() == 1 and len(notified) == 1
    assert Decision.objects.count() == 1


def test_a_liaison_of_another_platform_may_not_answer(sent, notified):
    meta_liaison = member("analyst", kind="platform")
    email_channel(organisation=meta_liaison.membership.organisation)
    with pytest.raises(ScopeError):
        record_decision(sent, REMOVED, via="page", scope=scope(meta_liaison))
    viewer = member("viewer", kind="platform")
    with pytest.raises(ScopeError):
        record_decision(sent, REMOVED, via="page", scope=scope(viewer))
    assert not Decision.objects.exists() and not notified


def test_without_a_user_only_a_webhook_is_accepted(sent):
    with pytest.raises(ScopeError):
        record_decision(sent, REMOVED, via="api", scope=None)
    decision, created = record_decision(sent, REMOVED, via="webhook", scope=None)
    assert created and decision.by is None
    event = events("decision.received", sent).get()
    assert event.actor == "webhook:TikTok"


def test_invalid_fields_are_named(sent, tiktok_liaison):
    bad = {**REMOVED, "visibility": "vanished", "ground": "", "decided_at": "kemarin"}
    bad.pop("platform_reference")
    with pytest.raises(DecisionError) as caught:
        record_decision(sent, bad, via="page", scope=scope(tiktok_liaison))
    assert set(caught.value.problems) == {
        "platform_reference",
        "visibility",
        "ground",
        "decided_at",
    }
    assert not Decision.objects.exists()
    restricted_without_ground = {**REMOVED, "ground": "none"}
    with pytest.raises(DecisionError) as caught:
        record_decision(sent, restricted_without_ground, via="page", scope=scope(tiktok_liaison))
    assert set(caught.value.problems) == {"ground"}


def test_no_action_is_an_outcome_too(sent, tiktok_liaison):
    data = {**REMOVED, "visibility": "no_action", "ground": "none", "account": "none"}
    record_decision(sent, data, via="page", scope=scope(tiktok_liaison))
    assert Case.objects.get(pk=sent.case_id).outcome == "no_action"


def test_signature_check_names_the_reason(tiktok_channel):
    body = b'{"a": 1}'
    now = int(time.time())
    good = hmac_signature(tiktok_channel.secret, str(now), body)
    service.check_signature(tiktok_channel, str(now), good, body)
    for stamp, signature, reason in [
        (str(now), "sha256=" + "0" * 64, "wrong"),
        (str(now - 301), hmac_signature(tiktok_channel.secret, str(now - 301), body), "stale"),
        ("soon", good, "unix"),
        (None, good, "missing"),
    ]:
        with pytest.raises(service.SignatureError, match=reason):
            service.check_signature(tiktok_channel, stamp, signature, body)


# ----------------------------------------------------------------------------------- API


def url(escalation_id) -> str:
    return f"/api/v1/escalations/{escalation_id}/decision"


def bearer(user) -> dict:
    from saring.accounts.scope import SYSTEM

    return {"Authorization": f"Bearer {issue_token(SYSTEM, user).secret}"}


def signed(secret: str, body: bytes, *, age: int = 0) -> dict:
    stamp = str(int(time.time()) - age)
    return {"X-Saring-Timestamp": stamp, "X-Saring-Signature": hmac_signature(secret, stamp, body)}


def test_api_with_a_liaison_token_201_then_200_on_replay(client, sent, tiktok_liaison):
    headers = bearer(tiktok_liaison)
    first = client.post(url(sent.pk), REMOVED, content_type="application/json", headers=headers)
    assert first.status_code == 201, first.content
    assert first.json()["visibility"] == "removed" and first.json()["via"] == "api"
    again = client.post(url(sent.pk), REMOVED, content_type="application/json", headers=headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert events("decision.received", sent).count() == 1


def test_api_refuses_another_platforms_liaison_with_403(client, sent):
    meta_liaison = member("analyst", kind="platform")
    response = client.post(
        url(sent.pk), REMOVED, content_type="application/json", headers=bearer(meta_liaison)
    )
    assert response.status_code == 403 and "detail" in response.json()
    assert not Decision.objects.exists()


def test_api_names_an_unknown_escalation(client, tiktok_liaison, tiktok_channel):
    response = client.post(
        url(999), REMOVED, content_type="application/json", headers=bearer(tiktok_liaison)
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "No escalation 999."} or "999" in response.json()["detail"]
    body = json.dumps(REMOVED).encode()
    signed_unknown = client.post(
        url(999), body, content_type="application/json", headers=signed("x", body)
    )
    assert signed_unknown.status_code == 404 and "999" in signed_unknown.json()["detail"]


def test_api_answers_422_naming_the_fields(client, sent, tiktok_liaison):
    bad = {**REMOVED, "visibility": "gone", "decided_at": "kemarin"}
    response = client.post(
        url(sent.pk), bad, content_type="application/json", headers=bearer(tiktok_liaison)
    )
    assert response.status_code == 422
    assert {tuple(p["loc"]) for p in response.json()["detail"]} == {
        ("body", "visibility"),
        ("body", "decided_at"),
    }
    not_json = client.post(
        url(sent.pk), b"{nope", content_type="application/json", headers=bearer(tiktok_liaison)
    )
    assert not_json.status_code == 422


def test_a_signed_webhook_decision_is_accepted_and_replays_are_harmless(
    client, sent, tiktok_channel
):
    body = json.dumps(REMOVED).encode()
    headers = signed(tiktok_channel.secret, body)
    first = client.post(url(sent.pk), body, content_type="application/json", headers=headers)
    assert first.status_code == 201 and first.json()["via"] == "webhook"
    again = client.post(url(sent.pk), body, content_type="application/json", headers=headers)
    assert again.status_code == 200
    assert Decision.objects.count() == 1 and events("decision.received", sent).count() == 1
    assert Case.objects.get(pk=sent.case_id).state == "answered"


@pytest.mark.parametrize(
    ("make_headers", "reason"),
    [
        (lambda secret, body: signed("the-wrong-secret", body), "wrong signature"),
        (lambda secret, body: signed(secret, body, age=6 * 60), "stale"),
        (lambda secret, body: {"X-Saring-Signature": "sha256=00"}, "missing"),
    ],
)
def test_wrong_or_stale_signatures_are_401_and_recorded(
    client, sent, tiktok_channel, make_headers, reason
):
    body = json.dumps(REMOVED).encode()
    response = client.post(
        url(sent.pk),
        body,
        content_type="application/json",
        headers=make_headers(tiktok_channel.secret, body),
    )
    assert response.status_code == 401
    assert not Decision.objects.exists()
    event = events("decision.rejected", sent).get()
    assert reason in event.reason
    assert Case.objects.get(pk=sent.case_id).state == "escalated"


def test_a_body_changed_after_signing_is_refused(client, sent, tiktok_channel):
    body = json.dumps(REMOVED).encode()
    headers = signed(tiktok_channel.secret, body)
    tampered = json.dumps({**REMOVED, "visibility": "no_action", "ground": "none"}).encode()
    response = client.post(url(sent.pk), tampered, content_type="application/json", headers=headers)
    assert response.status_code == 401 and not Decision.objects.exists()


def test_no_credentials_is_401(client, sent):
    response = client.post(url(sent.pk), REMOVED, content_type="application/json")
    assert response.status_code == 401
    assert not events("decision.rejected", sent).exists()  # nothing signed: nothing to record


def test_the_inbox_lists_only_what_was_sent_to_the_caller(
    client, sent, tiktok_liaison, bawaslu_bandung, bawaslu_bogor, fake_packet
):
    meta = email_channel()
    other = escalate(scope(bawaslu_bandung), ready_case(), meta)
    listing = client.get("/api/v1/escalations", headers=bearer(tiktok_liaison)).json()
    assert [e["reference"] for e in listing["results"]] == [sent.reference]
    row = listing["results"][0]
    assert row["content"][0]["platform"] == "tiktok" and row["packet_sha256"]
    assert "pelapor" not in json.dumps(listing).lower()
    one = client.get(f"/api/v1/escalations/{other.pk}", headers=bearer(tiktok_liaison))
    assert one.status_code == 404 and str(other.pk) in one.json()["detail"]
    handler = client.get("/api/v1/escalations", headers=bearer(bawaslu_bandung)).json()
    assert handler["count"] == 2
    sibling = client.get("/api/v1/escalations", headers=bearer(bawaslu_bogor)).json()
    assert sibling["count"] == 0
    Escalation.objects.filter(pk=other.pk).update(due_at="2000-01-01T00:00:00Z")
    overdue = client.get("/api/v1/escalations?overdue=true", headers=bearer(bawaslu_bandung))
    assert [e["reference"] for e in overdue.json()["results"]] == [other.reference]
    assert overdue.json()["results"][0]["overdue"] is True
    answered = client.get("/api/v1/escalations?state=answered", headers=bearer(bawaslu_bandung))
    assert answered.json()["count"] == 0
