"""Who speaks, in the browser: a national admin imports a known-accounts file with one bad row,
sees that row in the import's quarantine, then finds an official account's post marked official
(its money-politics hit shown as a counter-message, not a harm) and an impostor's post flagged
with the official account it imitates. The posts were imported before the registry: the
import's REGISTRY_CHANGED hook re-reads who speaks in them."""

from __future__ import annotations

import pytest

from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from saring.registry.models import QuarantinedAccountRow
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    "platform,akun,nama,jenis,lembaga,wilayah\n"
    "x,@bawaslu_ri,Bawaslu RI,resmi,Bawaslu,\n"
    "x,kpu_ri,KPU RI,resmi,KPU,\n"
    "myspace,kpu_kotabandung,KPU Kota Bandung,resmi,KPU,32.73\n"  # no such platform
)


def test_admin_imports_the_registry_and_sees_who_speaks(
    page, live_server, login, reference_data, tmp_path
):
    ingest_file(
        write_jsonl(
            tmp_path / "posts.jsonl",
            [
                post_line(
                    "official-1",
                    "Tolak politik uang! Pemberi politik uang dapat dipidana.",
                    author_handle="bawaslu_ri",
                    author_name="Bawaslu RI",
                ),
                post_line(
                    "impostor-1",
                    "PENGUMUMAN: pemungutan suara diundur ke 21 Februari!",
                    author_handle="kpu_rii",
                    author_name="KPU RI Official",
                    hours=1,
                ),
            ],
        ),
        "generic-jsonl",
    )
    assert set(Post.objects.values_list("speaker", "account_flag")) == {("", "")}
    admin = member("admin", username="admin.speakers")
    login(page, admin.username, PASSWORD)

    page.goto(f"{live_server.url}/registry/import/")
    path = tmp_path / "akun-resmi.csv"
    path.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(path))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/registry/import/*/")
    bad = QuarantinedAccountRow.objects.get()
    assert "myspace" in page.locator(f"#row-{bad.pk}").inner_text()

    official = Post.objects.get(platform_id="official-1")
    assert official.speaker == "official"
    page.goto(f"{live_server.url}/posts/{official.pk}/")
    badge = page.locator("#speaker [data-speaker=official]")
    assert badge.count() == 1 and "Bawaslu" in badge.inner_text()
    assert page.locator("#counter-note").count() == 1
    assert page.locator("section[aria-labelledby=flags-h] .tag.counter").count() >= 1
    assert page.locator("section[aria-labelledby=flags-h] .tag.flag").count() == 0

    impostor = Post.objects.get(platform_id="impostor-1")
    page.goto(f"{live_server.url}/posts/{impostor.pk}/")
    flag = page.locator("#speaker [data-account-flag=impostor]")
    assert flag.count() == 1 and "@kpu_ri" in flag.inner_text()
    page.set_viewport_size({"width": 360, "height": 740})  # the badges wrap on a phone
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.js_errors
