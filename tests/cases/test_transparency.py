"""Transparency figures: the counts per region, category, platform and month, the median time
to the platform's decision, the scope, and exports with no personal data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from saring.accounts.scope import SYSTEM, scope_for
from saring.cases.models import Case, CaseItem, Decision, Escalation, Report
from saring.cases.services import transparency
from tests.cases.conftest import BANDUNG, BOGOR, JABAR, make_case

FEB = datetime(2024, 2, 10, 3, 0, tzinfo=UTC)
MAR = datetime(2024, 3, 5, 3, 0, tzinfo=UTC)
_refs = iter(range(1, 10_000))


def at(case: Case, when: datetime) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=when)
    Report.objects.filter(case=case).update(created_at=when)
    case.refresh_from_db()
    return case


def escalate(case: Case, channel, *, hours: float | None, visibility: str = "removed") -> None:
    n = next(_refs)
    sent = case.created_at + timedelta(hours=1)
    escalation = Escalation.objects.create(case=case, channel=channel, reference=f"ESC-T{n}")
    Escalation.objects.filter(pk=escalation.pk).update(created_at=sent)
    Case.objects.filter(pk=case.pk).update(escalated_at=sent)
    if hours is not None:
        Decision.objects.create(
            escalation=escalation,
            platform_reference=f"tt-{n}",
            visibility=visibility,
            ground="terms",
            decided_at=sent + timedelta(hours=hours),
            via="api",
        )


@pytest.fixture
def data(bawaslu_bandung, bawaslu_bogor, tiktok_channel):
    """Feb: Bandung 2 cases (one valid, escalated, removed after 10 h; one escalated, no action
    after 30 h), Bogor 1 case (valid); Mar: Bandung 1 case. Plus a draft and a merged case."""
    b1 = at(make_case(is_valid=True, state="answered"), FEB)
    escalate(b1, tiktok_channel, hours=10)
    Report.objects.create(
        case=b1,
        tracking_code="LPR-SECOND",
        channel="public",
        reporter_name="Kedua Pelapor",
        reporter_email="kedua@example.org",
        created_at=FEB,
    )
    Report.objects.filter(tracking_code="LPR-SECOND").update(created_at=FEB)
    b2 = at(make_case(is_valid=True, state="answered", category="quiet_period"), FEB)
    escalate(b2, tiktok_channel, hours=30, visibility="no_action")
    g1 = at(make_case(regency=BOGOR, is_valid=True, state="triaged"), FEB)
    m1 = at(make_case(state="received"), MAR)
    at(make_case(state="draft", origin="automatic"), FEB)
    at(make_case(state="merged"), FEB)
    return {"b1": b1, "b2": b2, "g1": g1, "m1": m1}


def rows_by(result, *dims):
    return {tuple(r.key[d] for d in dims): r for r in result.rows}


@pytest.mark.django_db
def test_national_figures_by_month_and_province(data):
    result = transparency.figures(
        SYSTEM, start=date(2024, 2, 1), end=date(2024, 3, 1), group_by=["month", "region"]
    )
    assert result.region_level == "province"
    rows = rows_by(result, "month", "region")
    feb = rows[("2024-02", JABAR)]
    assert (feb.reports, feb.cases, feb.valid, feb.escalated, feb.actioned) == (4, 3, 3, 2, 1)
    assert feb.decisions == 2 and feb.median_hours_to_decision == 20.0
    assert feb.names["region"]  # the province's name
    mar = rows[("2024-03", JABAR)]
    assert (mar.cases, mar.escalated, mar.median_hours_to_decision) == (1, 0, None)
    assert result.total.cases == 4  # the draft and the merged case are left out
    assert result.total.reports == 5


@pytest.mark.django_db
def test_regencies_within_a_province_and_by_category(data):
    result = transparency.figures(
        SYSTEM,
        start=date(2024, 2, 1),
        end=date(2024, 2, 1),
        group_by=["region", "category"],
        province=JABAR,
    )
    assert result.region_level == "regency"
    rows = rows_by(result, "region", "category")
    assert rows[(BANDUNG, "hoax")].cases == 1
    assert rows[(BANDUNG, "quiet_period")].actioned == 0
    assert rows[(BOGOR, "hoax")].valid == 1
    assert result.total.cases == 3  # March is outside the period


@pytest.mark.django_db
def test_scope_limits_the_figures(data, bawaslu_bogor):
    result = transparency.figures(
        scope_for(bawaslu_bogor), start=date(2024, 1, 1), end=date(2024, 12, 1)
    )
    assert result.region_level == "regency"
    assert {r.key["region"] for r in result.rows} == {BOGOR}
    assert result.total.cases == 1


@pytest.mark.django_db
def test_platform_counts_a_multi_platform_case_under_each(data):
    b1 = data["b1"]
    CaseItem.objects.create(
        case=b1,
        url="https://x.com/a/status/1",
        canonical_url="https://x.com/i/status/1",
        platform="x",
        content_id="1",
        key="x:1",
    )
    result = transparency.figures(
        SYSTEM, start=date(2024, 2, 1), end=date(2024, 2, 1), group_by=["platform"]
    )
    rows = rows_by(result, "platform")
    assert rows[("tiktok",)].cases == 3 and rows[("x",)].cases == 1
    assert rows[("x",)].actioned == 1 and rows[("x",)].median_hours_to_decision == 10.0
    assert rows[("tiktok",)].reports == 4
    assert result.total.cases == 3


@pytest.mark.django_db
def test_overdue_counts_open_cases_past_their_deadline(data):
    Case.objects.filter(pk=data["g1"].pk).update(follow_up_due=datetime(2024, 2, 15, tzinfo=UTC))
    result = transparency.figures(SYSTEM, start=date(2024, 2, 1), end=date(2024, 2, 1))
    assert rows_by(result, "month", "region")[("2024-02", JABAR)].overdue == 1


def test_bad_input_is_refused():
    with pytest.raises(transparency.FiguresError):
        transparency.parse_month("2024-13")
    with pytest.raises(transparency.FiguresError):
        transparency.parse_month("Feb")


@pytest.mark.django_db
def test_bad_grouping_and_period_are_refused():
    with pytest.raises(transparency.FiguresError):
        transparency.figures(SYSTEM, group_by=["reporter"])
    with pytest.raises(transparency.FiguresError):
        transparency.figures(SYSTEM, start=date(2024, 3, 1), end=date(2024, 2, 1))


PERSONAL = ("Siti Pelapor", "pelapor@example.org", "+6281234567890", "Kedua", "kedua@example.org")


@pytest.mark.django_db
def test_csv_has_header_period_and_no_personal_data(data):
    result = transparency.figures(
        SYSTEM, start=date(2024, 2, 1), end=date(2024, 3, 1), group_by=["month", "region"]
    )
    text = transparency.to_csv(result)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["period_start"] == "2024-02" and rows[0]["period_end"] == "2024-03"
    assert {"region_code", "region_name", "cases", "median_hours_to_decision"} <= set(rows[0])
    assert {r["cases"] for r in rows} == {"3", "1"}
    for leaked in (*PERSONAL, data["b1"].title, "tiktok.com/@"):
        assert leaked not in text


@pytest.mark.django_db
def test_xlsx_export(data, tmp_path):
    from openpyxl import load_workbook

    result = transparency.figures(
        SYSTEM, start=date(2024, 2, 1), end=date(2024, 3, 1), group_by=["month", "category"]
    )
    target = tmp_path / "f.xlsx"
    transparency.to_xlsx(result, str(target))
    sheet = load_workbook(target).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "2024-02" in str(values[0]) and "2024-03" in str(values[0])
    assert len(values[1]) == len(result.columns())
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    for leaked in PERSONAL:
        assert leaked not in flat
    assert values[-1][result.columns().index("cases")] == 4  # the total line


@pytest.mark.django_db
def test_command_writes_csv_for_one_month(data, tmp_path):
    out = StringIO()
    call_command("cases", "transparency", "--month", "2024-03", "--csv", "-", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["month"], r["cases"]) for r in rows] == [("2024-03", "1")]
    target = tmp_path / "t.xlsx"
    call_command(
        "cases",
        "transparency",
        "--from",
        "2024-02",
        "--to",
        "2024-03",
        "--xlsx",
        str(target),
        "--group-by",
        "platform",
        stdout=StringIO(),
    )
    assert target.stat().st_size > 0
