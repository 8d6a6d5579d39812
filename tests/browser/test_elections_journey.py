"""The calendar on a 360 px phone: a regency admin finds their race and moves the quiet period;
the page fits the screen and the change is in the audit trail."""

from __future__ import annotations

from datetime import date

import pytest

from saring.audit.models import AuditEvent
from saring.elections.models import Stage
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)

RACE = "pilkada.1871.2024-11-27"


def test_a_regency_admin_moves_the_quiet_period_on_a_phone(
    phone_page, live_server, login, reference_data
):
    admin = member("admin", province="18", regency="18.71", username="admin.balam")
    page = phone_page
    login(page, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/elections/?kind=pilkada&region=18")
    page.get_by_role("link", name="Pilkada 2024 Kota Bandar Lampung").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/elections/{RACE}/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page is {width} px wide"
    row = page.locator("#edit-quiet")
    row.locator("input[name=starts_on]").fill("2024-11-23")
    row.locator("input[name=reason]").fill("Keputusan KPU Kota Bandar Lampung")
    row.get_by_role("button").click()
    page.wait_for_load_state()
    assert page.locator(".messages").count() == 1
    quiet = Stage.objects.get(election_id=RACE, kind="quiet")
    assert quiet.starts_on == date(2024, 11, 23)
    event = AuditEvent.objects.get(action="election.stage_changed")
    assert event.actor == admin.username and event.reason.startswith("Keputusan")
    assert not page.js_errors
