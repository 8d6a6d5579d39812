"""The overdue list's query and the reminder digests: who is told, once a day, audited."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from saring.accounts.scope import scope_for
from saring.accounts.services import ensure_member
from saring.audit.models import AuditEvent
from saring.cases.models import Case
from saring.cases.services import reminders
from tests.cases.conftest import make_case
from tests.factories import PASSWORD

H = timedelta(hours=1)


@pytest.fixture
def now():
    # Local noon: "once a day" counts local calendar days, and +1 h must stay on the same one.
    return timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)


@pytest.fixture
def analyst(bawaslu_bandung):
    bawaslu_bandung.email = "analis@bawaslu.example"
    bawaslu_bandung.save(update_fields=["email"])
    return bawaslu_bandung


@pytest.mark.django_db
def test_overdue_holds_only_open_cases_past_the_deadline_that_runs(analyst, now, bawaslu_bogor):
    late_follow_up = make_case(state="triaged", follow_up_due=now - H)
    late_platform = make_case(
        state="escalated", platform_due=now - 2 * H, follow_up_due=now - 9 * H
    )
    make_case(
        state="escalated", follow_up_due=now - H, platform_due=now + 5 * H
    )  # escalated in time
    make_case(state="answered", platform_due=now - H)  # answered: nothing runs
    make_case(state="closed", follow_up_due=now - H)
    make_case(state="received", follow_up_due=now + H)  # not yet
    elsewhere = make_case(regency="32.01", state="triaged", follow_up_due=now - H)

    found = set(reminders.overdue(scope_for(analyst), now))
    assert found == {late_follow_up, late_platform}
    assert set(reminders.overdue(scope_for(bawaslu_bogor), now)) == {elsewhere}


@pytest.mark.django_db
def test_attention_orders_most_overdue_first_and_includes_due_soon(analyst, now):
    a = make_case(state="received", follow_up_due=now - H)
    b = make_case(state="escalated", platform_due=now - 30 * H)
    c = make_case(state="triaged", follow_up_due=now + 10 * H)
    make_case(state="triaged", follow_up_due=now + 30 * H)  # beyond 24 h
    rows = list(reminders.attention(scope_for(analyst), now))
    assert rows == [b, a, c]
    assert [r.deadline for r in rows] == ["platform", "follow_up", "follow_up"]


@pytest.mark.django_db
def test_one_digest_per_assignee_once_a_day_audited(analyst, now):
    late = make_case(state="triaged", follow_up_due=now - 3 * H, assignee=analyst)
    soon = make_case(state="escalated", platform_due=now + 2 * H, assignee=analyst)
    make_case(state="triaged", follow_up_due=now + 3 * 24 * H, assignee=analyst)  # not due

    result = reminders.send_reminders(now)
    assert (result.cases, result.mails, result.failed) == (2, 1, 0)
    (digest,) = mail.outbox
    assert digest.to == ["analis@bawaslu.example"]
    assert late.reference in digest.body and soon.reference in digest.body
    assert f"/cases/{late.pk}/" in digest.body
    assert "Siti Pelapor" not in digest.body and "pelapor@example.org" not in digest.body
    for case in (late, soon):
        case.refresh_from_db()
        assert case.reminded_at == now
    events = AuditEvent.objects.filter(action="case.reminded")
    assert sorted(int(e.subject_id) for e in events) == sorted([late.pk, soon.pk])
    assert {e.details["to"] for e in events} == {"assignee"}

    again = reminders.send_reminders(now + H)  # same day: nothing new
    assert (again.cases, again.mails) == (0, 0)
    assert len(mail.outbox) == 1

    tomorrow = reminders.send_reminders(now + 25 * H)
    assert tomorrow.cases == 2 and len(mail.outbox) == 2


@pytest.mark.django_db
def test_unassigned_cases_go_to_the_office_admins(analyst, now):
    office = analyst.membership.organisation
    admin = ensure_member("admin-bdg", PASSWORD, office, "admin", email="admin@bawaslu.example")
    nobody_office = make_case(
        province="32", regency="32.73", state="received", follow_up_due=now - H
    )
    no_email = make_case(state="received", follow_up_due=now - H, assignee=None)
    assert nobody_office.organisation_id == office.pk == no_email.organisation_id

    result = reminders.send_reminders(now)
    assert result.mails == 1 and result.cases == 2
    assert mail.outbox[0].to == [admin.email]
    detail = AuditEvent.objects.filter(action="case.reminded").first().details
    assert detail["to"] == "office_admins" and "admin@bawaslu.example" not in json.dumps(detail)


@pytest.mark.django_db
def test_a_case_with_nobody_to_tell_is_counted_not_marked(now):
    case = make_case(state="received", follow_up_due=now - H)  # no Bawaslu office at all
    result = reminders.send_reminders(now)
    assert (result.mails, result.without_recipient) == (0, 1)
    case.refresh_from_db()
    assert case.reminded_at is None


@pytest.mark.django_db
def test_remind_command_prints_json(analyst, now):
    make_case(state="received", follow_up_due=now - H, assignee=analyst)
    out = StringIO()
    call_command("cases", "remind", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["cases"] == 1 and summary["mails"] == 1
    assert summary["messages_retried"]["failed"] == 0
    assert Case.objects.filter(reminded_at__isnull=False).count() == 1
