"""The public API of the guide and its neighbours: /api/v1/announcements|pages|faqs, the public
elections and clarifications, the change feed (`since`, `next`, `removed`), caching and
deprecation headers, the verdict rule and publication hook of factcheck, the snapshots and the
developers' page."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import timezone, translation

from saring.accounts.scope import SYSTEM, scope_for
from saring.api import caching
from saring.api.services import issue_token
from saring.elections.models import Stage
from saring.elections.services import update_stage
from saring.factcheck import services as factcheck
from saring.factcheck.models import Claim, Clarification
from saring.guide import publicdata
from saring.guide.models import Entry, Revision
from saring.kernel import hooks
from tests.factories import member

pytestmark = pytest.mark.django_db
GARUT, BANDUNG = "32.05", "32.73"


def publish(
    kind="announcement",
    slug="masa-tenang",
    *,
    region=None,
    status="published",
    valid_from=None,
    valid_until=None,
    age=60,
    notice="quiet_period",
    topic="how_to_vote",
):
    """An entry as the guide's approval leaves it, last changed `age` seconds ago (settled)."""
    now = timezone.now()
    announcement = kind == "announcement"
    entry = Entry.objects.create(
        kind=kind,
        slug=slug,
        status=status,
        notice=notice if announcement else "",
        topic="" if announcement else topic,
        province_id=region[:2] if region else None,
        regency_id=region if region and "." in region else None,
        published_at=now - timedelta(seconds=age),
    )
    entry.live = Revision.objects.create(
        entry=entry, number=1, title_id=f"Judul {slug}", title_en=f"Title {slug}",
        body_id="<p>Isi</p>", valid_from=valid_from, valid_until=valid_until, state="approved",
    )  # fmt: skip
    entry.save()
    age_row(entry, age)
    return Entry.objects.select_related("live").get(pk=entry.pk)


def age_row(row, seconds: float) -> None:
    """Move a row's last change into the past (past the cursors' settle window)."""
    type(row).objects.filter(pk=row.pk).update(
        updated_at=timezone.now() - timedelta(seconds=seconds)
    )


def clarification(headline="Surat suara tidak dicoblos", status="published", **extra):
    c = Clarification.objects.create(
        claim=Claim.objects.create(text=f"klaim {headline}"), headline=headline, verdict="HOAKS",
        status=status, published_at=timezone.now() if status == "published" else None, **extra,
    )  # fmt: skip
    age_row(c, 60)
    return c


def token_headers(user) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(SYSTEM, user).secret}"}


# --- the guide's lists ---------------------------------------------------------------------


def test_announcements_are_public_typed_notifications_in_force_only(client):
    shown = publish(slug="masa-tenang", region=GARUT)
    publish(slug="ditarik", status="withdrawn")
    publish(slug="kedaluwarsa", valid_until=timezone.now() - timedelta(days=1),
            valid_from=timezone.now() - timedelta(days=3))  # fmt: skip
    publish(slug="belum", valid_from=timezone.now() + timedelta(days=1))
    publish("page", "cara-memilih")
    response = client.get("/api/v1/announcements")  # no token, no session
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["removed"] == [] and body["next"]
    item = body["results"][0]
    assert item["id"] == shown.pk and item["notice"] == "quiet_period"
    assert item["title"] == {"id": "Judul masa-tenang", "en": "Title masa-tenang"}
    assert item["region"]["regency"]["code"] == GARUT and item["region"]["province"]["code"] == "32"
    assert item["url"].endswith("/panduan/pengumuman/masa-tenang/") and "topic" not in item
    one = client.get("/api/v1/announcements/masa-tenang")
    assert one.status_code == 200 and one.json()["id"] == shown.pk
    assert client.get("/api/v1/announcements/ditarik").status_code == 404
    assert client.get("/api/v1/announcements/no%20slug").status_code == 404


def test_pages_and_faqs_carry_their_topic_and_filter_on_it(client):
    page = publish("page", "dokumen", topic="documents")
    faq = publish("faq", "jam-tps", topic="polling_hours")
    pages = client.get("/api/v1/pages").json()
    assert [p["id"] for p in pages["results"]] == [page.pk]
    assert pages["results"][0]["topic"] == "documents" and "notice" not in pages["results"][0]
    assert client.get("/api/v1/pages", {"topic": "disability"}).json()["count"] == 0
    faqs = client.get("/api/v1/faqs", {"topic": "polling_hours"}).json()
    assert [f["id"] for f in faqs["results"]] == [faq.pk]
    assert faqs["results"][0]["url"].endswith("/panduan/tanya-jawab/#jam-tps")
    assert client.get("/api/v1/faqs/jam-tps").json()["slug"] == "jam-tps"


