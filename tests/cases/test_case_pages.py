"""The case pages: list, case page (contact only after an audited reveal), findings from the
post, narrative and search pages, triage and merge through the forms, and the nav link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from saring.accounts.models import Organisation
from saring.audit.models import AuditEvent
from saring.cases.models import Case, LegalBasis
from saring.factcheck.models import Narrative, PostNarrative
from saring.monitoring.models import Post
from tests.cases.conftest import BANDUNG, BOGOR, JABAR, make_case
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
T0 = datetime(2024, 2, 5, 9, 0, tzinfo=UTC)


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(n: int) -> Post:
    return Post.objects.create(
        platform="tiktok",
        platform_id=f"7511{n:06d}",
        url=f"https://www.tiktok.com/@a/video/7511{n:06d}",
        author_handle="a",
        text=f"Hoaks nomor {n}",
        created_at=T0,
        observed_at=T0 + timedelta(hours=1),
        province_id=JABAR,
        regency_id=BANDUNG,
    )


def test_the_list_shows_the_offices_cases_with_filters(client, bawaslu_bandung):
    mine, theirs = make_case(title="Video hoaks TPS"), make_case(regency=BOGOR)
    overdue = make_case(follow_up_due=datetime(2024, 1, 1, tzinfo=UTC))
    html = login(client, bawaslu_bandung).get(reverse("web:cases")).content.decode()
    assert f'data-case="{mine.pk}"' in html and f'data-case="{theirs.pk}"' not in html
    assert 'data-platform="tiktok"' in html and 'data-overdue="1"' in html
    response = client.get(reverse("web:cases"), {"overdue": "1"})
    rows = response.content.decode()
    assert f'data-case="{overdue.pk}"' in rows and f'data-case="{mine.pk}"' not in rows
    response = client.get(reverse("web:cases"), {"q": mine.reference})
    assert f'data-case="{mine.pk}"' in response.content.decode()


def test_a_platform_liaison_gets_no_case_pages(client, tiktok_liaison):
    login(client, tiktok_liaison)
    assert client.get(reverse("web:cases")).status_code == 403
    assert client.get(reverse("web:case", args=[make_case().pk])).status_code == 404


def test_the_nav_link_is_for_handlers_and_kpu(client, bawaslu_bandung, tiktok_liaison):
    assert 'data-nav="cases"' in login(client, bawaslu_bandung).get("/").content.decode()
    client.logout()
    assert 'data-nav="cases"' not in login(client, tiktok_liaison).get("/").content.decode()
    client.logout()
    kpu = member("viewer", JABAR, kind=Organisation.Kind.KPU)
    assert 'data-nav="cases"' in login(client, kpu).get("/").content.decode()


def test_the_case_page_hides_the_contact_until_revealed(client, bawaslu_bandung):
    case = make_case(reporter_email="pelapor.rahasia@example.org")
    report = case.reports.get()
    login(client, bawaslu_bandung)
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "pelapor.rahasia@example.org" not in html and "+6281234567890" not in html
    assert f'data-reveal="{report.pk}"' in html
    assert 'id="triage-form"' in html and 'data-move="rejected"' in html
    assert 'data-move="closed"' not in html  # received → closed is not in the table
    response = client.post(reverse("web:case_reveal", args=[case.pk]), {"report": report.pk})
    assert response.status_code == 200
    assert "pelapor.rahasia@example.org" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert (
        AuditEvent.objects.filter(action="reporter.viewed", subject_id=str(report.pk)).count() == 1
    )
    # The next ordinary view does not show it again.
    assert "pelapor.rahasia" not in client.get(reverse("web:case", args=[case.pk])).content.decode()


def test_a_viewer_reads_the_case_but_cannot_reveal_or_act(client):
    case = make_case(reporter_email="pelapor.rahasia@example.org")
    viewer = member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU)
    login(client, viewer)
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert "data-reveal" not in html and 'id="triage-form"' not in html
    response = client.post(
        reverse("web:case_reveal", args=[case.pk]), {"report": case.reports.get().pk}
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="reporter.viewed").exists()


def test_html_in_a_report_is_escaped(client, bawaslu_bandung):
    case = make_case()
    case.reports.update(description="<script>alert(1)</script>")
    html = login(client, bawaslu_bandung).get(reverse("web:case", args=[case.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_triage_and_merge_through_the_forms(client, bawaslu_bandung):
    case, other = make_case(), make_case()
    basis = (
        LegalBasis.objects.filter(categories__icontains="hoax").first()
        or LegalBasis.objects.first()
    )
    login(client, bawaslu_bandung)
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'data-suggested="1"' in html
    response = client.post(
        reverse("web:case_triage", args=[case.pk]),
        {
            "valid": "yes",
            "category": "hoax",
            "bases": [basis.pk],
            "region": BANDUNG,
            "priority": "3",
            "assignee": bawaslu_bandung.pk,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "triaged" and list(case.bases.all()) == [basis]
    response = client.post(
        reverse("web:case_merge", args=[other.pk]), {"target": case.reference, "why": "duplikat"}
    )
    assert response.url == reverse("web:case", args=[case.pk])
    assert Case.objects.get(pk=other.pk).state == "merged"
    html = client.get(reverse("web:case", args=[case.pk])).content.decode()
    assert 'data-action="case.merged"' in html and 'data-action="case.triaged"' in html


def test_findings_from_the_post_narrative_and_search_pages(client, bawaslu_bandung):
    login(client, bawaslu_bandung)
    one = post(1)
    page = client.get(reverse("web:post", args=[one.pk])).content.decode()
    assert 'id="report-this"' in page and reverse("web:case_finding") in page
    # Step 1 asks for the category; step 2 opens the case.
    step = client.post(reverse("web:case_finding"), {"post": one.pk})
    assert step.status_code == 200 and 'id="finding-form"' in step.content.decode()
    done = client.post(reverse("web:case_finding"), {"post": one.pk, "category": "hoax"})
    case = Case.objects.get()
    assert done.url == reverse("web:case", args=[case.pk]) and case.origin == "officer"
    narrative = Narrative.objects.create(number=9201)
    for n in (2, 3):
        PostNarrative.objects.create(post=post(n), narrative=narrative, how="copy")
    page = client.get(reverse("web:narrative", args=[narrative.number])).content.decode()
    assert 'name="narrative"' in page
    client.post(reverse("web:case_finding"), {"narrative": narrative.number, "category": "hoax"})
    assert Case.objects.get(narrative=narrative).items.count() == 2
    # From search results: the selected posts, one already in a case.
    fresh = post(4)
    response = client.post(
        reverse("web:case_finding"), {"post": [one.pk, fresh.pk], "category": "hoax"}, follow=True
    )
    assert Case.objects.count() == 3
    assert f"tiktok:{one.platform_id}" in response.content.decode()  # reported as skipped
    search = client.get(reverse("web:search"), {"scope": "all"}).content.decode()
    assert 'form="report-selected"' in search and 'id="report-selected"' in search


def test_the_admin_saves_bases_through_the_service_and_shows_no_personal_data(client):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    login(client, root)
    basis = LegalBasis.objects.first()
    url = reverse("admin:cases_legalbasis_change", args=[basis.pk])
    form = {
        "code": basis.code,
        "kind": basis.kind,
        "citation": basis.citation,
        "summary_id": basis.summary_id,
        "summary_en": "Changed in the admin.",
        "platform": basis.platform,
        "categories": '["hoax"]',
        "url": basis.url,
        "is_active": "on",
        "order": basis.order,
    }
    assert client.post(url, form).status_code == 302
    assert LegalBasis.objects.get(pk=basis.pk).summary_en == "Changed in the admin."
    assert AuditEvent.objects.filter(action="legal_basis.saved", subject_id=str(basis.pk)).exists()
    case = make_case(reporter_email="admin.tidak.lihat@example.org")
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    assert page.status_code == 200 and case.reports.get().tracking_code in page.content.decode()
    assert "admin.tidak.lihat@example.org" not in page.content.decode()
