"""The calendar pages, the admin edit form, the Django admin and /api/v1/elections."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM
from saring.api.services import issue_token
from saring.audit.models import AuditEvent
from saring.elections.models import Stage
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

LAMPUNG_CITY = "pilkada.1871.2024-11-27"


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_list_filters_by_kind_and_region_and_pages() -> None:
    client = _client(member(Membership.Role.VIEWER))
    page = client.get("/elections/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "pemilu.2024-02-14" in body and "pilkada.2024-11-27" in body
    assert page.context["page"].paginator.count == 547
    lampung = client.get("/elections/", {"kind": "pilkada", "region": "18"})
    ids = [e.pk for e, _zone in lampung.context["items"]]
    assert ids[0] == "pilkada.18.2024-11-27" and LAMPUNG_CITY in ids
    assert all(i.startswith("pilkada.18") for i in ids)
    papua = client.get("/elections/", {"region": "91", "regency": "91.71"})
    assert [(e.pk, zone) for e, zone in papua.context["items"]] == [
        ("pilkada.9171.2024-11-27", "WIT")
    ]
    national = client.get("/elections/", {"region": "national"})
    assert [e.pk for e, _z in national.context["items"]] == [
        "pemilu.2024-02-14",
        "pilkada.2024-11-27",
    ]
    assert client.get("/elections/", {"page": 2}).context["page"].number == 2


def test_an_admin_in_scope_moves_a_stage_on_the_page() -> None:
    admin = member(Membership.Role.ADMIN, province="18", regency="18.71")
    client = _client(admin)
    page = client.get(f"/elections/{LAMPUNG_CITY}/")
    assert page.status_code == 200 and page.context["editable"]
    quiet = Stage.objects.get(election_id=LAMPUNG_CITY, kind="quiet")
    answer = client.post(
        f"/elections/{LAMPUNG_CITY}/",
        {"stage": quiet.pk, "starts_on": "2024-11-23", "ends_on": "2024-11-26", "reason": "x"},
    )
    assert answer.status_code == 302
    quiet.refresh_from_db()
    assert quiet.starts_on == date(2024, 11, 23)
    assert AuditEvent.objects.filter(action="election.stage_changed", actor=admin.username).exists()
    # Dates out of order: the form says so and nothing changes.
    bad = client.post(
        f"/elections/{LAMPUNG_CITY}/",
        {"stage": quiet.pk, "starts_on": "2024-11-26", "ends_on": "2024-11-20"},
    )
    assert bad.status_code == 200
    quiet.refresh_from_db()
    assert quiet.ends_on == date(2024, 11, 26)


def test_others_read_the_page_but_cannot_post() -> None:
    quiet = Stage.objects.get(election_id="pemilu.2024-02-14", kind="quiet")
    data = {"stage": quiet.pk, "starts_on": "2024-02-10", "ends_on": "2024-02-13"}
    for user in (
        member(Membership.Role.ADMIN, province="18", regency="18.71"),  # regency admin: Pemilu
        member(Membership.Role.ANALYST),  # national analyst
    ):
        client = _client(user)
        page = client.get("/elections/pemilu.2024-02-14/")
        assert page.status_code == 200 and not page.context["editable"]
        assert client.post("/elections/pemilu.2024-02-14/", data).status_code == 403
    metro = Stage.objects.get(election_id="pilkada.1872.2024-11-27", kind="quiet")
    regency_admin = _client(member(Membership.Role.ADMIN, province="18", regency="18.71"))
    answer = regency_admin.post(
        "/elections/pilkada.1872.2024-11-27/",
        {"stage": metro.pk, "starts_on": "2024-11-20", "ends_on": "2024-11-26"},
    )
    assert answer.status_code == 403
    quiet.refresh_from_db()
    metro.refresh_from_db()
    assert quiet.starts_on == date(2024, 2, 11) and metro.starts_on == date(2024, 11, 24)
    assert _client(member()).get("/elections/nope/").status_code == 404


def test_the_django_admin_saves_through_the_service() -> None:
    superuser = get_user_model().objects.create_superuser("root", "r@example.org", PASSWORD)
    client = _client(superuser)
    assert client.get("/admin/elections/election/?q=Bandar+Lampung").status_code == 200
    url = f"/admin/elections/election/{LAMPUNG_CITY}/change/"
    assert client.get(url).status_code == 200
    stages = list(Stage.objects.filter(election_id=LAMPUNG_CITY).order_by("starts_on", "kind"))
    data = {
        "name": "Pilwalkot 2024 Bandar Lampung",
        "legal_basis": "PKPU 2/2024",
        "stages-TOTAL_FORMS": str(len(stages)),
        "stages-INITIAL_FORMS": str(len(stages)),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "0",
    }
    for i, stage in enumerate(stages):
        data[f"stages-{i}-id"] = str(stage.pk)
        data[f"stages-{i}-election"] = LAMPUNG_CITY
        data[f"stages-{i}-starts_on"] = stage.starts_on.isoformat()
        data[f"stages-{i}-ends_on"] = stage.ends_on.isoformat()
        if stage.kind == "quiet":
            data[f"stages-{i}-starts_on"] = "2024-11-22"
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert Stage.objects.get(election_id=LAMPUNG_CITY, kind="quiet").starts_on == date(2024, 11, 22)
    assert AuditEvent.objects.filter(action="election.stage_changed", actor="root").count() == 1
    assert AuditEvent.objects.filter(action="election.changed", actor="root").count() == 1


def _bearer(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(SYSTEM, user).secret}"}


def test_the_api_lists_and_shows_elections() -> None:
    client, headers = Client(), _bearer(member())
    listing = client.get("/api/v1/elections", {"page_size": 200}, **headers).json()
    assert listing["count"] == 547
    first = listing["results"][0]
    assert first["id"] == "pemilu.2024-02-14" and first["region"] is None
    assert [s["kind"] for s in first["stages"]] == [
        "campaign",
        "quiet",
        "voting",
        "counting",
        "recapitulation",
    ]
    on = client.get("/api/v1/elections", {"on": "2024-02-12"}, **headers).json()
    assert [e["id"] for e in on["results"]] == ["pemilu.2024-02-14"]
    lampung = client.get(
        "/api/v1/elections", {"region": "18.71", "kind": "pilkada"}, **headers
    ).json()
    assert [e["id"] for e in lampung["results"]] == [LAMPUNG_CITY]
    one = client.get(f"/api/v1/elections/{LAMPUNG_CITY}", **headers)
    assert one.status_code == 200
    body = one.json()
    assert body["parent"] == "pilkada.2024-11-27" and body["time_zone"] == "WIB"
    assert body["region"]["regency"]["code"] == "18.71"
    quiet = next(s for s in body["stages"] if s["kind"] == "quiet")
    assert (quiet["starts_on"], quiet["ends_on"]) == ("2024-11-24", "2024-11-26")
    assert client.get("/api/v1/elections/nope", **headers).status_code == 404
    assert client.get("/api/v1/elections").status_code == 200  # public (INFORM)


def test_malformed_ids_and_regions_are_not_errors() -> None:
    client = _client(member())
    assert client.get("/elections/pilkada%00x/").status_code == 404
    page = client.get("/elections/", {"region": "3\x002", "regency": "x"})
    assert page.status_code == 200 and page.context["filters"]["region"] == ""
    headers = _bearer(member())
    assert client.get("/api/v1/elections/a%00b", **headers).status_code == 404
    assert client.get("/api/v1/elections", {"region": "nowhere"}, **headers).status_code == 422
