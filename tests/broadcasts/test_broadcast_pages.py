"""The officers' broadcast pages (saring.web.views.broadcasts) through Django's test client in
the Indonesian context: lists, CSV import with its per-line report, rejected rows and retry,
composing with the server-side segment check, a broadcast's page and its buttons."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saring.accounts.models import Organisation
from saring.accounts.scope import scope_for
from saring.broadcasts.models import Broadcast, Delivery, ImportRow, Recipient, RecipientList
from saring.broadcasts.services import compose, sending
from saring.broadcasts.services.recipients import create_list, import_csv
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

CSV = "nomor;kabupaten\n081200000001;32.05\n081200000002;Garut\n0812;32.05\n081200000003;32.73\n"
NUMBERS = ("81200000001", "81200000002", "81200000003")


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "id"
    return client


@pytest.fixture
def analyst():
    return member("analyst", "32")


@pytest.fixture
def jabar(analyst):
    made = create_list(scope_for(analyst), "Pemilih Jabar")
    import_csv(scope_for(analyst), made, io.BytesIO(CSV.encode()), "jabar.csv")
    return made


def html_of(response) -> str:
    return response.content.decode()


def assert_no_numbers(html: str) -> None:
    for number in NUMBERS:
        assert number not in html


def test_nav_link_and_the_list_pages(client, analyst, jabar):
    login(client, analyst)
    page = client.get(reverse("web:broadcasts"))
    assert page.status_code == 200
    assert 'data-nav="broadcasts"' in html_of(page) and 'data-action="compose"' in html_of(page)
    lists = client.get(reverse("web:broadcast_lists"))
    assert f'data-list="{jabar.pk}"' in html_of(lists)
    detail = client.get(reverse("web:broadcast_recipient_list", args=[jabar.pk]))
    body = html_of(detail)
    assert 'data-counter="size"' in body and ">3<" in body
    assert 'data-action="import"' in body
    assert_no_numbers(body)


def test_a_viewer_reads_but_cannot_import_or_compose(client, jabar):
    login(client, member("viewer", "32"))
    detail = client.get(reverse("web:broadcast_recipient_list", args=[jabar.pk]))
    assert detail.status_code == 200 and 'data-action="import"' not in html_of(detail)
    assert client.get(reverse("web:broadcast_new")).status_code == 403
    upload = SimpleUploadedFile("x.csv", b"hp\n081200000009\n", content_type="text/csv")
    refused = client.post(reverse("web:broadcast_list_import", args=[jabar.pk]), {"file": upload})
    assert refused.status_code == 403
    assert Recipient.objects.count() == 3


def test_a_sibling_region_does_not_see_the_list(client, jabar):
    login(client, member("analyst", "33"))
    assert client.get(reverse("web:broadcast_recipient_list", args=[jabar.pk])).status_code == 404
    assert f'data-list="{jabar.pk}"' not in html_of(client.get(reverse("web:broadcast_lists")))


def test_create_a_list_and_import_with_a_per_line_report(client, analyst):
    login(client, analyst)
    created = client.post(reverse("web:broadcast_list_new"), {"name": "Garut", "region": "32.05"})
    made = RecipientList.objects.get(name="Garut")
    assert created.status_code == 302 and (made.province_id, made.regency_id) == ("32", "32.05")
    csv = "hp,kabupaten\n081200000001,32.05\n081200000002,32.73\nbukan,\n"
    upload = SimpleUploadedFile("garut.csv", csv.encode(), content_type="text/csv")
    answer = client.post(
        reverse("web:broadcast_list_import", args=[made.pk]),
        {"file": upload, "phone_channel": "whatsapp"},
    )
    body = html_of(answer)
    assert answer.status_code == 200
    assert re.search(r'data-imported="1" data-duplicates="0" data-rejected="2"', body)
    assert 'data-line="3"' in body and 'data-line="4"' in body  # outside Garut; not a number
    assert Recipient.objects.get(recipient_list=made).channel == "whatsapp"
    assert_no_numbers(body)
    bad = client.post(
        reverse("web:broadcast_list_import", args=[made.pk]),
        {"file": SimpleUploadedFile("x.csv", b"nama\nAni\n"), "phone_channel": "sms"},
    )
    assert bad.status_code == 400


def test_rejected_rows_are_masked_and_retried(client, analyst, jabar):
    login(client, analyst)
    row = ImportRow.objects.get(recipient_list=jabar)
    page = client.get(reverse("web:broadcast_list_rejected", args=[jabar.pk]))
    body = html_of(page)
    assert f'id="row-{row.pk}"' in body and "nomor;kabupaten" in body
    still_bad = client.post(
        reverse("web:broadcast_row_retry", args=[row.pk]), {"row": "0812;32.05"}
    )
    assert still_bad.status_code == 302 and ImportRow.objects.filter(pk=row.pk).exists()
    fixed = client.post(
        reverse("web:broadcast_row_retry", args=[row.pk]), {"row": "081200000004;32.05"}
    )
    assert fixed.status_code == 302 and not ImportRow.objects.filter(pk=row.pk).exists()
    assert Recipient.objects.filter(recipient_list=jabar).count() == 4


def test_compose_check_shows_the_count_and_save_refuses_over_the_limit(client, analyst, jabar):
    login(client, analyst)
    url = reverse("web:broadcast_new")
    assert client.get(url).status_code == 200
    form = {
        "title": "Hari H",
        "channel": "sms",
        "text": "Datang ke TPS “27 November”",
        "lists": [str(jabar.pk)],
        "target_province": "",
        "target_regency": "32.05",
        "rate_per_second": "50",
    }
    checked = client.post(url, {**form, "check": "1"})
    body = html_of(checked)
    assert checked.status_code == 200
    assert 'data-segments="1" data-encoding="ucs2" data-characters="27"' in body
    assert not Broadcast.objects.exists()  # Check saves nothing
    only_text = client.post(url, {"channel": "sms", "text": "Halo", "check": "1"})
    assert only_text.status_code == 200 and 'class="errorlist' not in html_of(only_text)
    assert 'data-segments="1" data-encoding="gsm7" data-characters="4"' in html_of(only_text)
    too_long = client.post(url, {**form, "text": "a" * 460, "save": "1"})
    assert too_long.status_code == 400 and 'data-segments="4"' in html_of(too_long)
    assert not Broadcast.objects.exists()
    saved = client.post(url, {**form, "save": "1"})
    made = Broadcast.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "web:broadcast", args=[made.pk]
    )
    assert made.target_regency_id == "32.05" and list(made.lists.all()) == [jabar]


def plan_only(broadcast_id: int) -> None:
    """The queued run's first step (planning), without calling a gateway."""
    sending.plan(Broadcast.objects.get(pk=broadcast_id))


