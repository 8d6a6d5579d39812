"""Who sees which case, and reporters' personal data only through an audited reveal."""

from __future__ import annotations

import pytest

from saring.accounts.models import Organisation
from saring.accounts.scope import ScopeError
from saring.audit.models import AuditEvent
from saring.cases.listing import CaseFilters, case_list
from saring.cases.models import Case, Escalation, Report
from saring.cases.services.privacy import reveal_reporter
from tests.cases.conftest import BANDUNG, BOGOR, JABAR, make_case, scope
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    return {
        "bandung": make_case(),
        "bogor": make_case(regency=BOGOR),
        "jabar": make_case(regency=None),
        "national": make_case(province=None, regency=None),
        "dki": make_case(province="31", regency=None),
    }


def seen(user) -> set[str]:
    return set(Case.objects.visible_to(scope(user)).values_list("title", flat=True))


def names(cases, *keys) -> set[str]:
    return {cases[key].title for key in keys}


def test_the_bawaslu_hierarchy(cases, bawaslu_ri, bawaslu_jabar, bawaslu_bandung):
    assert seen(bawaslu_ri) == names(cases, *cases)
    assert seen(bawaslu_jabar) == names(cases, "bandung", "bogor", "jabar")
    # A regency sees its own: not its sibling's, not the province's, not a national one.
    assert seen(bawaslu_bandung) == names(cases, "bandung")


def test_kpu_sees_only_what_its_organisation_reported_or_received(cases, tiktok_channel):
    kpu = member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.KPU)
    assert seen(kpu) == set()
    Report.objects.create(
        case=cases["bogor"],
        tracking_code="TMN-KPU00001",
        channel="officer",
        organisation=kpu.membership.organisation,
    )
    assert seen(kpu) == names(cases, "bogor")
    komdigi = member("viewer", kind=Organisation.Kind.KOMDIGI)
    channel = tiktok_channel
    channel.pk, channel.name, channel.organisation = (
        None,
        "Komdigi",
        komdigi.membership.organisation,
    )
    channel.save()
    Escalation.objects.create(case=cases["dki"], channel=channel, reference="ESK-1")
    assert seen(komdigi) == names(cases, "dki")


def test_a_platform_liaison_sees_no_case_even_when_escalated_to(
    cases, tiktok_liaison, tiktok_channel
):
    Escalation.objects.create(case=cases["bandung"], channel=tiktok_channel, reference="ESK-2")
    assert seen(tiktok_liaison) == set()
    assert case_list(scope(tiktok_liaison), CaseFilters(state="all")).rows == []


def test_the_list_filters_regions_only_within_the_scope(cases, bawaslu_jabar, bawaslu_bandung):
    page = case_list(scope(bawaslu_jabar), CaseFilters(regency=BOGOR))
    assert [row.case for row in page.rows] == [cases["bogor"]]
    # A regency asking for its province or a sibling still gets its own region only.
    page = case_list(scope(bawaslu_bandung), CaseFilters(regency=BOGOR))
    assert [row.case for row in page.rows] == [cases["bandung"]]


def test_reveal_is_for_the_handlers_and_each_read_is_audited(bawaslu_bandung, bawaslu_bogor):
    case = make_case(reporter_email="rahasia@example.org")
    report = case.reports.get()
    contact = reveal_reporter(scope(bawaslu_bandung), report)
    assert contact == {
        "name": "Siti Pelapor",
        "email": "rahasia@example.org",
        "phone": "+6281234567890",
    }
    reveal_reporter(scope(bawaslu_bandung), report)
    views = AuditEvent.objects.filter(action="reporter.viewed", subject_id=str(report.pk))
    assert views.count() == 2
    event = views.first()
    assert event.details["tracking_code"] == report.tracking_code
    assert "rahasia@example.org" not in str(event.details) + event.subject
    viewer = member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU)
    kpu = member("analyst", JABAR, BANDUNG, kind=Organisation.Kind.KPU)
    for refused in (bawaslu_bogor, viewer, kpu):
        with pytest.raises(ScopeError):
            reveal_reporter(scope(refused), report)
    assert views.count() == 2
