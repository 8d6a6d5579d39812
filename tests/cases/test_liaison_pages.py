"""The escalation pages: a platform liaison sees only what was sent to their organisation and
answers there; handlers see their region's and escalate from the case page; the packet is
downloaded by handlers, the addressee, or with the signed link."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saring.cases.channels.base import packet_signature
from saring.cases.models import Case, Decision, Escalation
from saring.cases.services.escalation import escalate
from tests.cases.conftest import scope
from tests.cases.test_escalation import batch_channel, email_channel, fake_packet, ready_case
from tests.factories import member

pytestmark = pytest.mark.django_db
__all__ = ["fake_packet"]


@pytest.fixture
def two_platforms(bawaslu_bandung, tiktok_channel, fake_packet):
    meta_liaison = member("analyst", kind="platform")
    meta = email_channel(organisation=meta_liaison.membership.organisation)
    tiktok = escalate(scope(bawaslu_bandung), ready_case(), tiktok_channel)
    other = escalate(scope(bawaslu_bandung), ready_case(), meta)
    return tiktok, other, meta_liaison


def test_a_liaison_sees_only_their_platforms_escalations(client, tiktok_liaison, two_platforms):
    tiktok, meta, _meta_liaison = two_platforms
    client.force_login(tiktok_liaison)
    page = client.get(reverse("web:escalations")).content.decode()
    assert f'data-escalation="{tiktok.reference}"' in page
    assert meta.reference not in page
    assert 'data-nav="escalations"' in page  # the nav link for platform users
    assert client.get(reverse("web:escalation", args=[meta.pk])).status_code == 404
    assert client.get(reverse("web:escalation_packet", args=[meta.pk])).status_code == 404
    assert client.get(reverse("web:escalation", args=[tiktok.pk])).status_code == 200


def test_the_filters_open_answered_overdue(client, tiktok_liaison, two_platforms):
    tiktok, _meta, _ = two_platforms
    client.force_login(tiktok_liaison)
    url = reverse("web:escalations")
    assert tiktok.reference in client.get(url + "?show=open").content.decode()
    assert tiktok.reference not in client.get(url + "?show=answered").content.decode()
    assert tiktok.reference not in client.get(url + "?show=overdue").content.decode()
    Escalation.objects.filter(pk=tiktok.pk).update(due_at="2000-01-01T00:00:00Z")
    overdue = client.get(url + "?show=overdue").content.decode()
    assert f'data-escalation="{tiktok.reference}" data-state="queued" data-overdue' in overdue


def test_the_detail_page_shows_the_case_without_personal_data(
    client, tiktok_liaison, two_platforms
):
    tiktok, _meta, _ = two_platforms
    client.force_login(tiktok_liaison)
    page = client.get(reverse("web:escalation", args=[tiktok.pk])).content.decode()
    case = tiktok.case
    assert case.items.get().canonical_url in page
    assert case.bases.get().citation in page
    tiktok.refresh_from_db()
    assert tiktok.packet_sha256 in page and 'id="packet-link"' in page
    assert 'id="decision-form"' in page and 'name="visibility"' in page
    assert 'value="no_action"' in page and 'id="vis-removed"' in page
    for personal in ("Siti Pelapor", "pelapor@example.org", "6281234567890"):
        assert personal not in page
    assert "data-personal" not in page


def test_a_handler_sees_the_page_but_not_the_decision_form(
    client, bawaslu_bandung, bawaslu_bogor, two_platforms
):
    tiktok, meta, _ = two_platforms
    client.force_login(bawaslu_bandung)
    page = client.get(reverse("web:escalation", args=[tiktok.pk])).content.decode()
    assert tiktok.reference in page and 'id="decision-form"' not in page
    listing = client.get(reverse("web:escalations")).content.decode()
    assert tiktok.reference in listing and meta.reference in listing
    client.force_login(bawaslu_bogor)
    assert client.get(reverse("web:escalation", args=[tiktok.pk])).status_code == 404


def test_the_liaison_answers_on_the_page(client, tiktok_liaison, two_platforms):
    tiktok, _meta, _ = two_platforms
    client.force_login(tiktok_liaison)
    response = client.post(
        reverse("web:escalation_decide", args=[tiktok.pk]),
        {
            "visibility": "removed",
            "account": "none",
            "ground": "illegal",
            "ground_reference": "UU 7/2017 Pasal 280",
            "explanation": "Dihapus.",
            "automated_decision": "not",
            "platform_reference": "TT-77",
            "decided_at": "2024-02-12T10:00",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.via == "page" and decision.platform_reference == "TT-77"
    assert decision.decided_at.isoformat().startswith("2024-02-12T")
    assert Case.objects.get(pk=tiktok.case_id).state == "answered"
    page = client.get(reverse("web:escalation", args=[tiktok.pk])).content.decode()
    assert 'data-decision="TT-77" data-visibility="removed"' in page


def test_a_wrong_form_names_the_fields(client, tiktok_liaison, two_platforms):
    tiktok, _meta, _ = two_platforms
    client.force_login(tiktok_liaison)
    response = client.post(
        reverse("web:escalation_decide", args=[tiktok.pk]),
        {"visibility": "removed", "ground": "", "explanation": "<script>x</script>"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-error="ground"' in page and 'data-error="platform_reference"' in page
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page
    assert 'id="vis-removed" value="removed" checked' in page
    assert not Decision.objects.exists()


def test_another_platforms_liaison_cannot_answer(client, two_platforms):
    tiktok, _meta, meta_liaison = two_platforms
    client.force_login(meta_liaison)
    response = client.post(
        reverse("web:escalation_decide", args=[tiktok.pk]),
        {"visibility": "removed", "ground": "illegal", "platform_reference": "X"},
    )
    assert response.status_code == 404 and not Decision.objects.exists()


def test_packet_downloads(client, bawaslu_bandung, tiktok_liaison, two_platforms):
    tiktok, _meta, _ = two_platforms
    url = reverse("web:escalation_packet", args=[tiktok.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    signed = client.get(f"{url}?sig={packet_signature(tiktok)}")
    assert signed.status_code == 200 and signed["Content-Type"] == "application/zip"
    tiktok.refresh_from_db()
    assert b"".join(signed.streaming_content) == tiktok.packet.read()
    assert client.get(f"{url}?sig=forged").status_code == 404
    other = reverse("web:escalation_packet", args=[_meta.pk])
    assert client.get(f"{other}?sig={packet_signature(tiktok)}").status_code == 404
    for user in (bawaslu_bandung, tiktok_liaison):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_a_handler_escalates_from_the_case_page(
    client, bawaslu_bandung, tiktok_channel, fake_packet, django_capture_on_commit_callbacks
):
    case = ready_case()
    client.force_login(bawaslu_bandung)
    form = client.get(reverse("web:case_escalate", args=[case.pk])).content.decode()
    assert 'id="escalate-form"' in form and f'value="{tiktok_channel.pk}"' in form
    assert 'name="include_personal"' in form and 'id="esc-personal-warn"' in form
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("web:case_escalate", args=[case.pk]),
            {"channel": tiktok_channel.pk, "urgent": "1", "note": "Segera"},
        )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("web:case", args=[case.pk]) + "#escalations")
    made = Escalation.objects.get()
    assert made.urgent and made.note == "Segera" and not made.include_personal
    assert made.attempts == 0  # delivery waits for the commit (the worker)
    case_page = client.get(reverse("web:case", args=[case.pk]))
    assert case_page.status_code == 200  # the case page (another area) includes our block
    assert f'data-escalation="{made.reference}"' in case_page.content.decode()


def test_escalating_a_case_without_a_basis_says_why(
    client, bawaslu_bandung, tiktok_channel, fake_packet
):
    case = ready_case()
    case.bases.clear()
    client.force_login(bawaslu_bandung)
    response = client.post(
        reverse("web:case_escalate", args=[case.pk]), {"channel": tiktok_channel.pk}
    )
    assert response.status_code == 302 and not Escalation.objects.exists()


def test_liaisons_and_other_regions_cannot_escalate(
    client, tiktok_liaison, bawaslu_bogor, tiktok_channel, fake_packet
):
    case = ready_case()
    for user in (tiktok_liaison, bawaslu_bogor):
        client.force_login(user)
        response = client.post(
            reverse("web:case_escalate", args=[case.pk]), {"channel": tiktok_channel.pk}
        )
        assert response.status_code in (403, 404)
    assert not Escalation.objects.exists()


def test_a_handler_downloads_a_batch_from_the_escalations_page(
    client, bawaslu_bandung, fake_packet
):
    channel = batch_channel()
    made = escalate(scope(bawaslu_bandung), ready_case(), channel)
    client.force_login(bawaslu_bandung)
    page = client.get(reverse("web:escalations")).content.decode()
    assert f'data-batch-channel="{channel.pk}" data-waiting="1"' in page
    response = client.post(reverse("web:escalation_batch", args=[channel.pk]), {"format": "csv"})
    assert response.status_code == 200 and made.reference in response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].startswith("attachment;")
    made.refresh_from_db()
    assert made.state == "sent" and made.batch == response["X-Saring-Batch"]
    again = client.post(reverse("web:escalation_batch", args=[channel.pk]), {"format": "csv"})
    assert again.status_code == 302  # nothing left: back to the page with a message


def test_a_viewer_without_organisation_gets_no_escalations(client, fake_packet):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("nobody", password="x-long-password")
    client.force_login(user)
    assert client.get(reverse("web:escalations")).status_code == 403


def test_a_failed_delivery_is_shown_and_sent_again_by_a_handler(
    client, bawaslu_bandung, tiktok_liaison, two_platforms, django_capture_on_commit_callbacks
):
    tiktok, _meta, _ = two_platforms
    Escalation.objects.filter(pk=tiktok.pk).update(
        state="failed", attempts=6, last_error="HTTP 500 from the webhook"
    )
    client.force_login(tiktok_liaison)
    page = client.get(reverse("web:escalation", args=[tiktok.pk])).content.decode()
    assert "data-delivery-error" in page and "escalation_retry" not in page
    assert reverse("web:escalation_retry", args=[tiktok.pk]) not in page
    assert client.post(reverse("web:escalation_retry", args=[tiktok.pk])).status_code in (403, 302)
    tiktok.refresh_from_db()
    assert tiktok.state == "failed"
    client.force_login(bawaslu_bandung)
    page = client.get(reverse("web:escalation", args=[tiktok.pk])).content.decode()
    assert reverse("web:escalation_retry", args=[tiktok.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:escalation_retry", args=[tiktok.pk]))
    assert response.status_code == 302
    tiktok.refresh_from_db()
    # queued again and tried at once (immediate tasks); the fixture's port is closed
    assert tiktok.state == "queued" and tiktok.attempts == 1
