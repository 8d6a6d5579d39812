"""The audit page: admins read the trail of their own region and kind, filtered."""

from __future__ import annotations

import pytest
from django.test import Client

from saring.accounts.models import Membership, Organisation
from saring.accounts.scope import scope_for
from saring.audit.actions import Action
from saring.audit.services import record
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _event(user, action=Action.LABEL_SET, subject_id="1"):
    return record(scope_for(user), action, subject_type="harms.postlabel", subject_id=subject_id)


def test_an_admin_reads_the_actions_of_their_region_and_kind_only():
    jabar_admin = member(Membership.Role.ADMIN, province="32")
    bandung = member(Membership.Role.ANALYST, province="32", regency="32.73")
    jateng = member(Membership.Role.ANALYST, province="33")
    bawaslu = member(Membership.Role.ANALYST, province="32", kind=Organisation.Kind.BAWASLU)
    for user in (bandung, jateng, bawaslu):
        _event(user)
    page = _client(jabar_admin).get("/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert bandung.username in body
    assert jateng.username not in body
    assert bawaslu.username not in body


def test_the_trail_filters_by_person_action_and_subject():
    admin = member(Membership.Role.ADMIN)
    one, two = member(), member()
    _event(one, Action.LABEL_SET, "11")
    _event(two, Action.LABEL_CLEARED, "22")
    client = _client(admin)
    by_person = client.get("/audit/", {"actor": one.username}).context["page"]
    assert [e.actor for e in by_person] == [one.username]
    by_action = client.get("/audit/", {"action": "label.cleared"}).context["page"]
    assert [e.actor for e in by_action] == [two.username]
    by_subject = client.get(
        "/audit/", {"subject_type": "harms.postlabel", "subject_id": "11"}
    ).context["page"]
    assert [e.subject_id for e in by_subject] == ["11"]


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.ANALYST])
def test_only_admins_open_the_audit_page(role):
    assert _client(member(role)).get("/audit/").status_code == 403
