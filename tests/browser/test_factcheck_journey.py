"""Browser journey for issue #3: publish a clarification, see posts linked to it, confirm and
reject suggestions with the keyboard, open the narrative and its growth curve."""

from __future__ import annotations

import json
import re

import pytest

from saring.factcheck import matching
from saring.factcheck.models import Clarification, PostMatch
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

COPIES = [
    "Surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik Kota Bandung!!",
    "surat suara udh dicoblos duluan sblm hari H di gudang logistik, parah",
    "Viral surat suara tercoblos di gudang logistik sebelum hari pencoblosan, sebarkan",
    "Katanya surat suara sudah dicoblos sebelum hari pencoblosan di gudang logistik kota",
]


@pytest.fixture
def admin(tmp_path, reference_data):
    matching.reset_index()
    user = member("admin", username="admin.klarifikasi")
    lines = [post_line(str(i), text, platform="tiktok", hours=i) for i, text in enumerate(COPIES)]
    lines.append(post_line("c1", "Resep nasi goreng kampung yang enak dan murah meriah"))
    ingest_file(write_jsonl(tmp_path / "posts.jsonl", lines), "generic-jsonl")
    yield user
    matching.reset_index()


def test_publish_a_clarification_review_matches_and_open_the_narrative(
    page, live_server, login, admin
):
    login(page, admin.username, PASSWORD)
    page.get_by_role("link", name="Klarifikasi").click()
    page.get_by_role("link", name="Klarifikasi baru").click()
    page.fill("#id_claim_text", "Surat suara sudah dicoblos sebelum hari pemungutan suara")
    page.fill("#id_headline", "Surat suara tidak dicoblos sebelum hari pemungutan suara")
    page.select_option("#id_verdict", "SALAH")
    page.fill("#id_explanation", "Surat suara dikirim kosong dan tersegel.")
    page.get_by_role("button", name="Terbitkan").click()
    # The form posts and redirects; wait for the redirect to land before reading or reloading.
    page.wait_for_url(re.compile(r"/clarifications/\d+/$"))
    page.wait_for_load_state()

    # Published: matched backwards at once; the page counts the posts it answers.
    clarification = Clarification.objects.get()
    linked_or_suggested = PostMatch.objects.filter(clarification=clarification)
    assert linked_or_suggested.count() >= 3
    assert not linked_or_suggested.filter(post__platform_id="c1").exists()
    page.goto(page.url)
    answered = int(page.locator("#reach-posts").inner_text().replace(".", ""))
    assert answered == clarification.matches.filter(decision__in=PostMatch.LINKED).count()

    # Turn two links into suggestions so the queue has work, then decide with the keyboard.
    first, second = list(linked_or_suggested.order_by("id")[:2])
    linked_or_suggested.update(decision="auto")
    PostMatch.objects.filter(id__in=[first.id, second.id]).update(decision="suggested")
    page.get_by_role("link", name="Klarifikasi", exact=True).click()
    page.get_by_role("link", name="Tinjau saran pencocokan").click()
    page.wait_for_selector("#review-remaining[data-remaining='2']")
    # The keys work once the page's script has loaded; each key posts the decision and the page
    # shows the next one: wait until it says one is left, or the second key is lost.
    page.wait_for_load_state("load")
    page.keyboard.press("y")
    page.wait_for_selector("#review-remaining[data-remaining='1']")
    page.wait_for_load_state("load")
    page.keyboard.press("n")
    page.wait_for_selector("#review-empty")
    decisions = sorted(
        PostMatch.objects.filter(id__in=[first.id, second.id]).values_list("decision", flat=True)
    )
    assert decisions == ["confirmed", "rejected"]

    # The copies form one narrative with a growth curve and the clarification linked.
    page.goto(f"{live_server.url}/posts/{first.post_id}/")
    page.get_by_role("link", name=re.compile(r"^N\d+")).click()
    assert page.locator("#volume-chart").is_visible()
    assert "Surat suara" in page.locator("#narrative-representative").inner_text()
    assert "Surat suara tidak dicoblos" in page.locator("main").inner_text()
    assert not page.js_errors

    # One of the posts tells another story: split it off into a new narrative.
    source = page.url
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Pindahkan unggahan terpilih ke narasi baru").click()
    page.wait_for_url(lambda url: url != source)
    assert "1 unggahan dipindahkan ke narasi baru" in page.locator("main").inner_text()
    assert "Dipisah" in page.locator("main").inner_text()


def test_import_a_fact_check_file_with_a_bad_item_and_fix_it_in_the_quarantine(
    page, live_server, login, admin, tmp_path
):
    good = {
        "@type": "ClaimReview",
        "url": "https://kpu.example/k/1",
        "claimReviewed": "Pemilu 2024 ditunda",
        "headline": "Pemilu 2024 tidak ditunda",
        "reviewRating": {"alternateName": "Salah"},
    }
    bad = {**good, "url": "https://kpu.example/k/2", "reviewRating": {}}
    path = tmp_path / "kpu.json"
    path.write_text(json.dumps([good, bad]), encoding="utf-8")
    login(page, admin.username, PASSWORD)
    page.get_by_role("link", name="Klarifikasi").click()
    page.get_by_text("Impor berkas cek fakta").click()
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Impor", exact=True).click()
    page.wait_for_selector("#run-counts")
    assert page.locator("[data-count=created]").inner_text() == "1"
    assert page.locator("[data-count=quarantined]").inner_text() == "1"
    page.get_by_role("link", name=re.compile("karantina", re.IGNORECASE)).first.click()
    assert "reviewRating" in page.locator("main").inner_text()
    assert not page.js_errors
