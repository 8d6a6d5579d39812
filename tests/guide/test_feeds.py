"""/feeds/announcements.atom, /feeds/clarifications.atom and /feeds/stages.ics."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from saring.accounts.scope import SYSTEM
from saring.elections.models import Election, Stage
from saring.elections.services import update_stage
from saring.factcheck.models import Claim, Clarification
from saring.guide import feeds
from tests.guide.test_api import publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
GARUT = "32.05"


def _entries(body: bytes) -> list[ET.Element]:
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def _link(entry: ET.Element) -> str:
    """The entry's alternate link (Atom: a link without `rel` is the alternate)."""
    links = [e for e in entry.findall(f"{ATOM}link") if e.get("rel", "alternate") == "alternate"]
    assert len(links) == 1
    return links[0].get("href")


@override_settings(SARING_PUBLIC_URL="https://saring.example.go.id/")
def test_the_announcements_feed_links_each_one_to_its_public_page(client):
    publish(slug="masa-tenang", region=GARUT)
    publish(slug="jabar", region="32", age=30)
    publish(slug="bandung", region="32.73", age=20)
    publish(slug="ditarik", status="withdrawn")
    response = client.get("/feeds/announcements.atom")  # no login
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    entries = _entries(response.content)
    links = [_link(e) for e in entries]
    assert links[0] == "https://saring.example.go.id/panduan/pengumuman/bandung/"  # newest first
    assert "https://saring.example.go.id/panduan/pengumuman/masa-tenang/" in links
    assert not any("ditarik" in link for link in links)
    first = entries[-1]
    assert first.find(f"{ATOM}id").text == _link(first)
    assert first.find(f"{ATOM}content").get("type") == "html"
    terms = {c.get("term") for c in first.findall(f"{ATOM}category")}
    assert terms == {"quiet_period", f"region:{GARUT}"}
    garut = _entries(client.get("/feeds/announcements.atom", {"region": GARUT}).content)
    assert {_link(e).rsplit("/", 2)[1] for e in garut} == {"masa-tenang", "jabar"}


def test_a_feed_depends_on_the_data_not_the_clock(client):
    publish()
    first = client.get("/feeds/announcements.atom")
    assert client.get("/feeds/announcements.atom").content == first.content
    updated = ET.fromstring(first.content).find(f"{ATOM}updated").text
    entry_updated = _entries(first.content)[0].find(f"{ATOM}updated").text
    assert updated == entry_updated


def test_the_clarifications_feed_has_the_published_ones_with_their_verdict(client):
    def make(headline, status):
        return Clarification.objects.create(
            claim=Claim.objects.create(text=f"klaim {headline}"), headline=headline,
            verdict="HOAKS", verdict_label="Hoaks", status=status, url="https://kpu.go.id/k",
            published_at=timezone.now() if status == "published" else None,
        )  # fmt: skip

    shown = make("Surat suara tidak dicoblos", "published")
    make("Draf rahasia", "draft")
    body = client.get("/feeds/clarifications.atom").content
    entries = _entries(body)
    assert len(entries) == 1 and b"Draf rahasia" not in body
    assert entries[0].find(f"{ATOM}title").text == "[Hoaks] Surat suara tidak dicoblos"
    assert _link(entries[0]).endswith(f"/panduan/cek-fakta/{shown.pk}/")
    assert "https://kpu.go.id/k" in entries[0].find(f"{ATOM}content").text


def _events(body: bytes) -> dict[str, object]:
    return {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}


def test_the_stages_calendar_has_one_all_day_event_per_stage_with_stable_uids(client):
    response = client.get("/feeds/stages.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert response.content.count(b"BEGIN:VEVENT") == Stage.objects.count()
    events = _events(client.get("/feeds/stages.ics", {"region": GARUT}).content)
    quiet = events["pemilu.2024-02-14.quiet@saring"]
    assert quiet["DTSTART"].dt == date(2024, 2, 11)
    assert quiet["DTEND"].dt == date(2024, 2, 14)  # exclusive: the 11th to the 13th
    assert "Pemilu 2024" in str(quiet["SUMMARY"])
    # Moving a stage keeps its UID and changes its dates.
    stage = Stage.objects.get(election_id="pilkada.3205.2024-11-27", kind="quiet")
    update_stage(SYSTEM, stage, date(2024, 11, 23), date(2024, 11, 26), reason="test")
    moved = _events(client.get("/feeds/stages.ics", {"region": GARUT}).content)
    assert moved.keys() == events.keys()
    assert moved["pilkada.3205.2024-11-27.quiet@saring"]["DTSTART"].dt == date(2024, 11, 23)


def test_a_region_narrows_the_calendar_to_national_and_that_regions_elections(client):
    events = _events(client.get("/feeds/stages.ics", {"region": GARUT}).content)
    elections = {uid.rsplit(".", 1)[0] for uid in (u.removesuffix("@saring") for u in events)}
    expected = set(Election.objects.filter(province__isnull=True).values_list("pk", flat=True)) | {
        "pilkada.32.2024-11-27",
        "pilkada.3205.2024-11-27",
    }
    assert elections == expected
    province = _events(client.get("/feeds/stages.ics", {"region": "32"}).content)
    assert not any(".3205." in uid for uid in province)
    assert any(uid.startswith("pilkada.32.2024-11-27.") for uid in province)


def test_a_bad_or_unknown_region_is_refused(client):
    assert client.get("/feeds/stages.ics", {"region": "Garut"}).status_code == 400
    assert client.get("/feeds/stages.ics", {"region": "99.99"}).status_code == 404
    assert client.get("/feeds/announcements.atom", {"region": "3"}).status_code == 400
    assert client.post("/feeds/stages.ics").status_code == 405


def test_the_calendar_is_rendered_again_only_when_it_changed(monkeypatch):
    calls = []
    real = feeds.render_stages_ics

    def counting(region=None):
        calls.append(region)
        return real(region)

    monkeypatch.setattr(feeds, "render_stages_ics", counting)
    feeds._ics_cache.clear()
    first = feeds.stages_ics(GARUT)
    assert feeds.stages_ics(GARUT) == first and calls == [GARUT]
    Election.objects.filter(pk="pilkada.3205.2024-11-27").update(
        updated_at=timezone.now() + timedelta(seconds=1)
    )
    feeds.stages_ics(GARUT)
    assert calls == [GARUT, GARUT]
