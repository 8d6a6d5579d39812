"""Browser journeys for MONITOR, in headless Debian Chromium against a live server.

The officer's path of issue #2: log in, upload a Zeeschuimer capture with two bad lines, see the
counts and the quarantine, open the dashboard, search, open a flagged post and see why it was
flagged, export XLSX and open the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

SAMPLES = Path(__file__).resolve().parents[1] / "sources" / "samples"
pytestmark = pytest.mark.django_db(transaction=True)

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.offsetParent !== null)
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)"""


@pytest.fixture
def analyst(tmp_path, reference_data):
    user = member("analyst", "32", username="analis.journey")
    ingest_file(
        write_jsonl(
            tmp_path / "seed.jsonl",
            [
                post_line("s1", "Ada bagi-bagi amplop serangan fajar di Kota Bandung malam ini"),
                post_line("s2", "Jadwal kampanye terbuka di Bandung, ayo datang", hours=2),
                post_line("s3", "Info TPS pindah, cek link ini ya", hours=3),
            ],
        ),
        "generic-jsonl",
    )
    return user


def test_officer_uploads_a_capture_reviews_quarantine_searches_and_exports(
    page, live_server, login, analyst, tmp_path
):
    login(page, analyst.username, PASSWORD)
    assert page.locator("h1").first.inner_text().startswith("Dasbor")  # Indonesian by default

    # Upload a Zeeschuimer capture with two bad lines (5: truncated JSON, 8: year 3000).
    page.get_by_role("link", name="Impor").click()
    page.set_input_files("#id_file", str(SAMPLES / "zeeschuimer_mixed.ndjson"))
    page.select_option("#id_format", "zeeschuimer")
    page.get_by_role("button", name="Unggah dan impor").click()
    page.wait_for_selector("#run-status:has-text('Selesai')")
    assert page.locator("[data-count=quarantined]").inner_text() == "2"
    assert int(page.locator("[data-count=created]").inner_text()) >= 4

    # The quarantine names the line and the reason, and keeps the raw record.
    page.get_by_role("link", name=re.compile("Lihat 2 catatan")).click()
    items = page.locator(".post-list > li")
    assert items.count() == 2
    listing = page.locator(".post-list").inner_text()
    assert "baris 5" in listing and "baris 8" in listing
    assert "created_at" in listing and "masa depan" in listing  # the reason, in Indonesian

    # Dashboard opens on the officer's province and shows the flagged seed post.
    page.get_by_role("link", name="Dasbor").click()
    assert "Jawa Barat" in page.locator("h1").inner_text()
    assert page.locator("#volume-chart").is_visible()
    assert "Politik uang" in page.locator("#cat-h + ul").inner_text()
    assert not page.js_errors

    # Search, open the flagged post, see why it was flagged.
    page.get_by_role("link", name="Cari").click()
    page.fill("#id_q", "serangan fajar")
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_role("link", name=re.compile("amplop serangan fajar")).click()
    why = page.locator("#flags-h + div").inner_text()
    assert "Politik uang" in why and "serangan fajar" in why
    assert "Kota Bandung" in page.locator("dl.signals").inner_text()

    # Export the search result as XLSX and open the file.
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ekspor XLSX").click()
    target = tmp_path / "export.xlsx"
    download.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    assert sheet.cell(1, 1).value == "Platform"
    assert sheet.max_row == 2
    assert "serangan fajar" in sheet.cell(2, 7).value


def test_pages_fit_a_phone_and_every_field_has_a_label(phone_page, live_server, login, analyst):
    login(phone_page, analyst.username, PASSWORD)
    for path in ("/", "/posts/", "/imports/", "/quarantine/", "/watchlists/"):
        phone_page.goto(f"{live_server.url}{path}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px phone"
        assert phone_page.evaluate(UNLABELLED_FIELDS) == [], path


def test_the_interface_switches_to_english(page, live_server, login, analyst):
    login(page, analyst.username, PASSWORD)
    with page.expect_navigation():  # the switch submits itself on change
        page.select_option("#lang-switch", "en")
    assert page.locator("h1").first.inner_text().startswith("Dashboard")
    assert page.locator("html").get_attribute("lang") == "en"


def test_an_admin_edits_a_watchlist_and_posts_are_rescored(
    page, live_server, login, tmp_path, reference_data
):
    admin = member("admin", "32", username="admin.journey")
    ingest_file(
        write_jsonl(
            tmp_path / "p.jsonl",
            [
                post_line(
                    "w1", "Warga resah ada penimbunan sembako di Kota Bandung jelang pencoblosan"
                ),
            ],
        ),
        "generic-jsonl",
    )
    login(page, admin.username, PASSWORD)
    page.get_by_role("link", name="Daftar pantau").click()
    page.get_by_role("link", name="Daftar pantau baru").click()
    page.fill("#id_name", "Penimbunan sembako Jabar")
    page.select_option("#id_category", label="Politik uang")
    page.fill("#id_terms", "timbun\nsembako murah")
    page.fill("#id_notes", "Catatan internal KPU Jabar")
    page.get_by_role("button", name="Simpan").click()
    assert "dinilai ulang" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Cari").click()
    page.select_option("#id_category", "money_politics")
    page.get_by_role("button", name="Terapkan").click()
    page.get_by_role("link", name=re.compile("penimbunan sembako")).click()
    why = page.locator("#flags-h + div").inner_text()
    assert "Penimbunan sembako Jabar" in why and "penimbunan" in why and "timbun" in why
