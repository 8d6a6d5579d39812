"""RESPOND end to end in headless Chromium: a member of the public reports a TikTok video from a
360 px phone and gets a code; a Bawaslu Kota Bandung analyst merges a duplicate case into it,
triages it on a legal basis and escalates it to TikTok; TikTok's liaison answers "removed";
the reporter's tracking page shows the outcome; the overdue list and the transparency export."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail

from saring.accounts.models import Organisation
from saring.cases.models import Case, Channel, Decision, Escalation, LegalBasis, Report
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO = "7311111111111111111"
COPY = "7322222222222222222"


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def _report_from_phone(page, base: str, url: str, description: str) -> str:
    page.goto(f"{base}/lapor/")
    page.wait_for_load_state("load")
    _fits(page)
    page.fill("#f-urls", url)
    page.check("#f-category-hoax")
    page.select_option("select[name=region]", "32.73")
    page.fill("input[name=seen_where]", "TikTok, For You")
    page.fill("textarea[name=description]", description)
    page.fill("input[name=reporter_name]", "Siti Pelapor")
    page.fill("input[name=reporter_email]", "siti.pelapor@example.org")
    page.check("input[name=good_faith]")
    page.check("input[name=consent]")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state("load")
    _fits(page)
    return page.locator("[data-tracking-code]").get_attribute("data-tracking-code")


def test_from_a_phone_report_to_the_platforms_answer(
    browser, phone_page, live_server, login, reference_data
):
    base = live_server.url
    analyst = member("analyst", "32", "32.73", kind=Organisation.Kind.BAWASLU,
                     username="bawaslu.bandung")  # fmt: skip
    liaison = member("analyst", kind=Organisation.Kind.PLATFORM, username="tiktok.liaison")
    tiktok = Channel.objects.create(
        name="TikTok", platform="tiktok", kind=Channel.Kind.EMAIL,
        organisation=liaison.membership.organisation, email_to="laporan@tiktok.example",
        answer_hours=48,
    )  # fmt: skip

    # 1. The public, on a phone, with a tracking parameter and a handle in the link.
    code = _report_from_phone(
        phone_page, base,
        f"https://www.tiktok.com/@info.tps/video/{VIDEO}?is_from_webapp=1&sender_device=pc",
        "Video ini bilang TPS dipindah ke hari Kamis. <script>alert(1)</script>",
    )  # fmt: skip
    assert code and code.startswith("LP-")
    case = Report.objects.get(tracking_code=code).case
    # A copy of the same claim in another video: a second case the analyst will merge.
    _report_from_phone(
        phone_page, base, f"https://m.tiktok.com/v/{COPY}.html", "Salinan video yang sama."
    )
    duplicate = Case.objects.exclude(pk=case.pk).get()
    # The same video again, written another way, joins the first case.
    _report_from_phone(phone_page, base, f"https://m.tiktok.com/@lain/video/{VIDEO}", "Sama.")
    assert case.reports.count() == 2 and Case.objects.count() == 2

    # 2. The Bawaslu Kota Bandung analyst.
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    officer = context.new_page()
    errors: list[str] = []
    officer.on("pageerror", lambda error: errors.append(str(error)))
    login(officer, analyst.username, PASSWORD)
    officer.goto(f"{base}/cases/")
    assert case.reference in officer.locator("main").inner_text()
    officer.goto(f"{base}/cases/{duplicate.pk}/")
    officer.fill("#merge-target", case.reference)
    officer.fill("#merge-form [name=why]", "Salinan video yang sama")
    officer.locator("#merge-form button[type=submit]").click()
    officer.wait_for_load_state("load")
    assert Case.objects.get(pk=duplicate.pk).merged_into_id == case.pk
    officer.goto(f"{base}/cases/{case.pk}/")
    assert "<script>alert(1)</script>" in officer.locator("main").inner_text()  # shown as text
    assert "siti.pelapor@example.org" not in officer.content()  # behind "show contact"
    basis = LegalBasis.objects.get(code="tiktok-election-integrity")
    officer.check("#valid-yes")
    officer.check(f"#basis-{basis.pk}")
    officer.locator("#triage-form button[type=submit]").click()
    officer.wait_for_load_state("load")
    assert Case.objects.get(pk=case.pk).state == "triaged"
    officer.select_option("#esc-channel", value=str(tiktok.pk))
    officer.locator("#escalate-form button[type=submit]").click()
    officer.wait_for_load_state("load")
    escalation = Escalation.objects.get(case=case)
    assert Case.objects.get(pk=case.pk).state == "escalated"
    assert any(escalation.reference in m.subject for m in mail.outbox)  # the packet by e-mail

    # 3. TikTok's liaison answers on the page.
    liaison_context = browser.new_context(viewport={"width": 360, "height": 740})
    answer = liaison_context.new_page()
    answer.on("pageerror", lambda error: errors.append(str(error)))
    login(answer, liaison.username, PASSWORD)
    answer.goto(f"{base}/escalations/")
    _fits(answer)
    answer.locator(f"a:has-text('{escalation.reference}')").first.click()
    answer.wait_for_load_state("load")
    _fits(answer)
    answer.check("#vis-removed")
    answer.check("#gr-terms")
    answer.fill("#dec-ref", "TT-2024-0001")
    answer.locator("#decision-form button[type=submit]").click()
    answer.wait_for_load_state("load")
    assert Decision.objects.get(escalation=escalation).visibility == "removed"
    assert Case.objects.get(pk=case.pk).state == "answered"

    # 4. The reporter's tracking page shows the outcome, and nobody's data.
    phone_page.goto(f"{base}/lapor/status/{code}/")
    phone_page.wait_for_load_state("load")
    _fits(phone_page)
    status = phone_page.locator("main").inner_text()
    assert "Dihapus" in status  # "Removed", in Indonesian
    assert "Siti Pelapor" not in status and "siti.pelapor" not in status

    # 5. The overdue list and the transparency export.
    officer.goto(f"{base}/cases/overdue/")
    assert officer.locator("main h1").count() == 1
    officer.goto(f"{base}/cases/transparency/")
    with officer.expect_download() as download:
        officer.locator("[data-export=csv]").click()
    exported = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "siti.pelapor" not in exported and "Siti" not in exported
    assert "32.73" in exported or "Bandung" in exported
    assert not errors and not phone_page.js_errors
    context.close()
    liaison_context.close()
