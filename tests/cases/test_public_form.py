"""The public report form (/lapor/), its receipt and the tracking page, through Django's test
client: no login, no JavaScript needed, errors named by field, one report per form token."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from saring.cases.models import Attachment, Report, ReportNote
from saring.cases.services import intake
from tests.cases.conftest import BANDUNG

VIDEO_URL = "https://www.tiktok.com/@someone/video/7301234567890123456?is_from_webapp=1"
FORM = "/lapor/"


def png(name: str = "layar.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def token_of(client) -> str:
    page = client.get(FORM).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def fields(client, **overrides) -> dict:
    values = {
        "form_token": token_of(client),
        "urls": VIDEO_URL,
        "category": "hoax",
        "description": "Video ini mengaku TPS ditutup. <script>alert('x')</script>",
        "seen_date": "2024-02-12",
        "seen_time": "09:30",
        "seen_where": "TikTok",
        "region": BANDUNG,
        "reporter_name": "Siti Pelapor",
        "reporter_email": "siti.pelapor@example.org",
        "reporter_phone": "0812 3456 7890",
        "notify": "email",
        "good_faith": "1",
        "consent": "1",
        "website": "",
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_the_form_needs_no_login_and_no_javascript(client):
    response = client.get(reverse("web:report_form"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # Back never reuses a spent form token
    page = response.content.decode()
    assert len(response.content) < 60_000  # one light page: regencies grouped, no script
    assert 'enctype="multipart/form-data"' in page and 'name="robots" content="noindex' in page
    assert "<script>" not in page and " hx-" not in page and "onclick" not in page
    # Every visible field has a label.
    ids = re.findall(r'<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\sid="([^"]+)"', page)
    assert len(ids) > 15
    for field_id in ids:
        assert f'for="{field_id}"' in page, field_id
    assert '<optgroup label="Jawa Barat"' in page.replace("JAWA BARAT", "Jawa Barat")
    assert f'<option value="{BANDUNG}"' in page
    assert re.search(r'name="screenshots" multiple accept="image/jpeg,image/png,image/webp"', page)
    assert re.search(r'id="f-website" name="website" tabindex="-1" autocomplete="off"', page)
    assert 'class="hp"' in page and 'name="category" value="hoax"' in page
    assert 'name="good_faith"' in page and 'name="consent"' in page


@pytest.mark.django_db
def test_a_full_report_with_screenshots_gets_a_receipt(client):
    svg = SimpleUploadedFile("peta.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    pdf = SimpleUploadedFile("bukti.jpg", b"%PDF-1.4\n" + b"0" * 200, content_type="image/jpeg")
    response = client.post(FORM, {**fields(client), "screenshots": [png(), svg, pdf]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == reverse("web:report_receipt", args=[report.tracking_code])
    assert report.channel == "public" and report.regency_id == BANDUNG
    assert report.reporter_phone == "+6281234567890"
    assert report.address_hash == intake.fingerprint("address", "127.0.0.1")
    assert Attachment.objects.filter(report=report).count() == 1  # the PNG only
    receipt = client.get(response["Location"])
    page = receipt.content.decode()
    assert f'data-tracking-code="{report.tracking_code}"' in page
    assert "peta" in page and "bukti" in page  # each refused file named on the receipt
    assert reverse("web:report_status", args=[report.tracking_code]) in page


@pytest.mark.django_db
def test_a_double_clicked_submit_makes_one_report(client):
    values = fields(client)
    first = client.post(FORM, values)
    second = client.post(FORM, values)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_errors_are_next_to_fields_and_summed_up_and_nothing_typed_is_lost(client):
    values = fields(
        client,
        urls="javascript:alert(1)",
        category="",
        reporter_email="",
        reporter_phone="",
        good_faith="",
        description="Deskripsi yang saya ketik",
    )
    response = client.post(FORM, values)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and 'id="error-summary"' in page
    for name in ("urls", "category", "reporter_email", "good_faith"):
        assert f'data-error-for="{name}"' in page, name
        assert f'href="#f-{name}"' in page
    assert "Deskripsi yang saya ketik" in page and "javascript:alert(1)" in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_more_than_five_screenshots_is_an_error_on_the_field(client):
    response = client.post(
        FORM, {**fields(client), "screenshots": [png(f"{n}.png") for n in range(6)]}
    )
    assert response.status_code == 400
    assert 'data-error-for="screenshots"' in response.content.decode()
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_filled_honeypot_stores_nothing(client):
    response = client.post(FORM, fields(client, website="http://spam.example"))
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "data-tracking-code" not in response.content.decode()


@pytest.mark.django_db
def test_a_bad_or_old_token_shows_the_form_again_with_the_typed_data(client):
    response = client.post(
        FORM, fields(client, form_token="forged:token", description="Saya ketik ini")
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-notice="token"' in page
    assert "Saya ketik ini" in page and 'value="forged:token"' not in page
    assert Report.objects.count() == 0


@pytest.mark.django_db
def test_a_flood_from_one_address_gets_429_with_retry_after(client, settings):
    settings.SARING_REPORTS_PER_ADDRESS_10_MIN = 1
    client.post(FORM, fields(client))
    response = client.post(
        FORM, fields(client, urls="https://example.org/lain", reporter_email="lain@example.org")
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert 'data-status="429"' in response.content.decode()
    assert Report.objects.count() == 1


@pytest.mark.django_db
def test_a_request_over_the_total_limit_is_refused_before_it_is_read(client, settings):
    settings.SARING_REPORT_FORM_MAX_MB = 1
    big = SimpleUploadedFile("besar.png", b"0" * (1024 * 1024 + 10), content_type="image/png")
    response = client.post(FORM, {**fields(client), "screenshots": [big]})
    assert response.status_code == 413
    assert Report.objects.count() == 0


# --- the tracking page ------------------------------------------------------------------------


@pytest.fixture
def stored(client):
    client.post(FORM, fields(client))
    return Report.objects.get()


@pytest.mark.django_db
def test_the_tracking_page_shows_the_state_escaped_and_nothing_personal(client, stored):
    url = reverse("web:report_status", args=[stored.tracking_code])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-state="received"' in page and 'content="noindex' in page
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    for personal in ("Siti Pelapor", "siti.pelapor@example.org", "6281234567890", "3456 7890"):
        assert personal not in page
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


@pytest.mark.django_db
def test_codes_are_forgiving_and_unknown_ones_are_404(client, stored):
    sloppy = stored.tracking_code.lower().replace("-", " ")
    response = client.get(reverse("web:report_lookup"), {"kode": sloppy})
    assert response["Location"] == reverse("web:report_status", args=[stored.tracking_code])
    lower = client.get(reverse("web:report_status", args=[stored.tracking_code.lower()]))
    assert lower.status_code == 302
    assert client.get(reverse("web:report_status", args=["LP-NOTHERE"])).status_code == 404
    assert client.get(reverse("web:report_lookup"), {"kode": "LP-NOTHERE"}).status_code == 404


@pytest.mark.django_db
def test_the_reporter_adds_information_on_the_tracking_page(client, stored):
    url = reverse("web:report_status", args=[stored.tracking_code])
    response = client.post(url, {"text": "Ada salinan lain <b>di sini</b>"})
    assert response.status_code == 302
    note = ReportNote.objects.get()
    assert note.report_id == stored.pk and note.by_reporter
    page = client.get(url).content.decode()
    assert "&lt;b&gt;di sini&lt;/b&gt;" in page
    too_long = client.post(url, {"text": "x" * 2001})
    assert too_long.status_code == 400 and 'data-error-for="text"' in too_long.content.decode()


@pytest.mark.django_db
def test_an_oversized_screenshot_is_refused_and_the_report_kept(client, settings):
    settings.SARING_SCREENSHOT_MAX_MB = 1
    big = SimpleUploadedFile("besar.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    response = client.post(FORM, {**fields(client), "screenshots": [big, png()]})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.attachments.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "besar" in page and 'role="alert"' in page


@pytest.mark.django_db
def test_the_time_seen_is_read_in_the_regions_zone(client):
    # Bali (51) is WITA, UTC+8: 09:30 there is 01:30 UTC.
    client.post(FORM, fields(client, region="51", seen_date="2024-02-12", seen_time="09:30"))
    seen = Report.objects.get().seen_at
    assert (seen.year, seen.month, seen.day, seen.hour, seen.minute) == (2024, 2, 12, 1, 30)
    assert seen.utcoffset().total_seconds() == 0


@pytest.mark.django_db
def test_the_language_switch_works_without_login(client):
    response = client.post(reverse("web:report_language"), {"language": "en", "next": FORM})
    assert response.status_code == 302 and response["Location"] == FORM
    assert '<html lang="en">' in client.get(FORM).content.decode()
