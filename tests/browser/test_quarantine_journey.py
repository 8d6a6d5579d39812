"""The quarantine page in a real browser keeps the raw record whole (issue 9): retrying it
unedited retries the stored payload (however the browser sends the textarea back), and a fix
typed into it is saved and imported as typed."""

from __future__ import annotations

import pytest

from saring.accounts.scope import scope_for
from saring.factcheck.imports import import_clarifications
from saring.factcheck.models import Clarification
from saring.monitoring.models import QuarantinedRecord
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "id,judul,narasi,label,penjelasan"
LONG = "Penjelasan panjang. " * 1500  # 30,000 characters: more than the page used to show


@pytest.fixture
def analyst(tmp_path, reference_data):
    user = member("analyst", province="32", username="analis.karantina")
    path = tmp_path / "klarifikasi.csv"
    path.write_text(
        f"{HEADER}\nb,Pemilu tetap 14 Februari,Pemilu 2024 ditunda,,{LONG}\n", encoding="utf-8"
    )
    summary = import_clarifications(path, "csv", scope=scope_for(user), user=user)
    assert summary.rejected == 1
    return user


def test_retry_unedited_then_fixed_from_the_quarantine_page(page, live_server, login, analyst):
    record = QuarantinedRecord.objects.get()
    stored = record.payload
    assert len(stored) > 30_000 and "\n" in stored
    login(page, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/quarantine/")
    item = page.locator(f"#q-{record.pk}")
    item.locator("summary").click()
    box = item.locator("textarea")
    assert box.input_value().replace("\r\n", "\n") == stored  # the whole record, not a cut
    item.get_by_role("button", name="Coba lagi").click()
    page.wait_for_load_state()
    record.refresh_from_db()
    assert (record.status, record.attempts, record.payload) == ("open", 2, stored)

    item = page.locator(f"#q-{record.pk}")
    item.locator("summary").click()
    fixed = stored.replace("ditunda,,", "ditunda,Hoaks,")
    item.locator("textarea").fill(fixed)
    item.get_by_role("button", name="Coba lagi").click()
    page.wait_for_load_state()
    record.refresh_from_db()
    assert record.status == "resolved"
    clarification = Clarification.objects.get(external_id="b")
    assert (clarification.verdict, clarification.explanation) == ("HOAKS", LONG.strip())
    assert not page.js_errors
