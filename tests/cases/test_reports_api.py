"""POST /api/v1/reports (partners, bearer token) and GET /api/v1/reports/{code} (public)."""

from __future__ import annotations

import json

import pytest

from saring.accounts.scope import SYSTEM
from saring.api.services import issue_token
from saring.cases.models import Case, Report
from tests.factories import member

URL = "/api/v1/reports"
VIDEO = "7301234567890123456"
BODY = {
    "urls": [f"https://www.tiktok.com/@akun/video/{VIDEO}?lang=id"],
    "category": "hoax",
    "description": "Video ini mengaku TPS di Bandung ditutup.",
    "seen_at": "2024-02-12T09:30:00+07:00",
    "region_code": "32.73",
    "reporter": {
        "name": "Budi Tipline",
        "email": "budi.tipline@example.org",
        "phone": "081298765432",
    },
    "good_faith": True,
}


@pytest.fixture
def partner():
    return member("analyst")  # a fact-checker's tipline: any organisation


@pytest.fixture
def auth(partner):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(SYSTEM, partner).secret}"}


def post(client, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_partner_report_answers_201_with_the_tracking_code(client, auth, partner):
    response = post(client, BODY, **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"tracking_code", "case_id", "attached_to_existing"}
    assert body["attached_to_existing"] is False
    report = Report.objects.get(tracking_code=body["tracking_code"])
    assert report.case_id == body["case_id"]
    assert report.channel == "partner" and report.case.origin == Case.Origin.PARTNER
    assert report.organisation_id == partner.membership.organisation_id
    assert report.reporter_phone == "+6281298765432"
    # Another form of the same video attaches.
    again = post(
        client, {**BODY, "urls": [f"https://m.tiktok.com/@lain/video/{VIDEO}"]}, **auth
    ).json()
    assert again["attached_to_existing"] is True and again["case_id"] == body["case_id"]


@pytest.mark.django_db
def test_an_idempotent_replay_answers_200_with_the_same_body(client, auth):
    first = post(client, BODY, HTTP_IDEMPOTENCY_KEY="tipline-123", **auth)
    second = post(client, BODY, HTTP_IDEMPOTENCY_KEY="tipline-123", **auth)
    in_body = post(client, {**BODY, "idempotency_key": "tipline-123"}, **auth)
    assert (first.status_code, second.status_code, in_body.status_code) == (201, 200, 200)
    assert first.json() == second.json() == in_body.json()
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_invalid_fields_are_named_in_a_422(client, auth):
    body = {
        **BODY,
        "urls": ["https://example.org/ok", "ftp://example.org/x"],
        "category": "nope",
        "reporter": {"email": "not-an-address"},
        "good_faith": False,
    }
    response = post(client, body, **auth)
    assert response.status_code == 422
    detail = response.json()["detail"]
    by_field = {item["field"]: item for item in detail}
    assert set(by_field) == {"urls[1]", "category", "reporter.email", "good_faith"}
    assert by_field["urls[1]"]["code"] == "scheme"
    assert by_field["urls[1]"]["loc"] == ["body", "urls", 1]
    assert by_field["reporter.email"]["loc"] == ["body", "reporter", "email"]
    assert all(item["message"] and item["msg"] == item["message"] for item in detail)
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_no_token_is_a_401_and_a_session_is_not_enough(client, partner):
    assert post(client, BODY).status_code == 401
    client.force_login(partner)
    assert post(client, BODY).status_code == 401
    assert post(client, BODY, HTTP_AUTHORIZATION="Bearer srg_wrong").status_code == 401
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_partner_over_its_limit_gets_429_with_retry_after(client, auth, settings):
    settings.SARING_REPORTS_PER_PARTNER_HOUR = 1
    assert post(client, BODY, **auth).status_code == 201
    response = post(client, {**BODY, "urls": ["https://example.org/lain"]}, **auth)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0 and "detail" in response.json()


@pytest.mark.django_db
def test_the_public_status_has_nothing_personal(client, auth):
    code = post(client, BODY, **auth).json()["tracking_code"]
    response = client.get(f"{URL}/{code.lower()}")  # no token, any case
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"tracking_code", "state", "state_label", "outcome", "updated_at"}
    assert (body["tracking_code"], body["state"], body["outcome"]) == (code, "received", "")
    text = response.content.decode()
    for personal in ("Budi Tipline", "budi.tipline@example.org", "6281298765432", "81298765432"):
        assert personal not in text
    missing = client.get(f"{URL}/LP-NOTHERE")
    assert missing.status_code == 404 and "detail" in missing.json()


@pytest.mark.django_db
def test_both_routes_are_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    post_op = schema["paths"]["/api/v1/reports"]["post"]
    get_op = schema["paths"]["/api/v1/reports/{tracking_code}"]["get"]
    assert post_op["summary"] and get_op["summary"]
    assert {"201", "200", "422", "429"} <= set(post_op["responses"])
    assert post_op["requestBody"]["content"]["application/json"]["example"]["good_faith"] is True
    assert not get_op.get("security")
