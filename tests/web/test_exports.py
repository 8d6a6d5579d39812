"""Exports a person can use: worded values, real date-times in a named zone, a link back."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from saring.factcheck.models import Claim, Clarification, PostMatch
from saring.monitoring.models import Post, PostFlag
from saring.monitoring.services.ingest import ingest_file
from saring.web.exports import COLUMNS
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(tmp_path):
    lines = [
        post_line("1", "Serangan fajar di Surabaya, amplop dibagi", hours=2, platform="tiktok"),
        post_line("2", "Debat capres malam ini seru", hours=3),
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")
    post = Post.objects.get(platform_id="1")
    flag = PostFlag.objects.filter(post=post).select_related("category").first()
    assert flag is not None, "the seeded watchlists flag money politics"
    clarification = Clarification.objects.create(
        claim=Claim.objects.create(text="amplop dibagi"),
        headline="Tidak ada pembagian amplop oleh KPU",
        verdict="HOAKS",
        status="published",
    )
    PostMatch.objects.create(post=post, clarification=clarification, score=0.9, decision="auto")
    rejected = Clarification.objects.create(
        claim=Claim.objects.create(text="lain"),
        headline="Ditolak",
        verdict="SALAH",
        status="published",
    )
    PostMatch.objects.create(post=post, clarification=rejected, score=0.95, decision="rejected")
    return post, flag.category


def _get(client, kind: str, language: str = "id"):
    user = member("viewer")
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = language
    return client.get(reverse("web:export", args=[kind]), {"region": "all"})


def _sheet(response):
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def test_xlsx_has_date_times_names_a_clarification_and_a_link(client, world):
    post, category = world
    sheet = _sheet(_get(client, "xlsx"))
    header = [c.value for c in sheet[1]]
    assert len(header) == len(COLUMNS)
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[COLUMNS.index("platform_id")].value == "1"
    )
    cell = dict(zip(COLUMNS, row, strict=True))
    # A real date-time, in WIB (the factory's 10:00 UTC is 17:00 in Jakarta), zone in the header.
    assert isinstance(cell["created_at"].value, datetime)
    assert cell["created_at"].is_date
    assert cell["created_at"].value == datetime(2024, 2, 10, 17, 0)
    assert "(WIB)" in header[COLUMNS.index("created_at")]
    assert cell["views"].data_type == "n" and cell["views"].value == 100
    # Words, not codes.
    assert cell["platform"].value == "TikTok"
    assert category.name_id in cell["flags"].value and category.code not in cell["flags"].value
    assert cell["clarification"].value == "Tidak ada pembagian amplop oleh KPU"  # not the rejected
    assert cell["clarification_verdict"].value == "HOAKS"
    url = f"http://testserver/posts/{post.pk}/"
    assert cell["saring_url"].value == url
    assert cell["saring_url"].hyperlink.target == url
    # Usable: the header stays in view, a filter on every column, the text column wide.
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS))}3"
    text = openpyxl.utils.get_column_letter(COLUMNS.index("text") + 1)
    assert sheet.column_dimensions[text].width >= 60


def test_xlsx_header_and_category_follow_the_readers_language(client, world):
    _, category = world
    with translation.override("en"):
        sheet = _sheet(_get(client, "xlsx", "en"))
    header = [c.value for c in sheet[1]]
    assert header[COLUMNS.index("created_at")] == "Posted at (WIB)"
    assert header[COLUMNS.index("saring_url")] == "Post in Saring"
    flags = [r[COLUMNS.index("flags")].value for r in sheet.iter_rows(min_row=2)]
    assert category.name_en in flags


def test_csv_has_the_same_columns_and_values(client, world):
    post, category = world
    response = _get(client, "csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == COLUMNS
    row = next(r for r in rows if r["platform_id"] == "1")
    assert row["platform"] == "TikTok"
    assert row["created_at"] == "2024-02-10 17:00:00+07:00"
    assert row["flags"] == category.name_id
    assert row["clarification"] == "Tidak ada pembagian amplop oleh KPU"
    assert row["saring_url"] == f"http://testserver/posts/{post.pk}/"


def test_exports_carry_no_staff_or_reporter_data(client, world):
    """Personal data rule: public post fields only; the reviewer of a match is never named."""
    post, _ = world
    reviewer = member("analyst", username="peninjau.rahasia")
    PostMatch.objects.filter(post=post).update(reviewed_by=reviewer)
    body = b"".join(_get(client, "csv").streaming_content).decode("utf-8-sig")
    assert "peninjau.rahasia" not in body
    for column in COLUMNS:
        assert not any(word in column for word in ("reviewer", "reporter", "staff", "user"))
