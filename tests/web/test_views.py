"""Pages through Django's test client: access, region defaults, search, exports, uploads."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saring.factcheck.models import Clarification
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tmp_path):
    lines = [
        post_line("1", "Surat suara sudah dicoblos di Kota Bandung, awas hoaks", hours=1),
        post_line("2", "Serangan fajar di Surabaya, amplop dibagi", hours=2),
        post_line("3", "Debat capres malam ini seru", hours=3, region_code="31"),
        post_line("4", '=HYPERLINK("http://contoh") bakar kotak suara di Bandung', hours=4),
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")


def _client(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_every_page_but_login_requires_a_login(client):
    for name in ("web:dashboard", "web:search", "web:imports", "web:quarantine", "web:watchlists"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(reverse("login")).status_code == 200


def test_a_user_without_an_organisation_is_told_what_to_do(client, django_user_model):
    django_user_model.objects.create_user("lonely", password=PASSWORD)
    client.login(username="lonely", password=PASSWORD)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 403


def test_the_dashboard_opens_on_the_users_province_and_can_widen(client, posts):
    c = _client(client, member("viewer", "32"))
    response = c.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert response.context["form"].region_codes() == ("32", None)
    assert response.context["totals"].posts == 2  # the two Bandung posts
    wide = c.get(reverse("web:dashboard"), {"region": "all"})
    assert wide.context["totals"].posts == 4
    assert wide.context["volume"]["datasets"]


def test_search_finds_words_filters_and_paginates(client, posts):
    c = _client(client, member("viewer"))
    response = c.get(reverse("web:search"), {"q": "amplop", "region": "all"})
    assert [p.platform_id for p in response.context["page"]] == ["2"]
    flagged = c.get(reverse("web:search"), {"region": "all", "category": "money_politics"})
    assert "2" in [p.platform_id for p in flagged.context["page"]]
    nothing = c.get(reverse("web:search"), {"q": '"; DROP TABLE', "region": "all"})
    assert nothing.status_code == 200


def test_the_post_page_shows_why_a_flag_fired(client, posts):
    c = _client(client, member("viewer"))
    post = Post.objects.get(platform_id="2")
    body = c.get(reverse("web:post", args=[post.pk])).content.decode()
    assert "serangan fajar" in body
    assert "Surabaya" in body


def test_csv_export_has_every_row_of_the_result_and_defuses_formulas(client, posts):
    c = _client(client, member("viewer"))
    response = c.get(reverse("web:export", args=["csv"]), {"region": "all"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4
    assert all(not r["text"].startswith("=") for r in rows)


def test_xlsx_export_opens_with_the_same_rows(client, posts):
    c = _client(client, member("viewer"))
    response = c.get(reverse("web:export", args=["xlsx"]), {"region": "all", "q": "bandung"})
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.max_row == 3  # header + 2
    assert sheet.cell(1, 1).value == "Platform"


def test_an_upload_is_imported_and_bad_lines_reach_the_quarantine(
    client, django_capture_on_commit_callbacks
):
    c = _client(client, member("analyst", "32"))
    content = "\n".join(
        [
            '{"platform": "x", "platform_id": "u1", "text": "ayo ke tps", '
            '"created_at": "2024-02-14T08:00:00+07:00"}',
            '{"platform": "x", "platform_id": "u2"',
        ]
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("web:imports"),
            {"file": SimpleUploadedFile("unggah.jsonl", content), "format": "generic-jsonl"},
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.created, run.quarantined, run.province_id) == ("done", 1, 1, "32")
    page = c.get(reverse("web:quarantine"), {"run": run.pk})
    assert page.context["page"].paginator.count == 1


def test_viewers_cannot_upload(client):
    c = _client(client, member("viewer"))
    c.post(
        reverse("web:imports"),
        {"file": SimpleUploadedFile("a.jsonl", b"{}"), "format": "generic-jsonl"},
    )
    assert ImportRun.objects.count() == 0


def test_an_empty_upload_is_refused_with_a_message(client):
    c = _client(client, member("analyst"))
    response = c.post(
        reverse("web:imports"),
        {"file": SimpleUploadedFile("kosong.csv", b" "), "format": "generic-csv"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors


def test_imports_and_quarantine_of_another_region_stay_hidden(client, tmp_path):
    run = ImportRun.objects.create(
        format="generic-jsonl", file_name="jatim.jsonl", province_id="35"
    )
    QuarantinedRecord.objects.create(run=run, location="line 1", reason="x", payload="{}")
    c = _client(client, member("analyst", "32"))
    assert c.get(reverse("web:import_detail", args=[run.pk])).status_code == 404
    assert c.get(reverse("web:quarantine")).context["page"].paginator.count == 0


def test_a_fact_check_file_uploaded_in_the_browser_lands_with_its_bad_items_quarantined(client):
    c = _client(client, member("analyst", "32"))
    good = {
        "@type": "ClaimReview",
        "url": "https://kpu.example/k/1",
        "claimReviewed": "Pemilu ditunda",
        "headline": "Pemilu tidak ditunda",
        "reviewRating": {"alternateName": "Salah"},
    }
    content = json.dumps([good, {**good, "url": "https://kpu.example/k/2", "reviewRating": {}}])
    response = c.post(
        reverse("web:clarification_import"),
        {
            "file": SimpleUploadedFile("kpu.json", content.encode()),
            "format": "claimreview",
            "publish": "on",  # ignored: analysts write drafts
        },
    )
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "web:import_detail", args=[run.pk]
    )
    assert (run.created, run.quarantined, run.province_id) == (1, 1, "32")
    assert Clarification.objects.get().status == "draft"
    page = c.get(reverse("web:import_detail", args=[run.pk]))
    assert page.context["open_quarantine"] == 1


def test_a_file_that_is_not_claimreview_is_refused_on_the_form(client):
    c = _client(client, member("analyst"))
    response = c.post(
        reverse("web:clarification_import"),
        {
            "file": SimpleUploadedFile("berita.json", b'{"@type": "NewsArticle"}'),
            "format": "claimreview",
        },
    )
    assert response.status_code == 400
    assert "no ClaimReview found" in str(response.context["form"].errors)
    assert ImportRun.objects.count() == 0
