"""The deadline engine: working days with Indonesia's holidays, each regime's numbers, zones,
and the time left (saring.cases.deadlines)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from saring.cases import deadlines
from saring.cases.deadlines import (
    Remaining,
    add,
    follow_up_due,
    is_working_day,
    platform_due,
    report_window_end,
    rule,
    takedown_due,
    time_left,
    zone_of,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


def end_of(day: str, zone=WIB) -> datetime:
    y, m, d = map(int, day.split("-"))
    return datetime(y, m, d, 23, 59, 59, 999_999, tzinfo=zone)


@pytest.fixture
def seeded_rules(monkeypatch):
    """The seeded rules without a database: rule() falls back to cases.seed's numbers."""
    monkeypatch.setattr(deadlines, "_rules", dict)


# --- working days -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-02-07", True),  # Wednesday
        ("2024-02-08", False),  # Isra Mi'raj
        ("2024-02-09", False),  # cuti bersama for Chinese New Year
        ("2024-02-10", False),  # Chinese New Year, a Saturday
        ("2024-02-11", False),  # Sunday
        ("2024-02-12", True),
        ("2024-02-14", False),  # election day (Pemilu 2024)
        ("2024-02-15", True),
        ("2024-04-10", False),  # Idul Fitri
        ("2024-04-15", False),  # cuti bersama Idul Fitri
        ("2024-11-27", False),  # Pilkada 2024 voting day
        ("2025-08-18", False),  # a one-off cuti bersama after Independence Day
        ("2025-08-19", True),
        ("2026-03-20", False),  # a future year's cuti bersama: from the package, not a list
    ],
)
def test_working_days_follow_indonesias_calendar(day, working):
    assert is_working_day(date.fromisoformat(day)) is working


def test_holiday_names_are_in_indonesian():
    assert deadlines.holiday_name(date(2024, 2, 14)) == "Hari Pemilihan Umum"
    assert deadlines.holiday_name(date(2024, 2, 13)) == ""


# --- add() ------------------------------------------------------------------------------


def test_working_days_skip_holidays_cuti_bersama_weekends_and_election_day():
    # Wed 7 Feb 2024, 10:00 WIB; not counted: 8 (Isra Mi'raj), 9 (cuti bersama),
    # 10-11 (Imlek on a Saturday, Sunday), 14 (election day). 12, 13, 15, 16, 19, 20, 21.
    registered = datetime(2024, 2, 7, 10, 0, tzinfo=WIB)
    assert add(registered, 7, "working_days") == end_of("2024-02-21")
    assert add(registered, 1, "working_days") == end_of("2024-02-12")
    assert add(registered, 3, "working_days") == end_of("2024-02-15")


def test_the_day_of_registration_is_not_counted():
    monday = datetime(2024, 3, 4, 8, 0, tzinfo=WIB)
    assert add(monday, 1, "working_days") == end_of("2024-03-05")
    assert add(monday, 1, "days") == end_of("2024-03-05")
    # late on the same day changes nothing
    assert add(monday.replace(hour=23, minute=59), 1, "working_days") == end_of("2024-03-05")


def test_a_report_on_a_saturday_or_holiday_counts_from_the_next_working_day():
    saturday = datetime(2024, 2, 10, 9, 0, tzinfo=WIB)
    assert add(saturday, 1, "working_days") == end_of("2024-02-12")
    assert add(saturday, 7, "working_days") == end_of("2024-02-21")
    election_day = datetime(2024, 2, 14, 9, 0, tzinfo=WIB)
    assert add(election_day, 1, "working_days") == end_of("2024-02-15")
    # zero: the day itself if it is a working day, else the next one
    assert add(saturday, 0, "working_days") == end_of("2024-02-12")
    assert add(datetime(2024, 2, 13, 9, tzinfo=WIB), 0, "working_days") == end_of("2024-02-13")


def test_a_period_crosses_the_new_year():
    # Fri 27 Dec 2024; 30, 31 Dec, (1 Jan holiday), 2, 3 Jan 2025
    assert add(datetime(2024, 12, 27, 9, tzinfo=WIB), 4, "working_days") == end_of("2025-01-03")


def test_calendar_days_count_holidays_and_weekends():
    start = datetime(2024, 2, 7, 10, 0, tzinfo=WIB)
    assert add(start, 7, "days") == end_of("2024-02-14")


