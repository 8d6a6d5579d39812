"""GET /api/v1/cases and /api/v1/cases/{id}: scoped, shaped, no personal data."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from saring.accounts.scope import SYSTEM
from saring.api.services import issue_token
from saring.cases.models import Escalation, LegalBasis
from tests.cases.conftest import BOGOR, make_case

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(SYSTEM, user).secret}"}


def test_one_case_with_its_items_deadlines_and_escalations(client, bawaslu_bandung, tiktok_channel):
    case = make_case(
        reporter_email="tersembunyi@example.org",
        state="escalated",
        platform_due=datetime(2024, 1, 2, tzinfo=UTC),
    )
    case.bases.add(LegalBasis.objects.first())
    Escalation.objects.create(
        case=case, channel=tiktok_channel, reference="ESK-API-1", state="sent"
    )
    response = client.get(f"/api/v1/cases/{case.pk}", **auth(bawaslu_bandung))
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference and body["state"] == "escalated"
    assert body["reports_count"] == 1
    assert body["items"][0]["platform"] == "tiktok"
    assert body["bases"] == [
        {"code": LegalBasis.objects.first().code, "citation": LegalBasis.objects.first().citation}
    ]
    assert body["deadlines"]["overdue"] is True
    assert body["escalations"] == [
        {"reference": "ESK-API-1", "channel": "TikTok", "state": "sent", "due_at": None}
    ]
    assert body["region"]["regency"]["code"] == case.regency_id
    text = response.content.decode()
    assert "tersembunyi@example.org" not in text and "Siti Pelapor" not in text


def test_another_regions_case_is_a_404(client, bawaslu_bandung, tiktok_liaison):
    other = make_case(regency=BOGOR)
    assert client.get(f"/api/v1/cases/{other.pk}", **auth(bawaslu_bandung)).status_code == 404
    mine = make_case()
    assert client.get(f"/api/v1/cases/{mine.pk}", **auth(tiktok_liaison)).status_code == 404
    assert client.get(f"/api/v1/cases/{mine.pk}").status_code == 401


def test_the_list_is_scoped_filtered_and_paged(client, bawaslu_jabar):
    cases = [make_case(), make_case(regency=BOGOR), make_case(province="31", regency=None)]
    closed = make_case(state="closed")
    headers = auth(bawaslu_jabar)
    body = client.get("/api/v1/cases", **headers).json()
    assert body["count"] == 2
    assert {row["id"] for row in body["results"]} == {cases[0].pk, cases[1].pk}
    assert "reporter" not in str(body)
    body = client.get("/api/v1/cases", {"state": "all", "regency": BOGOR}, **headers).json()
    assert [row["id"] for row in body["results"]] == [cases[1].pk]
    body = client.get("/api/v1/cases", {"state": "closed"}, **headers).json()
    assert [row["id"] for row in body["results"]] == [closed.pk]
    body = client.get("/api/v1/cases", {"page_size": 1, "page": 2}, **headers).json()
    assert body["count"] == 2 and len(body["results"]) == 1
    assert client.get("/api/v1/cases", {"state": "nonsense"}, **headers).status_code == 422


def test_an_answered_case_is_not_overdue_whatever_its_old_deadlines(client, bawaslu_bandung):
    """One rule for the API, the list filter and the overdue page (querysets.running_due)."""
    past = datetime(2024, 1, 2, tzinfo=UTC)
    case = make_case(state="answered", follow_up_due=past, platform_due=past)
    body = client.get(f"/api/v1/cases/{case.pk}", **auth(bawaslu_bandung)).json()
    assert body["deadlines"]["overdue"] is False
    listed = client.get("/api/v1/cases?state=all&overdue=true", **auth(bawaslu_bandung)).json()
    assert listed["count"] == 0