def test_a_region_gets_national_its_province_and_its_own_entries(client):
    national = publish(slug="nasional")
    province = publish(slug="jabar", region="32")
    garut = publish(slug="garut", region=GARUT)
    publish(slug="bandung", region=BANDUNG)
    ids = {
        a["id"] for a in client.get("/api/v1/announcements", {"region": GARUT}).json()["results"]
    }
    assert ids == {national.pk, province.pk, garut.pk}
    assert client.get("/api/v1/announcements", {"region": "Garut"}).status_code == 422


def test_the_change_feed_gives_changes_in_order_and_names_what_was_removed(client):
    first = publish(slug="satu", age=300)
    second = publish(slug="dua", age=200)
    start = client.get("/api/v1/announcements").json()
    assert {a["id"] for a in start["results"]} == {first.pk, second.pk}
    cursor = start["next"]
    nothing = client.get("/api/v1/announcements", {"since": cursor}).json()
    assert nothing == {"count": 0, "results": [], "next": cursor, "removed": []}
    # Later: the first is withdrawn, a third is published.
    Entry.objects.filter(pk=first.pk).update(status="withdrawn")
    age_row(first, 30)
    third = publish(slug="tiga", age=20)
    changes = client.get("/api/v1/announcements", {"since": cursor}).json()
    assert [a["id"] for a in changes["results"]] == [third.pk]
    assert changes["removed"] == [first.pk] and changes["count"] == 2
    # Paged by page_size: one change at a time, each `next` after the last one given.
    one = client.get("/api/v1/announcements", {"since": cursor, "page_size": 1}).json()
    assert one["removed"] == [first.pk] and one["results"] == [] and one["count"] == 2
    two = client.get("/api/v1/announcements", {"since": one["next"], "page_size": 1}).json()
    assert [a["id"] for a in two["results"]] == [third.pk] and two["count"] == 1
    assert client.get("/api/v1/announcements", {"since": two["next"]}).json()["count"] == 0


def test_a_validity_window_that_closes_or_opens_moves_the_entry_in_the_feed(client):
    now = timezone.now()
    soon_over = publish(slug="selesai", valid_until=now + timedelta(seconds=600), age=120)
    not_yet = publish(slug="nanti", valid_from=now + timedelta(seconds=600), age=110)
    cursor = client.get("/api/v1/announcements").json()["next"]
    # Ten minutes on: one window closed, the other opened, and neither entry was saved.
    Revision.objects.filter(entry=soon_over).update(valid_until=now - timedelta(seconds=30))
    Revision.objects.filter(entry=not_yet).update(valid_from=now - timedelta(seconds=30))
    assert publicdata.stamp_window_edges() == 2
    assert publicdata.stamp_window_edges() == 0  # stamped once
    for entry in (soon_over, not_yet):
        age_row(entry, 5)  # a poll a few seconds later
    changes = client.get("/api/v1/announcements", {"since": cursor}).json()
    assert changes["removed"] == [soon_over.pk]
    assert [a["id"] for a in changes["results"]] == [not_yet.pk]


def test_a_bad_cursor_is_a_400_that_names_since(client):
    for bad in ("nonsense", "MXwyMDI0fA", "x" * 150):
        for route in ("announcements", "pages", "faqs", "clarifications", "elections"):
            response = client.get(f"/api/v1/{route}", {"since": bad})
            assert response.status_code == 400, (route, bad)
            assert set(response.json()) == {"detail"} and "since" in response.json()["detail"]


# --- elections and clarifications, now public ---------------------------------------------


def test_elections_are_public_with_a_typed_timetable(client):
    body = client.get("/api/v1/elections/pilkada.3205.2024-11-27").json()
    assert body["id"] == "pilkada.3205.2024-11-27" and body["stages"]
    timetable = body["timetable"]
    assert [s["kind"] for s in timetable] == [s["kind"] for s in body["stages"]]
    voting = next(s for s in timetable if s["kind"] == "voting")
    assert voting["starts_on"] == "2024-11-27" and voting["time_zone"] == "WIB"
    papua = client.get("/api/v1/elections", {"region": "91", "page_size": 1}).json()
    assert papua["results"][0]["timetable"][0]["time_zone"] == "WIT"


