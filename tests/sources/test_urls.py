"""Only http(s) addresses are ever stored from input (saring.sources.urls)."""

from __future__ import annotations

import json

import pytest

from saring.sources import checked_url, http_url
from saring.sources.claimreview import parse_claimreview, parse_csv_row
from saring.sources.registry import get_format

BAD = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "https:///no-host",
    "http://[::1",
    "https://kpu.go.id/a b",
    "https://kpu.go.id/\x00x",
    "kpu.go.id/x",
]


@pytest.mark.parametrize("value", BAD)
def test_anything_but_an_http_address_is_dropped(value):
    assert http_url(value) == ""
    url, warning = checked_url(value, "url")
    assert url == "" and warning.startswith("url: ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://www.kpu.go.id/berita?id=1#a", "https://www.kpu.go.id/berita?id=1#a"),
        ("HTTP://kpu.go.id", "HTTP://kpu.go.id"),
        ("  https://kpu.go.id/x  ", "https://kpu.go.id/x"),
        ("www.kpu.go.id/x", "https://www.kpu.go.id/x"),
    ],
)
def test_http_addresses_are_kept(value, expected):
    assert http_url(value) == expected
    assert checked_url(value, "url") == (expected, "")


def test_an_empty_value_is_no_warning():
    assert checked_url("", "url") == ("", "") and checked_url(None, "url") == ("", "")


def test_a_post_with_a_javascript_url_is_kept_without_it():
    fmt = get_format("generic-jsonl")
    payload = json.dumps(
        {"platform": "x", "id": "1", "text": "a", "date": "2024-02-10", "url": "javascript:x()"}
    )
    [record] = fmt.parse(payload)
    assert record.url == "" and record.warnings == [
        "url: 'javascript:x()' is not an http(s) address; left empty"
    ]


def test_a_meta_content_library_row_with_a_data_url_is_kept_without_it():
    fmt = get_format("meta-cl")
    row = {"id": "1", "text": "a", "creation_time": "2024-02-10", "url": "data:text/html,x"}
    [record] = fmt.parse(json.dumps(row))
    assert record.url == "" and record.warnings


def test_claimreview_and_csv_addresses_are_validated():
    record = parse_claimreview(
        {
            "@type": "ClaimReview",
            "@id": "https://kpu.example/1",
            "url": "javascript:alert(1)",
            "claimReviewed": "x",
            "reviewRating": {"alternateName": "Salah"},
            "author": {"name": "KPU", "url": "data:text/html,x"},
        }
    )
    assert (record.url, record.publisher_url, record.external_id) == (
        "",
        "",
        "https://kpu.example/1",
    )
    assert len(record.warnings) == 2
    row = parse_csv_row(
        {
            "id": "a",
            "judul": "x",
            "label": "Salah",
            "url": "javascript:1",
            "sumber": "https://a.example/1 httpjunk javascript:2",
        }
    )
    assert (row.url, row.sources) == ("", ("https://a.example/1",))
