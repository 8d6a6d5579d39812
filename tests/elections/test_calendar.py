"""The 2024 calendar the migration loads, and which stage a post's moment and region fall in."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from saring.elections.models import Election, Stage
from saring.elections.querysets import stage_filter_choices, stage_filter_q
from saring.elections.services import Calendar, calendar
from saring.elections.timezones import WIB, WIT, WITA, local_date, zone_for

pytestmark = pytest.mark.django_db


def _kind(stage_id: int | None) -> tuple[str, str] | None:
    if stage_id is None:
        return None
    stage = Stage.objects.get(pk=stage_id)
    return stage.election_id, stage.kind


def test_migration_loads_the_2024_calendar() -> None:
    assert Election.objects.filter(kind="pemilu").count() == 1
    rounds = Election.objects.filter(kind="pilkada", parent__isnull=True)
    assert list(rounds.values_list("id", flat=True)) == ["pilkada.2024-11-27"]
    children = Election.objects.filter(parent_id="pilkada.2024-11-27")
    governors = children.filter(regency__isnull=True)
    assert governors.count() == 37
    assert not governors.filter(province_id="34").exists()  # DIY's governor is not elected
    regencies = children.filter(regency__isnull=False)
    assert regencies.count() == 508
    assert not regencies.filter(province_id="31").exists()  # Jakarta's are appointed
    lampung_city = Election.objects.get(pk="pilkada.1871.2024-11-27")
    assert lampung_city.regency_id == "18.71" and lampung_city.province_id == "18"
    assert "Bandar Lampung" in lampung_city.name
    assert Election.objects.get(pk="pilkada.18.2024-11-27").regency_id is None
    pemilu = Election.objects.get(pk="pemilu.2024-02-14")
    quiet = pemilu.stages.get(kind="quiet")
    assert (quiet.starts_on, quiet.ends_on) == (date(2024, 2, 11), date(2024, 2, 13))
    assert pemilu.stages.count() == 5
    assert Stage.objects.count() == 5 * (1 + 1 + 37 + 508)
    recap = lampung_city.stages.get(kind="recapitulation")
    assert (recap.starts_on, recap.ends_on) == (date(2024, 11, 28), date(2024, 12, 16))


def test_zones_and_local_dates() -> None:
    assert zone_for("91") is WIT and zone_for("81") is WIT
    assert zone_for("73") is WITA and zone_for("51") is WITA and zone_for("64") is WITA
    assert zone_for("32") is WIB and zone_for(None) is WIB and zone_for("61") is WIB
    assert zone_for("91.71") is WIT
    moment = datetime(2024, 2, 10, 16, 30, tzinfo=UTC)
    assert local_date(moment, "32") == date(2024, 2, 10)  # 23:30 WIB
    assert local_date(moment, "91") == date(2024, 2, 11)  # 01:30 WIT


def at(day: str, hour: int = 5) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.mark.parametrize(
    ("province", "regency", "when", "expected"),
    [
        ("32", "32.73", at("2024-02-12"), ("pemilu.2024-02-14", "quiet")),  # Kota Bandung
        ("18", "18.71", at("2024-11-25"), ("pilkada.1871.2024-11-27", "quiet")),
        ("31", "31.71", at("2024-11-25"), ("pilkada.31.2024-11-27", "quiet")),  # governor only
        ("34", None, at("2024-11-25"), ("pilkada.2024-11-27", "quiet")),  # DIY: no governor race
        ("34", "34.04", at("2024-11-25"), ("pilkada.3404.2024-11-27", "quiet")),  # Sleman
        ("32", None, at("2024-10-01"), ("pilkada.32.2024-11-27", "campaign")),
        (None, None, at("2024-11-25"), ("pilkada.2024-11-27", "quiet")),
        (None, None, at("2024-01-05"), ("pemilu.2024-02-14", "campaign")),
        ("91", None, datetime(2024, 2, 10, 16, 30, tzinfo=UTC), ("pemilu.2024-02-14", "quiet")),
        ("32", None, datetime(2024, 2, 10, 16, 30, tzinfo=UTC), ("pemilu.2024-02-14", "campaign")),
        ("32", "32.73", at("2024-02-14"), ("pemilu.2024-02-14", "voting")),  # over counting
        ("32", "32.73", at("2024-02-15"), ("pemilu.2024-02-14", "counting")),  # over recap
        ("18", "18.71", at("2024-11-27"), ("pilkada.1871.2024-11-27", "voting")),
        (None, "18.71", at("2024-11-28"), ("pilkada.1871.2024-11-27", "counting")),
        ("32", "32.73", at("2024-06-01"), None),
        ("32", "32.73", at("2023-11-27"), None),
    ],
)
def test_stage_for(province, regency, when, expected) -> None:
    assert _kind(calendar().stage_for(province, regency, when)) == expected


def test_stage_of_election_uses_the_elections_zone() -> None:
    cal = calendar()
    assert cal.stage_of_election("pilkada.1871.2024-11-27", at("2024-11-24")) == "quiet"
    assert cal.stage_of_election("pilkada.1871.2024-11-27", at("2024-11-23")) == "campaign"
    assert cal.stage_of_election("pilkada.1871.2024-11-27", at("2024-11-27")) == "voting"
    # 23 Nov 15:30 UTC is already the 24th in Jayapura: the quiet period has begun there.
    papua = datetime(2024, 11, 23, 15, 30, tzinfo=UTC)
    assert calendar().stage_of_election("pilkada.9171.2024-11-27", papua) == "quiet"
    assert calendar().stage_of_election("pilkada.3273.2024-11-27", papua) == "campaign"
    assert cal.stage_of_election("pemilu.2024-02-14", at("2024-06-01")) is None
    assert cal.stage_of_election("nope", at("2024-06-01")) is None


def test_calendar_is_reloaded_after_a_change() -> None:
    first = calendar()
    assert calendar() is first
    election = Election.objects.create(
        id="pilkada.3273.2029-11-28",
        kind="pilkada",
        name="Pilkada 2029 Kota Bandung",
        voting_day=date(2029, 11, 28),
        province_id="32",
        regency_id="32.73",
    )
    Stage.objects.create(
        election=election, kind="quiet", starts_on=date(2029, 11, 25), ends_on=date(2029, 11, 27)
    )
    assert calendar() is not first
    assert _kind(calendar().stage_for("32", "32.73", at("2029-11-26"))) == (election.pk, "quiet")


def test_stage_filter_choices_and_q() -> None:
    choices = dict(stage_filter_choices())
    assert "pemilu.2024-02-14:quiet" in choices
    assert "pilkada.2024-11-27:campaign" in choices
    assert len(choices) == 10
    assert choices["pemilu.2024-02-14:quiet"].startswith("Pemilu 2024 · ")
    keys = [key for key, _label in stage_filter_choices()]
    assert keys.index("pemilu.2024-02-14:campaign") < keys.index("pemilu.2024-02-14:quiet")
    quiet = Stage.objects.filter(stage_filter_q("pilkada.2024-11-27:quiet", prefix=""))
    assert quiet.count() == 1 + 37 + 508
    assert set(quiet.values_list("kind", flat=True)) == {"quiet"}
    assert Stage.objects.filter(stage_filter_q("pemilu.2024-02-14:voting", prefix="")).count() == 1
    for bad in ["pemilu.2024-02-14:nap", "nope:quiet", "pilkada.1871.2024-11-27:quiet", "", "x"]:
        with pytest.raises(ValueError):
            stage_filter_q(bad)


def test_a_lookup_is_fast() -> None:
    cal = Calendar.load()
    cases = [
        ("32", "32.73", at("2024-02-12")),
        ("18", "18.71", at("2024-11-25")),
        ("91", None, at("2024-02-10", 16)),
        (None, None, at("2024-06-01")),
    ] * 25_000
    started = time.perf_counter()
    for province, regency, when in cases:
        cal.stage_for(province, regency, when)
    elapsed = time.perf_counter() - started
    print(f"100k lookups: {elapsed:.3f} s")
    assert elapsed < 0.5
