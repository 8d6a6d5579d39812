"""Merge, unmerge and split: content moves, nothing is lost, both cases are audited, and each
operation can be undone."""

from __future__ import annotations

import pytest

from saring.accounts.scope import ScopeError
from saring.audit.models import AuditEvent
from saring.cases.models import Case, CaseItem, Report
from saring.cases.services import merging
from saring.cases.services.handling import HandlingError
from saring.cases.services.items import existing_case
from saring.sources.links import canonicalise
from tests.cases.conftest import BOGOR, JABAR, make_case, scope

pytestmark = pytest.mark.django_db


def actions(case: Case) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_type="cases.case", subject_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def add_item(case: Case, n: int, url: str | None = None) -> CaseItem:
    content_id = str(7400000000000000000 + case.pk * 100 + n)
    return CaseItem.objects.create(
        case=case,
        url=url or f"https://www.tiktok.com/@x/video/{content_id}",
        canonical_url=f"https://www.tiktok.com/video/{content_id}",
        platform="tiktok",
        content_id=content_id,
        key=f"tiktok:{content_id}",
        origin_case=case,
    )


def test_merge_moves_everything_and_unmerge_gives_it_back(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    source, target = make_case(), make_case()
    source_items = set(source.items.values_list("pk", flat=True))
    source_reports = set(source.reports.values_list("pk", flat=True))
    merging.merge(office, source, target, "Konten sama")
    source.refresh_from_db()
    assert source.state == "merged" and source.merged_into == target
    assert set(target.items.values_list("pk", flat=True)) >= source_items
    assert target.reports.count() == 2 and not source.items.exists()
    assert actions(source)[-1] == "case.merged" and "case.merged" in actions(target)
    # A new report of the duplicate's content finds the surviving case.
    item = CaseItem.objects.get(pk=next(iter(source_items)))
    assert existing_case([canonicalise(item.url)]) == target

    source = merging.unmerge(office, source, "Ternyata berbeda")
    assert source.state == "received" and source.merged_into is None
    assert set(source.items.values_list("pk", flat=True)) == source_items
    assert set(source.reports.values_list("pk", flat=True)) == source_reports
    assert target.items.count() == 1 and target.reports.count() == 1
    assert actions(source)[-1] == "case.unmerged" and "case.unmerged" in actions(target)


def test_unmerge_follows_a_chain_of_merges(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    a, b, c = make_case(), make_case(), make_case()
    merging.merge(office, a, b, "dup")
    merging.merge(office, Case.objects.get(pk=b.pk), c, "dup")
    b = merging.unmerge(office, Case.objects.get(pk=b.pk), "undo")
    assert b.items.count() == 2  # its own and a's, which a's merge had brought in
    assert c.items.count() == 1


def test_merge_refuses_itself_a_cycle_and_a_case_of_another_office(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    a, b = make_case(), make_case()
    with pytest.raises(HandlingError):
        merging.merge(office, a, a, "x")
    with pytest.raises(HandlingError):
        merging.merge(office, a, b, " ")
    bogor_case = make_case(regency=BOGOR)
    with pytest.raises(ScopeError):
        merging.merge(office, a, bogor_case, "x")
    merging.merge(office, a, b, "dup")
    with pytest.raises(HandlingError):  # b into a would make a loop
        merging.merge(office, Case.objects.get(pk=b.pk), Case.objects.get(pk=a.pk), "x")
    assert Case.objects.get(pk=b.pk).state == "received"


def test_split_moves_the_chosen_items_and_their_only_reports(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    case = make_case()
    keep = case.items.get()
    moved = add_item(case, 1)
    only_moved = Report.objects.create(
        case=case, tracking_code="LPR-SPLIT1", channel="public", urls=[moved.url]
    )
    new = merging.split(office, case, [moved.pk], "Dua video berbeda")
    assert new.state == "received" and new.province_id == case.province_id
    assert list(new.items.all()) == [moved] and list(case.items.all()) == [keep]
    assert list(new.reports.all()) == [only_moved]
    assert case.reports.count() == 1
    assert actions(case)[-1] == "case.split" and actions(new) == ["case.split"]
    # Reversible: merge the new case back, and undo that merge.
    merging.merge(office, new, case, "Gabung lagi")
    assert case.items.count() == 2 and case.reports.count() == 2
    new = merging.unmerge(office, Case.objects.get(pk=new.pk), "Pisah lagi")
    assert list(new.items.all()) == [moved] and list(new.reports.all()) == [only_moved]


def test_split_never_leaves_a_case_empty_nor_takes_another_cases_items(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    case, other = make_case(), make_case()
    with pytest.raises(HandlingError):
        merging.split(office, case, list(case.items.values_list("pk", flat=True)), "x")
    add_item(case, 1)
    with pytest.raises(HandlingError):
        merging.split(office, case, list(other.items.values_list("pk", flat=True)), "x")
    with pytest.raises(HandlingError):
        merging.split(office, case, [case.items.first().pk], "")
    assert Case.objects.count() == 2


def test_a_sibling_cannot_split(bawaslu_bogor):
    case = make_case(province=JABAR)
    add_item(case, 1)
    with pytest.raises(ScopeError):
        merging.split(scope(bawaslu_bogor), case, [case.items.last().pk], "x")


def test_find_by_reference_only_finds_visible_cases(bawaslu_bandung, bawaslu_bogor):
    case = make_case()
    assert merging.find_by_reference(case.reference, scope(bawaslu_bandung)) == case
    assert merging.find_by_reference(str(case.pk), scope(bawaslu_bandung)) == case
    assert merging.find_by_reference(case.reference, scope(bawaslu_bogor)) is None
    assert merging.find_by_reference("abc", scope(bawaslu_bandung)) is None
