"""Dates, counts, tags and codes: the value rules every format shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from saring.sources import RecordError
from saring.sources._fields import parse_region_code, parse_tags, parse_url, short_extra
from saring.sources._values import parse_count, parse_datetime, require_id

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-14T07:00:00+07:00", datetime(2024, 2, 14, 0, 0, tzinfo=UTC)),
        ("2024-02-14T00:00:00Z", datetime(2024, 2, 14, tzinfo=UTC)),
        ("2024-02-14T00:00:00.250Z", datetime(2024, 2, 14, 0, 0, 0, 250000, tzinfo=UTC)),
        ("2024-02-14T00:00:00+0000", datetime(2024, 2, 14, tzinfo=UTC)),
        ("2024-02-14 07:00:00", datetime(2024, 2, 14, 7, tzinfo=WIB)),
        ("2024-02-14", datetime(2024, 2, 14, tzinfo=WIB)),
        ("20240214", datetime(2024, 2, 14, tzinfo=WIB)),
        ("14/02/2024 07:30", datetime(2024, 2, 14, 7, 30, tzinfo=WIB)),
        ("Wed Feb 14 03:15:00 +0000 2024", datetime(2024, 2, 14, 3, 15, tzinfo=UTC)),
        (1707894000, datetime(2024, 2, 14, 7, tzinfo=UTC)),
        ("1707894000", datetime(2024, 2, 14, 7, tzinfo=UTC)),
        (1707894000000, datetime(2024, 2, 14, 7, tzinfo=UTC)),
        (1707894000.5, datetime(2024, 2, 14, 7, 0, 0, 500000, tzinfo=UTC)),
    ],
)
def test_dates_are_read_in_every_documented_style_and_are_timezone_aware(value, expected):
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed.tzinfo is not None


def test_a_naive_time_is_western_indonesia_time_unless_the_format_says_utc():
    assert parse_datetime("2024-02-14 07:00:00").utcoffset() == timedelta(hours=7)
    assert parse_datetime("2024-02-14 07:00:00", naive_tz=UTC).utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "value",
    [
        "2024-02-30",
        "2024-02-30 10:00:00",
        "0000-01-01",
        "2024-13-01",
        "31/02/2024",
        "Fri Feb 30 20:19:24 +0700 2024",
        32503680000,
        "32503680000",
        32503680000000,
        0,
        -5,
        "1985-06-01",
        "kemarin",
        "",
        None,
        True,
        float("nan"),
        10**30,
    ],
)
def test_impossible_or_unreadable_dates_are_record_errors_naming_the_value(value):
    with pytest.raises(RecordError) as info:
        parse_datetime(value, "created_at")
    assert info.value.field == "created_at"
    if value not in ("", None) and not isinstance(value, bool):
        assert str(value)[:6] in info.value.message


def test_a_date_a_few_hours_ahead_is_tolerated_as_clock_skew():
    soon = datetime.now(UTC) + timedelta(hours=5)
    assert parse_datetime(soon.isoformat()) == soon
    with pytest.raises(RecordError, match="in the future"):
        parse_datetime((datetime.now(UTC) + timedelta(days=3)).isoformat())


def test_the_source_key_is_named_in_the_message_but_the_field_is_the_record_field():
    with pytest.raises(RecordError) as info:
        parse_datetime(32503680000, "created_at", source="data.createTime")
    assert info.value.field == "created_at"
    assert "data.createTime" in info.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("  ", None),
        ("-", None),
        (0, 0),
        (15, 15),
        ("15", 15),
        (12.0, 12),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        ("1,234,567", 1234567),
        ("123.0", 123),
        ("12K", 12000),
        ("12k", 12000),
        ("1,2 rb", 1200),
        ("1.2K", 1200),
        ("3 jt", 3000000),
        ("3,5 juta", 3500000),
        ("1.5M", 1500000),
        ("2 miliar", 2000000000),
        ("1 ribu", 1000),
        ("\u00a01.234 ", 1234),
    ],
)
def test_counts_accept_indonesian_and_spreadsheet_styles(value, expected):
    assert parse_count(value, "views") == expected


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-1, "negative"),
        ("-3", "negative"),
        (-2.0, "negative"),
        ("banyak", "not a number"),
        ("12,5", "whole number"),
        (1.5, "whole number"),
        (True, "not a number"),
        ("n/a", "not a number"),
        ("5 lusin", "unknown unit"),
        ([1], "list"),
        ("²", "not a number"),
    ],
)
def test_negative_or_non_numeric_counts_are_record_errors_naming_the_field(value, reason):
    with pytest.raises(RecordError, match=reason) as info:
        parse_count(value, "likes")
    assert info.value.field == "likes"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["#Pemilu2024", "CekFakta"], ("Pemilu2024", "CekFakta")),
        ('["pemilu2024", "kpu"]', ("pemilu2024", "kpu")),
        ("['pemilu2024', 'kpu']", ("pemilu2024", "kpu")),
        ("#Pemilu2024 #CekFakta", ("Pemilu2024", "CekFakta")),
        ("pemilu2024, kpu;bawaslu", ("pemilu2024", "kpu", "bawaslu")),
        ("#a#b #a", ("a", "b")),
        (["debat capres"], ("debat capres",)),
        ("", ()),
        (None, ()),
    ],
)
def test_tags_accept_lists_json_and_separated_strings_without_hash(value, expected):
    assert parse_tags(value, "hashtags") == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("32", "32"),
        ("32.73", "32.73"),
        ("3273", "32.73"),
        ("327301", "32.73.01"),
        ("32.73.01.1001", "32.73.01.1001"),
        (35, "35"),
        ("", ""),
    ],
)
def test_region_codes_are_kemendagri_codes_in_dotted_form(value, expected):
    assert parse_region_code(value) == expected


@pytest.mark.parametrize("value", ["ID", "3", "32.7", "05", "327.3", "32-73"])
def test_a_region_code_that_is_not_kemendagri_is_a_record_error(value):
    with pytest.raises(RecordError) as info:
        parse_region_code(value)
    assert info.value.field == "region_code"


def test_ids_must_be_present_and_not_mangled_by_a_spreadsheet():
    assert require_id(7331500000000000001, "platform_id") == "7331500000000000001"
    assert require_id(" fb-1 ", "platform_id") == "fb-1"
    for bad in (None, "", "  ", "7.3315E+18", "x" * 101, 1.5):
        with pytest.raises(RecordError) as info:
            require_id(bad, "platform_id")
        assert info.value.field == "platform_id"


def test_urls_must_be_http_and_www_gets_a_scheme():
    assert parse_url("www.kpu.go.id/x") == "https://www.kpu.go.id/x"
    assert parse_url("") == ""
    with pytest.raises(RecordError):
        parse_url("javascript:alert(1)")


def test_extra_keeps_short_values_only():
    extra = short_extra([("a", 1), ("b", "x" * 301), ("c", None), ("d", ["x", "y"]), ("e", True)])
    assert extra == {"a": "1", "d": "x,y", "e": "true"}
