"""In a real browser, a watchlist's re-scoring shows N of M posts and the page ends on "done"
by itself (htmx polling, no reload), as the imports' progress does (issue #10 §3)."""

from __future__ import annotations

import pytest

from saring.accounts.scope import scope_for
from saring.monitoring.models import Watchlist
from saring.monitoring.services.watchlists import save_watchlist
from saring.taxonomy.models import HarmCategory
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_watchlist_page_follows_the_rescoring_to_done(page, live_server, login, reference_data):
    admin = member("admin", username="admin.pantau")
    watchlist = save_watchlist(
        scope_for(admin),
        name="Beras",
        category=HarmCategory.objects.get(code="black_campaign"),
        terms="penimbunan",
    )
    Watchlist.objects.filter(pk=watchlist.pk).update(
        rescore_state="running", rescore_done=1200, rescore_total=4000
    )
    login(page, admin.username, PASSWORD)
    page.goto(f"{live_server.url}/watchlists/{watchlist.pk}/")
    box = page.locator(f"#rescore-{watchlist.pk}")
    assert box.get_attribute("data-rescore") == "running"
    assert page.locator("[data-progress='1200/4000']").count() == 1
    Watchlist.objects.filter(pk=watchlist.pk).update(rescore_done=3000)
    page.wait_for_selector("[data-progress='3000/4000']", timeout=5000)
    Watchlist.objects.filter(pk=watchlist.pk).update(
        rescore_state="done", rescore_done=4000, rescored_version=watchlist.version
    )
    page.wait_for_selector(f"#rescore-{watchlist.pk}[data-rescore='done']", timeout=5000)
    assert not page.js_errors