def test_broadcast_page_buttons_send_and_reach(client, analyst, jabar, monkeypatch):
    monkeypatch.setattr(sending, "_enqueue", plan_only)
    made = compose.save_broadcast(
        scope_for(analyst), title="Hari H", text="Ayo ke TPS", channel="sms", lists=[jabar]
    )
    login(client, analyst)
    url = reverse("web:broadcast", args=[made.pk])
    body = html_of(client.get(url))
    for action in ("edit", "send_now", "schedule", "cancel"):
        assert f'data-action="{action}"' in body
    assert 'data-audience="3"' in body
    action_url = reverse("web:broadcast_action", args=[made.pk])
    assert client.post(action_url, {"action": "send_now"}).status_code == 302
    made.refresh_from_db()
    assert made.state == "sending" and made.planned == 3
    body = html_of(client.get(url))
    assert 'data-action="pause"' in body and 'data-action="send_now"' not in body
    assert 'http-equiv="refresh"' in body  # the counters move without JavaScript
    assert 'data-region="32.05"' in body and 'data-region="32.73"' in body
    assert_no_numbers(body)
    Delivery.objects.filter(broadcast=made).update(state="delivered")
    client.post(action_url, {"action": "pause"})
    made.refresh_from_db()
    assert made.state == "paused"
    assert 'data-action="resume"' in html_of(client.get(url))
    client.post(action_url, {"action": "cancel", "why": ""})  # a reason is required
    made.refresh_from_db()
    assert made.state == "paused"
    client.post(action_url, {"action": "cancel", "why": "Pesan salah"})
    made.refresh_from_db()
    assert made.state == "cancelled"


def test_schedule_from_the_page_and_others_see_no_buttons(client, analyst, jabar):
    made = compose.save_broadcast(
        scope_for(analyst), title="Nanti", text="Ayo ke TPS", channel="sms", lists=[jabar]
    )
    login(client, member("viewer", "32"))
    body = html_of(client.get(reverse("web:broadcast", args=[made.pk])))
    assert 'id="bc-actions"' not in body
    action_url = reverse("web:broadcast_action", args=[made.pk])
    assert client.post(action_url, {"action": "cancel", "why": "x"}).status_code == 403
    other_kind = member("analyst", "32", kind=Organisation.Kind.BAWASLU)
    login(client, other_kind)
    assert client.get(reverse("web:broadcast", args=[made.pk])).status_code == 404
    login(client, analyst)
    client.post(action_url, {"action": "schedule", "when": "2030-01-01T08:00"})
    made.refresh_from_db()
    assert made.state == "scheduled" and made.scheduled_for.year == 2030


def test_the_admin_is_read_only_and_shows_addresses_masked(client, jabar):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    login(client, admin_user)
    recipient = Recipient.objects.filter(recipient_list=jabar).first()
    for url in (
        reverse("admin:broadcasts_recipient_changelist"),
        reverse("admin:broadcasts_recipient_change", args=[recipient.pk]),
        reverse("admin:broadcasts_importrow_changelist"),
        reverse("admin:broadcasts_recipientlist_changelist"),
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = html_of(answer)
        assert_no_numbers(body)
        assert recipient.address_hash not in body
    assert recipient.masked in html_of(client.get(reverse("admin:broadcasts_recipient_changelist")))
    assert client.get(reverse("admin:broadcasts_recipient_add")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_compose_at_360px_with_the_optional_counter(
    phone_page, login, live_server, tmp_path, monkeypatch
):
    monkeypatch.setattr(sending, "_enqueue", plan_only)
    analyst = member("analyst", "32")
    made = create_list(scope_for(analyst), "Pemilih Jabar")
    import_csv(scope_for(analyst), made, io.BytesIO(CSV.encode()), "jabar.csv")
    page = login(phone_page, analyst.username, PASSWORD, next_path=reverse("web:broadcast_new"))
    page.fill("#id_text", "a" * 161)
    assert page.locator("#sms-count").inner_text().startswith("161 · 2 SMS · GSM-7")
    page.fill("#id_text", "Ayo ke TPS 🗳")
    assert "UCS-2" in page.locator("#sms-count").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button[data-action=check]")
    assert page.locator("#sms-result").get_attribute("data-encoding") == "ucs2"
    page.screenshot(path=str(tmp_path / "compose.png"), full_page=True)
    broadcast = compose.save_broadcast(
        scope_for(analyst), title="Hari H", text="Ayo ke TPS", channel="sms", lists=[made]
    )
    sending.start(scope_for(analyst), broadcast)
    page.goto(f"{live_server.url}{reverse('web:broadcast', args=[broadcast.pk])}")
    assert page.locator("#reach tbody tr").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(tmp_path / "detail.png"), full_page=True)