def test_a_stage_edit_moves_its_election_in_the_change_feed(client):
    from saring.elections.models import Election

    Election.objects.update(updated_at=timezone.now() - timedelta(seconds=60))
    cursor = client.get("/api/v1/elections").json()["next"]
    assert client.get("/api/v1/elections", {"since": cursor}).json()["count"] == 0
    stage = Stage.objects.get(election_id="pilkada.3205.2024-11-27", kind="quiet")
    update_stage(SYSTEM, stage, date(2024, 11, 23), date(2024, 11, 26), reason="test")
    Election.objects.filter(pk="pilkada.3205.2024-11-27").update(
        updated_at=timezone.now() - timedelta(seconds=5)
    )  # past the settle window, as a poll a few seconds later sees it
    changes = client.get("/api/v1/elections", {"since": cursor}).json()
    assert [e["id"] for e in changes["results"]] == ["pilkada.3205.2024-11-27"]
    quiet = next(s for s in changes["results"][0]["timetable"] if s["kind"] == "quiet")
    assert quiet["starts_on"] == "2024-11-23" and changes["removed"] == []


def test_a_public_caller_reads_published_clarifications_and_sees_unpublished_ones_removed(
    client,
):
    published = clarification()
    analyst = member("analyst", "32", BANDUNG)
    org = analyst.membership.organisation
    draft = clarification("Draf", status="draft", organisation=org, province_id="32",
                          regency_id=BANDUNG)  # fmt: skip
    public = client.get("/api/v1/clarifications").json()
    assert [c["id"] for c in public["results"]] == [published.pk]
    assert client.get(f"/api/v1/clarifications/{draft.pk}").status_code == 404
    mine = client.get("/api/v1/clarifications", **token_headers(analyst)).json()
    assert {c["id"] for c in mine["results"]} == {published.pk, draft.pk}
    cursor = public["next"]
    Clarification.objects.filter(pk=published.pk).update(status="draft")  # taken back
    age_row(published, 5)
    Clarification.objects.filter(pk=draft.pk).update(headline="Draf 2")
    age_row(draft, 4)
    changes = client.get("/api/v1/clarifications", {"since": cursor}).json()
    assert changes["removed"] == [published.pk] and changes["results"] == []  # no draft leaks


def test_publishing_a_clarification_without_a_verdict_is_refused_and_says_why():
    admin = member("admin")
    scope = scope_for(admin)
    english = translation.override("en")
    with english, pytest.raises(factcheck.NotPublishable, match="verdict") as refused:
        factcheck.save_clarification(
            scope, claim_text="Pemilu diundur", headline="Pemilu tidak diundur", verdict="",
            publish=True,
        )  # fmt: skip
    assert refused.value.field == "verdict"
    assert not Clarification.objects.filter(headline="Pemilu tidak diundur").exists()
    draft = factcheck.save_clarification(
        scope, claim_text="Pemilu diundur", headline="Draf tanpa putusan", verdict=""
    )
    assert draft.status == "draft"  # a draft may wait for its verdict


