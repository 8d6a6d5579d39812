"""The overdue list, the transparency page and exports, and a case's messages page: handlers
only, within their region, no personal data."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from saring.accounts.models import Organisation
from saring.cases.models import Notification
from tests.cases.conftest import BOGOR, make_case
from tests.factories import member

H = timedelta(hours=1)


@pytest.fixture
def kpu_user():
    return member("analyst", "32", kind=Organisation.Kind.KPU)


@pytest.mark.django_db
def test_overdue_page_lists_the_scopes_cases_most_overdue_first(
    client, bawaslu_bandung, bawaslu_bogor
):
    now = timezone.now()
    a = make_case(state="triaged", follow_up_due=now - H, assignee=bawaslu_bandung)
    b = make_case(state="escalated", platform_due=now - 5 * H)
    soon = make_case(state="received", follow_up_due=now + 3 * H)
    make_case(state="received", follow_up_due=now + 48 * H)
    sibling = make_case(regency=BOGOR, state="triaged", follow_up_due=now - 9 * H)
    client.force_login(bawaslu_bandung)
    response = client.get(reverse("web:cases_overdue"))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.find(f'data-case="{c.pk}"') for c in (b, a, soon)]
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert f'data-case="{sibling.pk}"' not in html
    assert 'data-overdue-count="2"' in html
    assert 'data-deadline="platform"' in html
    assert "UU 7/2017 Pasal 454" in html  # the follow-up's source (DeadlineRule)
    assert bawaslu_bandung.get_username() in html
    assert "Siti Pelapor" not in html and "pelapor@example.org" not in html


@pytest.mark.django_db
def test_overdue_and_transparency_refuse_non_handlers(client, kpu_user, tiktok_liaison):
    for user in (kpu_user, tiktok_liaison):
        client.force_login(user)
        for name in ("web:cases_overdue", "web:cases_transparency"):
            assert client.get(reverse(name)).status_code == 403
        url = reverse("web:cases_transparency_export", args=["csv"])
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(reverse("web:cases_overdue")).status_code == 302  # to the login


@pytest.mark.django_db
def test_transparency_page_and_exports(client, bawaslu_jabar, bawaslu_bandung):
    case = make_case(is_valid=True)
    make_case(regency=BOGOR)
    client.force_login(bawaslu_jabar)
    month = timezone.localdate().strftime("%Y-%m")
    query = f"?from={month}&to={month}&group_by=region&group_by=category"
    response = client.get(reverse("web:cases_transparency") + query)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="cases">2<' in html
    assert f'data-period="{month}/{month}"' in html
    assert 'data-column="category_name"' in html and 'data-column="region_name"' in html
    assert "group_by=category" in html  # the export links keep the filters

    response = client.get(reverse("web:cases_transparency_export", args=["csv"]) + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["region_code"] for r in rows) == ["32.01", "32.73"]
    for leaked in ("Siti Pelapor", "pelapor@example.org", "+6281234567890", case.title):
        assert leaked not in text

    response = client.get(reverse("web:cases_transparency_export", args=["xlsx"]) + query)
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(reverse("web:cases_transparency_export", args=["pdf"])).status_code == 404


@pytest.mark.django_db
def test_transparency_bad_month_shows_an_error_not_a_crash(client, bawaslu_ri):
    client.force_login(bawaslu_ri)
    response = client.get(reverse("web:cases_transparency") + "?from=kemarin&group_by=nope")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_messages_page_shows_status_without_contact(client, bawaslu_bandung, bawaslu_bogor):
    case = make_case()
    report = case.reports.get()
    Notification.objects.create(
        report=report,
        medium="sms",
        event="triaged:7",
        status="failed",
        last_error="SMS is off (SARING_SMS_URL is empty) and there is no e-mail address",
    )
    client.force_login(bawaslu_bandung)
    response = client.get(reverse("web:case_messages", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="failed"' in html and "SMS is off" in html
    assert report.tracking_code in html
    for leaked in ("Siti Pelapor", "pelapor@example.org", "+6281234567890"):
        assert leaked not in html
    client.force_login(bawaslu_bogor)  # a sibling regency
    assert client.get(reverse("web:case_messages", args=[case.pk])).status_code == 404