def test_hours_are_clock_hours_whatever_the_day():
    start = datetime(2024, 2, 13, 22, 0, tzinfo=WIB)
    assert add(start, 4, "hours") == datetime(2024, 2, 14, 2, 0, tzinfo=WIB)


def test_the_local_day_depends_on_the_zone():
    # 16:30 UTC on 1 March is 23:30 WIB (still 1 March) but 00:30 WITA on 2 March.
    moment = datetime(2024, 3, 1, 16, 30, tzinfo=UTC)
    assert add(moment, 1, "days", zone="Asia/Jakarta") == end_of("2024-03-02", WIB)
    assert add(moment, 1, "days", zone=WITA) == end_of("2024-03-03", WITA)
    # Thu 2 May 2024, 22:30 WIB = Fri 3 May, 00:30 WIT
    moment = datetime(2024, 5, 2, 15, 30, tzinfo=UTC)
    assert add(moment, 1, "working_days", zone=WIB) == end_of("2024-05-03", WIB)
    assert add(moment, 1, "working_days", zone=WIT) == end_of("2024-05-06", WIT)
    assert add(moment, 1, "working_days", zone=WIT).utcoffset() == timedelta(hours=9)


def test_naive_datetimes_are_utc():
    naive = datetime(2024, 3, 1, 16, 30)
    assert add(naive, 1, "days", zone=WITA) == end_of("2024-03-03", WITA)


@pytest.mark.parametrize(("amount", "unit"), [(-1, "days"), (1, "weeks"), (1, "")])
def test_bad_periods_are_refused(amount, unit):
    with pytest.raises(ValueError):
        add(datetime(2024, 1, 2, tzinfo=UTC), amount, unit)


# --- each regime's numbers (the seeded rules) ------------------------------------------


def test_pemilu_follow_up_is_7_working_days_plus_7(seeded_rules):
    registered = datetime(2024, 2, 7, 10, 0, tzinfo=WIB)
    assert follow_up_due("pemilu", registered, zone=WIB) == end_of("2024-02-21")
    # 22, 23, 26, 27, 28, 29 Feb, 1 Mar
    assert follow_up_due("pemilu", registered, zone=WIB, extended=True) == end_of("2024-03-01")


def test_pemilu_report_window_is_7_working_days_from_discovery(seeded_rules):
    discovered = datetime(2024, 2, 7, 10, 0, tzinfo=WIB)
    assert report_window_end("pemilu", discovered, zone=WIB) == end_of("2024-02-21")


def test_pilkada_follow_up_is_3_calendar_days_plus_2(seeded_rules):
    # Makassar (WITA), Mon 25 Nov 2024: the 27th (Pilkada voting day) still counts.
    registered = datetime(2024, 11, 25, 10, 0, tzinfo=WITA)
    assert follow_up_due("pilkada", registered, zone=WITA) == end_of("2024-11-28", WITA)
    assert follow_up_due("pilkada", registered, zone="Asia/Makassar", extended=True) == end_of(
        "2024-11-30", WITA
    )
    assert report_window_end("pilkada", registered, zone=WITA) == end_of("2024-12-02", WITA)


def test_takedown_is_4_hours_and_platforms_their_own(seeded_rules):
    ordered = datetime(2024, 2, 13, 22, 0, tzinfo=WIB)
    assert takedown_due(ordered) == datetime(2024, 2, 14, 2, 0, tzinfo=WIB)
    sent = datetime(2024, 2, 13, 15, 0, tzinfo=UTC)
    assert platform_due(sent, 48) == datetime(2024, 2, 15, 15, 0, tzinfo=UTC)
    assert platform_due(datetime(2024, 2, 13, 15, 0), 1) == datetime(2024, 2, 13, 16, tzinfo=UTC)


def test_an_unknown_rule_is_a_lookup_error(seeded_rules):
    with pytest.raises(LookupError):
        rule("pemilu", "appeal")


# --- zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("province", "regency", "zone"),
    [
        ("32", "32.73", WIB),  # Kota Bandung
        ("73", "73.71", WITA),  # Kota Makassar
        ("51", None, WITA),  # Bali
        ("94", "94.71", WIT),  # Kota Jayapura
        (None, "81.71", WIT),  # a regency only: Kota Ambon
        (None, None, WIB),  # unknown: the capital's
    ],
)
def test_zone_of_a_case_is_its_regions(province, regency, zone):
    assert zone_of(SimpleNamespace(province_id=province, regency_id=regency)) == zone


# --- time left --------------------------------------------------------------------------