def test_publishing_or_changing_a_published_clarification_calls_the_published_hook(
    monkeypatch, django_capture_on_commit_callbacks
):
    from types import SimpleNamespace

    from saring.factcheck import tasks

    calls: list[tuple[str, list]] = []
    monkeypatch.setattr(hooks, "PUBLISHED", [lambda kind, ids: calls.append((kind, ids))])
    no_matcher = SimpleNamespace(enqueue=lambda *args: None)
    monkeypatch.setattr(tasks, "match_clarification_task", no_matcher)
    scope = scope_for(member("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        draft = factcheck.save_clarification(
            scope, claim_text="Klaim", headline="Judul", verdict="HOAKS"
        )
    assert calls == []  # a draft is not public
    with django_capture_on_commit_callbacks(execute=True):
        factcheck.save_clarification(
            scope, clarification=draft, claim_text="Klaim", headline="Judul", verdict="HOAKS",
            publish=True,
        )  # fmt: skip
    assert calls == [("clarification", [draft.pk])]
    with django_capture_on_commit_callbacks(execute=True):
        factcheck.save_clarification(
            scope, clarification=draft, claim_text="Klaim", headline="Judul baru",
            verdict="SALAH",
        )  # fmt: skip
    assert calls[-1] == ("clarification", [draft.pk]) and len(calls) == 2


# --- caching and deprecation ----------------------------------------------------------------


def test_answers_carry_a_strong_etag_and_an_unchanged_one_is_a_304(client):
    publish()
    first = client.get("/api/v1/announcements")
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first["Cache-Control"] == "public, max-age=60"
    assert {"Authorization", "Cookie", "Accept-Language"} <= {
        v.strip() for v in first["Vary"].split(",")
    }
    again = client.get("/api/v1/announcements", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=60"
    assert client.get("/api/v1/announcements", HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304
    other = client.get("/api/v1/announcements", HTTP_IF_NONE_MATCH='"stale"')
    assert other.status_code == 200
    publish(slug="baru")
    assert client.get("/api/v1/announcements", HTTP_IF_NONE_MATCH=etag).status_code == 200
    feed = client.get("/feeds/announcements.atom")
    assert (
        client.get("/feeds/announcements.atom", HTTP_IF_NONE_MATCH=feed["ETag"]).status_code == 304
    )


def test_head_is_a_get_without_its_body(client):
    publish()
    get = client.get("/api/v1/announcements")
    head = client.head("/api/v1/announcements")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"] and head["Content-Length"] == str(len(get.content))
    assert (
        client.head("/feeds/announcements.atom")["ETag"]
        == (client.get("/feeds/announcements.atom")["ETag"])
    )


def test_a_token_caller_gets_private_no_store_and_errors_are_never_cached(client):
    headers = token_headers(member())
    response = client.get("/api/v1/announcements", **headers)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert client.get("/api/v1/announcements", {"since": "bad"})["Cache-Control"] == "no-store"
    assert "ETag" not in client.get("/api/v1/announcements/nothing")


def test_a_deprecated_prefix_announces_itself_in_headers(client):
    policy = {
        "/api/v1/faqs": {
            "date": "2027-01-01",
            "sunset": "2027-07-31",
            "link": "https://saring.example/docs/platforms#faqs",
        }
    }
    with override_settings(SARING_API_DEPRECATIONS=policy):
        response = client.get("/api/v1/faqs")
        assert response["Deprecation"] == "@1798761600"  # 2027-01-01T00:00:00Z
        assert response["Sunset"] == "Sat, 31 Jul 2027 00:00:00 GMT"
        assert response["Link"].startswith("<https://saring.example/docs/platforms#faqs>")
        assert 'rel="deprecation"' in response["Link"]
        cached = client.get("/api/v1/faqs", HTTP_IF_NONE_MATCH=response["ETag"])
        assert cached.status_code == 304 and cached["Sunset"] == response["Sunset"]
        assert "Deprecation" not in client.get("/api/v1/pages")


def test_a_deprecation_with_less_than_six_months_notice_is_a_configuration_error():
    short = {"/api/v1/faqs": {"date": "2027-01-01", "sunset": "2027-03-01", "link": "https://x"}}
    with pytest.raises(ImproperlyConfigured, match="six months"):
        caching.deprecations(short)
    with pytest.raises(ImproperlyConfigured, match="link"):
        caching.deprecations({"/api/v1/x": {"date": "2027-01-01", "sunset": "2028-01-01"}})
    with pytest.raises(ImproperlyConfigured, match="ISO"):
        caching.deprecations({"/api/v1/x": {"date": "soon", "sunset": "2028-01-01", "link": "y"}})


# --- snapshots and the developers' page ------------------------------------------------------


def test_the_snapshots_are_the_api_answers_and_the_feeds(client):
    publish()
    publish("page", "cara-memilih")
    clarification()
    files = publicdata.snapshot_files()
    assert set(files) == {
        *(f"api/v1/{name}.json" for name in publicdata.SNAPSHOT_LISTS),
        "feeds/announcements.atom", "feeds/clarifications.atom", "feeds/stages.ics",
    }  # fmt: skip
    for name in publicdata.SNAPSHOT_LISTS:
        assert files[f"api/v1/{name}.json"] == client.get(f"/api/v1/{name}").content, name
    assert json.loads(files["api/v1/announcements.json"])["count"] == 1
    assert files["feeds/stages.ics"] == client.get("/feeds/stages.ics").content
    assert b"<feed" in files["feeds/clarifications.atom"]


def test_the_developers_page_shows_real_answers_without_login(client):
    shown = publish()
    response = client.get("/developers/")
    assert response.status_code == 200
    page = response.content.decode()
    for key in ("elections", "announcements", "pages", "faqs", "clarifications"):
        assert f'data-example="{key}"' in page
    assert f"&quot;id&quot;: {shown.pk}," in page  # the announcement's real id, escaped
    assert "pemilu.2024-02-14" in page
    assert 'href="/api/v1/docs"' in page and 'href="/api/v1/openapi.json"' in page
    assert 'href="/feeds/stages.ics?region=32.05"' in page and 'lang="id"' in page
    assert "style=" not in page and "<script>" not in page


@override_settings(SARING_PUBLIC_CACHE_SECONDS=30)
def test_public_answers_are_kept_briefly_and_a_publication_clears_them(client):
    from saring.guide.services import events

    caching.invalidate()
    publish(slug="pertama")
    first = client.get("/api/v1/announcements").json()
    publish(slug="kedua")  # written straight to the database: no publication event
    kept = client.get("/api/v1/announcements").json()
    assert kept == first  # the kept answer, not a new render
    staff = member("viewer")
    fresh = client.get("/api/v1/announcements", **token_headers(staff)).json()
    assert fresh["count"] == first["count"] + 1  # callers with credentials are never served it
    events.published("announcement", [])
    assert client.get("/api/v1/announcements").json()["count"] == first["count"] + 1
