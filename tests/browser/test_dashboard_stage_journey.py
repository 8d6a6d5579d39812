"""Browser journey: an officer narrows the dashboard to the Pemilu 2024 quiet period and then
widens it to every post.

Posts of three stages (campaign, quiet period, voting day), each with an election post and an
everyday one, are imported from a JSONL file. The dashboard opens on election posts; picking the
stage "Masa tenang" (quiet period) counts and lists only the quiet period's election post; the
one-click "all posts" link keeps the stage and adds the everyday post of those days.
"""

from __future__ import annotations

import pytest

from saring.elections.models import Stage
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)
PEMILU = "pemilu.2024-02-14"
QUIET_KEY = f"{PEMILU}:quiet"

# platform id -> (hours after 10 Feb 2024 08:00 UTC, stage kind, text); 15:00 WIB on day one
POSTS = {
    "kampanye": (0, "campaign", "Kampanye akbar capres di Bandung hari ini, ayo datang"),
    "banjir": (1, "campaign", "Banjir setinggi lutut di Kemang pagi ini, hati-hati"),
    "tenang": (26, "quiet", "Masa tenang tapi masih ada baliho caleg di dekat TPS"),
    "mieayam": (27, "quiet", "Mie ayam enak dekat stasiun, antre panjang sekali"),
    "coblos": (96, "voting", "Sudah nyoblos di TPS 12, antre sebentar saja"),
}


@pytest.fixture
def officer(tmp_path, reference_data):
    lines = [
        post_line(pid, text, hours=hours, views=1000 * (i + 1))
        for i, (pid, (hours, _, text)) in enumerate(POSTS.items())
    ]
    ingest_file(write_jsonl(tmp_path / "stages.jsonl", lines), "generic-jsonl")
    # Ingest assigns stages where the elections code does; set any it left empty.
    for pid, (_, kind, _) in POSTS.items():
        Post.objects.filter(platform_id=pid, stage__isnull=True).update(
            stage=Stage.objects.get(election_id=PEMILU, kind=kind)
        )
    return member("analyst", username="analis.tahapan")


def _listed(page) -> str:
    return page.locator("#grow-h + ul").inner_text()


def test_officer_filters_the_dashboard_by_the_quiet_period_then_sees_everything(
    page, live_server, login, officer
):
    login(page, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    opened = _listed(page)
    assert "Kampanye akbar" in opened and "Banjir" not in opened  # election posts first

    page.select_option("#id_stage", QUIET_KEY)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(f"**stage={QUIET_KEY.replace(':', '%3A')}**")
    assert page.locator(".kpi b").first.inner_text() == "1"
    quiet = _listed(page)
    assert "Masa tenang" in quiet
    assert "Kampanye akbar" not in quiet and "Sudah nyoblos" not in quiet
    assert "Mie ayam" not in quiet
    assert page.locator("#id_scope").input_value() == "election"

    page.locator("a[data-scope=all]").click()
    page.wait_for_url("**scope=all**")
    assert page.locator("#id_stage").input_value() == QUIET_KEY  # the stage is kept
    assert page.locator("#id_scope").input_value() == "all"
    assert page.locator(".kpi b").first.inner_text() == "2"
    everything = _listed(page)
    assert "Mie ayam" in everything and "Masa tenang" in everything
    assert "Banjir" not in everything  # another stage
    assert not page.js_errors


def test_the_filtered_lists_fit_a_phone(phone_page, live_server, login, officer):
    login(phone_page, officer.username, PASSWORD)
    for path in ("/", f"/posts/?stage={QUIET_KEY}&scope=all", "/narratives/?growing=on"):
        phone_page.goto(f"{live_server.url}{path}")
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide on a 360px phone"
        assert phone_page.locator("#scope-toggle a").count() == 1
