"""Composing broadcasts (saring.broadcasts.services.compose): the segment limit, e-mail
subject, visible lists, target region inside the scope, schedule and cancel through the
workflow; and the reads (saring.broadcasts.querysets): visibility, audience, reach per region."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.broadcasts import querysets
from saring.broadcasts.models import Broadcast, Delivery, Recipient
from saring.broadcasts.services import compose
from saring.broadcasts.services.recipients import create_list, import_csv
from saring.workflow import TransitionError
from tests.factories import member

pytestmark = pytest.mark.django_db

TEXT = "KPU Jabar: pemungutan suara 27 November 2024, TPS buka 07.00-13.00. Bawa KTP-el."


def scope(role="analyst", province="32", regency=None, kind=Organisation.Kind.KPU):
    return scope_for(member(role, province, regency, kind))


@pytest.fixture
def analyst():
    return scope()


@pytest.fixture
def jabar_list(analyst):
    made = create_list(analyst, "Jabar")
    csv = (
        "hp;kabupaten\n081200000001;32.05\n081200000002;32.05\n081200000003;32.73\n081200000004;\n"
    )
    import_csv(analyst, made, io.BytesIO(csv.encode()), "jabar.csv")
    return made


def save(scope, lists, **fields):
    values = {"title": "Hari pemungutan suara", "text": TEXT, "channel": "sms"} | fields
    return compose.save_broadcast(scope, lists=lists, **values)


def test_save_a_draft_for_the_scopes_region(analyst, jabar_list):
    made = save(analyst, [jabar_list])
    assert made.state == Broadcast.State.DRAFT
    assert (made.province_id, made.target_province_id, made.target_regency_id) == ("32", None, None)
    assert list(made.lists.all()) == [jabar_list]
    event = AuditEvent.objects.get(action="broadcast.saved")
    assert event.details["segments"] == 1 and event.details["created"] is True


def test_an_sms_over_the_limit_is_refused_with_its_count(analyst, jabar_list):
    with pytest.raises(compose.ComposeError) as caught:
        save(analyst, [jabar_list], text="a" * (153 * 3 + 1))
    assert caught.value.field == "text"
    assert "4" in caught.value.message and "460" in caught.value.message
    assert save(analyst, [jabar_list], text="a" * (153 * 3)).pk
    with override_settings(SARING_SMS_MAX_SEGMENTS=1), pytest.raises(compose.ComposeError):
        save(analyst, [jabar_list], text="a" * 161)
    with pytest.raises(compose.ComposeError) as caught:
        save(analyst, [jabar_list], text="ж" * (67 * 3 + 1))  # UCS-2: 67 per segment
    assert "UCS-2" in caught.value.message
    # the same length goes by WhatsApp (its own limit)
    assert save(analyst, [jabar_list], channel="whatsapp", text="a" * 2000).pk
    with pytest.raises(compose.ComposeError):
        save(analyst, [jabar_list], channel="whatsapp", text="a" * 4097)


def test_email_needs_a_subject(analyst, jabar_list):
    with pytest.raises(compose.ComposeError) as caught:
        save(analyst, [jabar_list], channel="email")
    assert caught.value.field == "subject"
    assert save(analyst, [jabar_list], channel="email", subject="Info TPS").subject == "Info TPS"


def test_lists_must_be_visible_and_given(analyst, jabar_list):
    jateng = create_list(scope(province="33"), "Jateng")
    with pytest.raises(compose.ComposeError) as caught:
        save(analyst, [jabar_list, jateng])
    assert caught.value.field == "lists"
    with pytest.raises(compose.ComposeError):
        save(analyst, [])
    national = create_list(scope(province=None), "Nasional")
    assert save(analyst, [national]).target_province_id == "32"  # kept to its own province


def test_target_region_must_lie_inside_the_scope(analyst, jabar_list):
    assert save(analyst, [jabar_list], target_regency="32.05").target_province_id == "32"
    for target in ({"target_province": "33"}, {"target_regency": "33.01"}):
        with pytest.raises(compose.ComposeError) as caught:
            save(analyst, [jabar_list], **target)
        assert caught.value.field.startswith("target")
    with pytest.raises(compose.ComposeError):
        save(analyst, [jabar_list], target_province="32", target_regency="31.71")
    bandung = scope(province="32", regency="32.73")
    made = save(bandung, [jabar_list])  # a provincial list: cut to the regency
    assert (made.target_province_id, made.target_regency_id) == ("32", "32.73")
    with pytest.raises(compose.ComposeError):
        save(bandung, [jabar_list], target_province="32")


def test_who_may_compose_and_change(analyst, jabar_list):
    with pytest.raises(ScopeError):
        save(scope("viewer"), [jabar_list])
    made = save(analyst, [jabar_list])
    for other in (scope(province="33"), scope(kind=Organisation.Kind.BAWASLU)):
        with pytest.raises(ScopeError):
            compose.save_broadcast(
                other, made, title="x", text="y", channel="sms", lists=[jabar_list]
            )
    changed = compose.save_broadcast(
        analyst, made, title="Baru", text="Teks baru", channel="sms", lists=[jabar_list]
    )
    assert changed.title == "Baru"


def test_schedule_unschedule_cancel(analyst, jabar_list):
    made = save(analyst, [jabar_list])
    with pytest.raises(compose.ComposeError):
        compose.schedule(analyst, made, timezone.now() - timedelta(hours=1))
    when = timezone.now() + timedelta(hours=2)
    made = compose.schedule(analyst, made, when)
    assert (made.state, made.scheduled_for) == ("scheduled", when)
    with pytest.raises(compose.ComposeError):  # only a draft is edited
        compose.save_broadcast(
            analyst, made, title="x", text="y", channel="sms", lists=[jabar_list]
        )
    with pytest.raises(ScopeError):
        compose.cancel(scope(province="33"), made, "salah")
    made = compose.unschedule(analyst, made)
    assert (made.state, made.scheduled_for) == ("draft", None)
    with pytest.raises(compose.ComposeError):
        compose.cancel(analyst, made, "  ")
    made = compose.cancel(analyst, made, "Jadwal berubah")
    assert made.state == "cancelled"
    with pytest.raises(TransitionError):
        compose.schedule(analyst, made, when)
    actions = list(
        AuditEvent.objects.filter(subject_id=str(made.pk), subject_type="broadcasts.broadcast")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "broadcast.saved",
        "broadcast.scheduled",
        "broadcast.saved",
        "broadcast.cancelled",
    ]


def test_visibility_of_lists_and_broadcasts(analyst, jabar_list):
    made = save(analyst, [jabar_list])
    assert made in querysets.visible_broadcasts(scope(province="32", regency="32.05"))
    assert made not in querysets.visible_broadcasts(scope(province="33"))
    assert made not in querysets.visible_broadcasts(scope(kind=Organisation.Kind.BAWASLU))
    assert jabar_list in querysets.visible_lists(scope("viewer"))
    assert jabar_list not in querysets.visible_lists(scope(province="33"))


def test_audience_and_reach_by_region(analyst, jabar_list):
    whole = save(analyst, [jabar_list])
    assert querysets.audience_size(whole) == 4
    garut = save(analyst, [jabar_list], target_regency="32.05")
    assert querysets.audience_size(garut) == 2
    # deliveries as the sender would leave them
    states = iter(["delivered", "failed", "sent", "skipped"])
    for recipient in Recipient.objects.filter(recipient_list=jabar_list).order_by("id"):
        Delivery.objects.create(
            broadcast=whole, recipient=recipient, key=f"k{recipient.pk}", state=next(states)
        )
    rows = querysets.reach_by_region(whole)
    assert [(r.province_code, r.regency_code) for r in rows] == [
        ("32", "32.05"),
        ("32", "32.73"),
        (None, None),  # the recipient imported without a region
    ]
    garut_row = rows[0]
    assert (garut_row.regency, garut_row.planned, garut_row.sent, garut_row.delivered) == (
        "Kabupaten Garut",
        2,
        1,
        1,
    )
    assert garut_row.failed == 1
    assert (rows[1].sent, rows[2].skipped) == (1, 1)
    assert querysets.reach_totals(rows) == {
        "planned": 4,
        "sent": 2,
        "delivered": 1,
        "failed": 1,
        "skipped": 1,
    }
    assert SYSTEM.can("analyst")