NOW = datetime(2024, 2, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "overdue", "label"),
    [
        (timedelta(days=2, hours=3, minutes=20), False, "2 days 3 hours left"),
        (timedelta(days=1), False, "1 day left"),
        (timedelta(hours=1, minutes=1), False, "1 hour 1 minute left"),
        (timedelta(hours=5), False, "5 hours left"),
        (timedelta(minutes=45, seconds=59), False, "45 minutes left"),
        (timedelta(seconds=30), False, "less than a minute left"),
        (timedelta(0), False, "less than a minute left"),
        (-timedelta(hours=5), True, "overdue by 5 hours"),
        (-timedelta(days=3, hours=1, minutes=5), True, "overdue by 3 days 1 hour"),
        (-timedelta(minutes=1), True, "overdue by 1 minute"),
        (-timedelta(microseconds=1), True, "overdue by less than a minute"),
    ],
)
def test_time_left_labels(delta, overdue, label):
    with translation.override("en"):
        remaining = time_left(NOW + delta, NOW)
    assert isinstance(remaining, Remaining)
    assert remaining.overdue is overdue
    assert remaining.label == label
    assert (remaining.seconds < 0) is overdue
    assert abs(remaining.seconds - delta.total_seconds()) < 1


def test_time_left_across_zones_and_without_a_deadline():
    due = end_of("2024-02-07", WIT)  # 14:59:59.999999 UTC
    remaining = time_left(due, datetime(2024, 2, 7, 12, 59, 59))  # naive: UTC
    assert remaining.seconds == 2 * 3600 and not remaining.overdue
    with translation.override("en"):
        assert time_left(None, NOW) == Remaining(0, False, "no deadline")


# --- rule(): the data, cached ------------------------------------------------------------


@pytest.mark.django_db
def test_rule_reads_the_seeded_rules_with_their_sources():
    deadlines.clear_cache()
    assert rule("pemilu", "follow_up")[:2] == (7, "working_days")
    assert "Pasal 454" in rule("pemilu", "follow_up")[2]
    assert rule("pemilu", "extension")[:2] == (7, "working_days")
    assert rule("pemilu", "report")[:2] == (7, "working_days")
    assert rule("pilkada", "follow_up")[:2] == (3, "days")
    assert rule("pilkada", "extension")[:2] == (2, "days")
    assert rule("takedown", "takedown")[:2] == (4, "hours")


@pytest.mark.django_db
def test_rule_is_cached_and_an_edit_is_seen_at_once(django_assert_num_queries):
    from saring.cases.models import DeadlineRule

    deadlines._unsettled = False
    deadlines.clear_cache()
    rule("pilkada", "follow_up")
    with django_assert_num_queries(0):
        assert rule("pilkada", "follow_up")[0] == 3
        assert rule("pemilu", "follow_up")[0] == 7

    edited = DeadlineRule.objects.get(regime="pilkada", step="follow_up")
    edited.amount, edited.source = 5, "Perubahan uji"
    edited.save()
    assert rule("pilkada", "follow_up") == (5, "days", "Perubahan uji")
    registered = datetime(2024, 11, 25, 10, 0, tzinfo=WITA)
    assert follow_up_due("pilkada", registered, zone=WITA) == end_of("2024-11-30", WITA)


@pytest.mark.django_db
def test_a_deleted_rule_falls_back_to_the_seeded_one():
    from saring.cases.models import DeadlineRule

    DeadlineRule.objects.filter(regime="takedown").delete()
    assert rule("takedown", "takedown")[:2] == (4, "hours")
    DeadlineRule.objects.create(regime="takedown", step="takedown", amount=2, unit="hours",
                                source="uji")  # fmt: skip
    assert takedown_due(datetime(2024, 1, 2, 10, tzinfo=UTC)) == datetime(
        2024, 1, 2, 12, tzinfo=UTC
    )


@pytest.mark.django_db
def test_a_rolled_back_edit_is_not_kept_in_the_cache():
    from django.db import transaction

    from saring.cases.models import DeadlineRule

    deadlines.clear_cache()
    assert rule("pemilu", "report")[0] == 7
    with pytest.raises(RuntimeError), transaction.atomic():
        DeadlineRule.objects.filter(regime="pemilu", step="report").update(amount=9)
        DeadlineRule.objects.get(regime="pemilu", step="report").save()
        assert rule("pemilu", "report")[0] == 9
        raise RuntimeError("rolled back")
    assert rule("pemilu", "report")[0] == 7
