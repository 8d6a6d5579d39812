"""The demo's public guide (saring.guide.demo): the content file's coverage and accuracy checks,
its placeholders, and loading through the services with the two-person rule, idempotently."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from saring.audit.models import AuditEvent
from saring.guide import demo
from saring.guide.models import Entry, Revision
from saring.guide.querysets import for_region, public_entries

PASSWORD = "demo-test-password"
RECORDS = demo.load_records()


def _by_slug(kind: str, slug: str) -> dict:
    return next(r for r in RECORDS if r["kind"] == kind and r["slug"] == slug)


def _all_text(record: dict) -> str:
    return " ".join(record[n] for n in ("title_id", "title_en", "body_id", "body_en"))


# --- the content file ---------------------------------------------------------------------------


def test_the_content_covers_the_topics_in_both_languages():
    kinds = Counter(r["kind"] for r in RECORDS)
    assert 40 <= len(RECORDS) <= 60
    assert kinds["faq"] >= 25 and kinds["page"] >= 10 and kinds["announcement"] >= 4
    assert len({(r["kind"], r["slug"]) for r in RECORDS}) == len(RECORDS)  # slugs once per kind
    for record in RECORDS:
        for name in ("title_id", "title_en", "body_id", "body_en"):
            assert record[name].strip(), (record["slug"], name)
        if record["kind"] == "announcement":
            assert record["notice"] in Entry.Notice.values, record["slug"]
        else:
            assert record["topic"] in Entry.Topic.values, record["slug"]
    page_topics = {r["topic"] for r in RECORDS if r["kind"] == "page"}
    assert {"how_to_vote", "documents", "polling_hours", "voter_list", "disability", "moving",
            "campaign", "reporting"} <= page_topics  # fmt: skip
    notices = {r["notice"] for r in RECORDS if r["kind"] == "announcement"}
    assert {"quiet_period", "revote", "moved_day", "service"} <= notices


def test_the_facts_are_the_rules_voters_need():
    hours = _by_slug("page", "jam-tps")
    assert "07.00" in hours["body_id"] and "13.00" in hours["body_id"]
    assert "waktu setempat" in hours["title_id"]
    documents = _by_slug("page", "dokumen-yang-dibawa")["body_id"]
    assert "KTP-el" in documents and "Suket" in documents and "tidak wajib" in documents
    assert "https://cekdptonline.kpu.go.id/" in _by_slug("page", "cek-dpt")["body_id"]
    disability = _by_slug("page", "hak-pemilih-disabilitas")["body_id"]
    assert "C.Pendamping" in disability and "braille" in disability
    assert "formulir model A" in _by_slug("page", "pindah-memilih")["body_id"]
    assert "TPS lokasi khusus" in _by_slug("page", "pemilih-rumah-sakit-dan-lapas")["body_id"]
    # Every link to the report form is the placeholder the loader fills with RESPOND's URL.
    assert "{report_url}" in _by_slug("page", "melapor-pelanggaran")["body_id"]
    assert not any("/lapor/" in _all_text(r) for r in RECORDS)
    quiet = _by_slug("announcement", "masa-tenang-pilkada-2024")
    assert quiet["region"] == "" and quiet["election"] == "pilkada.2024-11-27"
    assert quiet["valid_from"].startswith("2024-11-24")
    assert quiet["valid_until"].startswith("2024-11-27")  # 24–26 Nov inclusive
    revote = _by_slug("announcement", "psu-tps-garut")
    assert revote["region"] == "32.05" and revote["notice"] == "revote"
    assert revote["election"] == "pilkada.3205.2024-11-27"


def test_resolve_fills_the_report_url_and_days_relative_to_today():
    record = _by_slug("announcement", "psu-tps-garut")
    today = date(2026, 12, 2)  # a Wednesday
    out = demo.resolve(record, today=today, report_url="https://saring.example/lapor/")
    assert "Sabtu, 5 Desember 2026" in out["body_id"]
    assert "Saturday 5 December 2026" in out["body_en"]
    assert "{day" not in out["body_id"] + out["body_en"]
    assert out["relative"] is True
    assert out["valid_from"] == datetime(2026, 12, 1, 0, 0, tzinfo=demo.WIB)
    assert out["valid_until"] == datetime(2026, 12, 6, 0, 0, tzinfo=demo.WIB)
    fixed = demo.resolve(
        _by_slug("page", "melapor-pelanggaran"), today=today, report_url="https://s.example/lapor/"
    )
    assert "https://s.example/lapor/" in fixed["body_id"] and fixed["relative"] is False
    assert fixed["valid_from"] is None and fixed["valid_until"] is None


def test_each_region_has_two_different_officers():
    for record in RECORDS:
        drafter, approver = demo.authors_for(record["region"])
        assert drafter != approver
    assert demo.authors_for("32.05") == ("kpu.garut", "kpu.jabar")
    with pytest.raises(ValueError):
        demo.authors_for("35.78")


# --- loading through the services ---------------------------------------------------------------


@pytest.fixture
def loaded(db, settings, django_capture_on_commit_callbacks):
    settings.SARING_PUBLIC_URL = "https://saring.example"
    # In a test the approvals' on-commit follow-ups wait for the test's transaction; they are
    # captured here and run under the demo's collector, as they would run while it loads.
    with django_capture_on_commit_callbacks() as callbacks:
        result = demo.build_demo_guide(io.StringIO(), password=PASSWORD, build=False)
    with (
        mock.patch("saring.guide.site.schedule.request_build") as request_build,
        demo.collected_publications(result.published),
    ):
        for callback in callbacks:
            callback()
    result.request_build = request_build
    return result


def test_everything_is_published_by_two_people(loaded):
    assert loaded.errors == []
    assert loaded.created == len(RECORDS)
    assert Entry.objects.filter(status=Entry.Status.PUBLISHED).count() == len(RECORDS)
    for revision in Revision.objects.select_related("author", "reviewer"):
        assert revision.state == Revision.State.APPROVED
        assert revision.author_id and revision.reviewer_id
        assert revision.author_id != revision.reviewer_id
    # The per-approval rebuild requests were held back and collected for one build.
    assert loaded.request_build.call_count == 0
    assert sum(len(ids) for ids in loaded.published.values()) == len(RECORDS)


def test_the_garut_revote_is_drafted_in_garut_and_approved_in_jawa_barat(loaded):
    entry = Entry.objects.get(kind="announcement", slug="psu-tps-garut")
    assert (entry.province_id, entry.regency_id) == ("32", "32.05")
    assert entry.organisation.name == "KPU Kabupaten Garut"
    revision = entry.live
    events = AuditEvent.objects.filter(subject_type="guide.revision", subject_id=str(revision.pk))
    actors = {e.action: e.actor for e in events}
    assert actors["guide.drafted"] == "kpu.garut"
    assert actors["guide.submitted"] == "kpu.garut"
    assert actors["guide.approved"] == "kpu.jabar"


def test_what_is_in_force_now_and_for_whom(loaded):
    now_national = {e.slug for e in for_region(public_entries("announcement"), None)}
    assert "masa-tenang-simulasi" in now_national and "layanan-informasi-pemilih" in now_national
    assert "masa-tenang-pilkada-2024" not in now_national  # its window closed in 2024
    assert "psu-tps-garut" not in now_national
    garut = {e.slug for e in for_region(public_entries("announcement"), "32.05")}
    assert {"psu-tps-garut", "masa-tenang-simulasi"} <= garut
    assert "pemungutan-suara-susulan-sukabumi" not in garut
    quiet_day = datetime(2024, 11, 25, 12, 0, tzinfo=UTC)
    then = {e.slug for e in public_entries("announcement", at=quiet_day)}
    assert "masa-tenang-pilkada-2024" in then
    links = Entry.objects.get(kind="page", slug="melapor-pelanggaran").live.body_id
    assert 'href="https://saring.example/lapor/"' in links


def test_a_second_run_adds_nothing_and_a_later_one_renews_the_live_notices(loaded):
    revisions = Revision.objects.count()
    again = demo.build_demo_guide(None, password=PASSWORD, build=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(RECORDS))
    assert Revision.objects.count() == revisions

    later = timezone.now() + timedelta(days=10)
    renewed = demo.build_demo_guide(None, password=PASSWORD, build=False, now=later)
    relative = [r for r in RECORDS if str(r["valid_until"] or "").startswith("@")]
    assert renewed.errors == [] and renewed.updated == len(relative)
    entry = Entry.objects.get(kind="announcement", slug="psu-tps-garut")
    assert entry.live.number == 2 and entry.live.valid_until > later
    assert entry.revisions.get(number=1).state == Revision.State.SUPERSEDED
    assert entry.live.author.username == "kpu.garut"
    assert entry.live.reviewer.username == "kpu.jabar"


def test_a_changed_record_becomes_a_new_version_and_a_bad_one_is_reported(loaded):
    changed = [dict(r) for r in RECORDS]
    faq = next(r for r in changed if r["slug"] == "jam-buka-tps")
    faq["body_id"] = "<p>Pukul 07.00 sampai 13.00 waktu setempat. <script>x()</script></p>"
    changed.append({**faq, "slug": "tanpa-wilayah", "region": "32.99"})
    result = demo.build_demo_guide(None, password=PASSWORD, records=changed, build=False)
    assert result.updated == 1 and result.unchanged == len(RECORDS) - 1
    assert len(result.errors) == 1 and "tanpa-wilayah" in result.errors[0]
    assert "[region]" in result.errors[0]
    live = Entry.objects.get(kind="faq", slug="jam-buka-tps").live
    assert live.number == 2 and "script" not in live.body_id


# --- the demo's broadcasts ----------------------------------------------------------------------


def test_the_demo_list_quarantines_bad_rows_and_drafts_one_broadcast(loaded):
    from saring.broadcasts import demo as broadcast_demo
    from saring.broadcasts.models import Broadcast, ImportRow, Recipient

    result = broadcast_demo.build_demo_broadcasts(io.StringIO())
    good = sum(count for _regency, count in broadcast_demo.SPREAD)
    assert result.imported == good == Recipient.objects.count()
    assert result.duplicates == 1 and result.opted_out_present == 1
    assert result.rejected == len(broadcast_demo.MALFORMED) == ImportRow.objects.count()
    regencies = Counter(Recipient.objects.values_list("regency_id", flat=True))
    assert regencies["32.05"] == 60 and regencies["32.73"] == 60 and len(regencies) == 5
    for recipient in Recipient.objects.all():
        assert recipient.masked.startswith("+62812") and "*" in recipient.masked
        assert b"+62812" not in bytes(recipient.address_encrypted)  # stored encrypted
    rows = list(ImportRow.objects.order_by("line"))
    assert [row.line for row in rows] == list(range(good + 3, good + 3 + len(rows)))
    assert all(row.reason for row in rows)
    broadcast = Broadcast.objects.get(pk=result.broadcast_id)
    assert broadcast.state == Broadcast.State.DRAFT and broadcast.channel == "sms"
    assert broadcast.target_regency_id == "32.05"
    assert broadcast.announcement.slug == "psu-tps-garut"
    assert broadcast.created_by.username == "analis.jabar"
    assert broadcast.deliveries.count() == 0  # nothing is sent by the demo

    again = broadcast_demo.build_demo_broadcasts(None)
    assert (again.imported, again.created) == (0, False)
    assert Recipient.objects.count() == good and Broadcast.objects.count() == 1
    assert ImportRow.objects.count() == len(broadcast_demo.MALFORMED)


def test_the_demo_sms_fits_the_segment_limit():
    from saring.broadcasts import demo as broadcast_demo
    from saring.text.sms import measure

    measured = measure(broadcast_demo.sms_text())
    assert measured.encoding == "gsm7" and measured.segments <= 2


def test_the_demo_builds_the_site_once_at_the_end(db, settings):
    with mock.patch("django.core.management.call_command") as call:
        result = demo.build_demo_guide(io.StringIO(), password=PASSWORD)
    assert result.errors == [] and result.built is True
    call.assert_called_once_with("guide", "build")


def test_the_demo_content_is_on_the_rendered_site(loaded, tmp_path):
    from saring.guide.site.render import render_site

    site = tmp_path / "site"
    render_site(site, provinces_only=["32"])  # Jawa Barat's region pages are enough here
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Simulasi: masa tenang sedang berlangsung" in home  # national, in force now
    assert "Sukamaju" not in home  # Garut's notice is on Garut's page, not the nation's
    garut = (site / "wilayah" / "32-05" / "index.html").read_text(encoding="utf-8")
    assert "Pemungutan suara ulang di TPS 012 Desa Sukamaju" in garut
    assert "Sukabumi" not in garut.split("<main", 1)[1].split("</main>", 1)[0]
    page = (site / "halaman" / "cek-dpt" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://cekdptonline.kpu.go.id/"' in page
    faq = (site / "tanya-jawab" / "index.html").read_text(encoding="utf-8")
    assert 'id="wajib-formulir-c-pemberitahuan"' in faq
