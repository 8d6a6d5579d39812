"""Browser journey for issue #4: label posts from the queue, train, read the metrics, activate,
and see the scores and their explanation on the post page."""

from __future__ import annotations

import re

import pytest

from saring.accounts.scope import scope_for
from saring.harms import labels
from saring.harms.models import HarmModel
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl
from tests.harms.test_models import ABUSIVE, CLEAN

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin(tmp_path, reference_data):
    lines = [
        post_line(f"{kind}{i}", templates[i % 3].format(i=i))
        for i in range(14)
        for kind, templates in (("a", ABUSIVE), ("c", CLEAN))
    ]
    ingest_file(write_jsonl(tmp_path / "posts.jsonl", lines), "generic-jsonl")
    user = member("admin", username="admin.label")
    # Most labels exist already (a colleague's work); the journey adds some from the queue.
    for kind, present in (("a", True), ("c", False)):
        ids = Post.objects.filter(platform_id__regex=rf"^{kind}([0-9]|10)$").values_list(
            "id", flat=True
        )
        labels.set_labels(list(ids), {"abusive": present}, scope=scope_for(user))
    return user


def test_label_from_the_queue_train_activate_and_read_the_explanation(
    page, live_server, login, admin, tmp_path
):
    login(page, admin.username, PASSWORD)
    page.get_by_role("link", name="Label", exact=True).click()
    page.get_by_role("link", name="Antrean pelabelan").click()
    for _ in range(2):
        text = page.locator("#queue-post .post-text").inner_text()
        answer = "1" if any(w in text for w in ("bego", "goblok", "bangsat")) else "0"
        page.select_option("#label-abusive", answer)
        page.get_by_role("button", name="Simpan dan lanjut").click()
        page.wait_for_load_state()

    page.get_by_role("link", name="Label", exact=True).click()
    wrong = tmp_path / "ekspor.csv"  # a spreadsheet export with the wrong columns
    wrong.write_text("isi,HS\nhalo,0\n", encoding="utf-8")
    page.get_by_label("CSV berlabel (opsional)").set_input_files(str(wrong))
    page.get_by_role("button", name="Mulai pelatihan").click()
    assert "ekspor.csv: tidak ada kolom teks" in page.get_by_role("alert").first.inner_text()
    assert not HarmModel.objects.exists()  # refused before any version is made

    page.get_by_role("button", name="Mulai pelatihan").click()  # immediate tasks in tests
    model = HarmModel.objects.get()
    assert model.status == "ready", model.error
    card = page.locator(f"#model-v{model.version}")
    assert "abusive" in card.inner_text() and "F1" in card.inner_text()
    card.get_by_role("button", name="Aktifkan").click()
    assert HarmModel.objects.get().status == "active"

    post = Post.objects.get(platform_id="a13")  # never labelled
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    scores = page.locator("#model-scores").inner_text()
    assert re.search(r"Bahasa kasar [01],\d\d", scores)  # Indonesian decimal comma
    assert "dinaikkan oleh" in scores
    assert not page.js_errors
