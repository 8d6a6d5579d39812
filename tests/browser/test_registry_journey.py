"""Known accounts on a 360 px phone: import a file, read the quarantined row's reason, fix it
in its box and re-run it, then find the account in the list; nothing wider than the screen."""

from __future__ import annotations

import pytest

from saring.registry.models import KnownAccount, QuarantinedAccountRow
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)

CSV = "platform,akun,nama,jenis,lembaga,wilayah\n" \
      "instagram,@KPU_Jabar,KPU Provinsi Jawa Barat,resmi,KPU,32\n" \
      "friendster,kpu_kotabandung,KPU Kota Bandung,resmi,KPU,32.73\n"  # fmt: skip


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide"


def test_import_fix_and_find_on_a_phone(phone_page, live_server, login, reference_data, tmp_path):
    page = phone_page
    user = member("analyst", province="32", username="analis.registry")
    login(page, user.username, PASSWORD)
    page.goto(f"{live_server.url}/registry/import/")
    _fits(page)
    path = tmp_path / "akun-jabar.csv"
    path.write_text(CSV, encoding="utf-8")
    page.set_input_files("input[type=file]", str(path))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/registry/import/*/")
    _fits(page)
    row = QuarantinedAccountRow.objects.get()
    item = page.locator(f"#row-{row.pk}")
    assert "friendster" in item.inner_text()
    item.locator("summary").click()
    box = item.locator("textarea")
    box.fill(box.input_value().replace("friendster", "facebook"))
    item.locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    assert QuarantinedAccountRow.objects.get().status == "resolved"
    assert KnownAccount.objects.filter(platform="facebook", handle="kpu_kotabandung").exists()
    page.goto(f"{live_server.url}/registry/?q=kpu_jabar")
    _fits(page)
    assert "@kpu_jabar" in page.locator("main").inner_text()
    page.goto(f"{live_server.url}/registry/new/")
    _fits(page)
    assert page.locator("label[for=id_handle]").count() == 1
    assert not page.js_errors
