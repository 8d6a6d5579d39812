"""Change-feed cursors (saring.api.cursors): opaque, refused when forged, keyset order, the
settle window, and `latest`."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from saring.api import cursors
from saring.elections.models import Election
from saring.factcheck.models import Claim, Clarification

STAMP = datetime(2024, 11, 27, 1, 2, 3, 456789, tzinfo=UTC)


def test_a_cursor_round_trips_and_is_url_safe():
    cursor = cursors.encode(STAMP, 42)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert cursors.decode(cursor) == cursors.Position(STAMP, "42")
    election = cursors.decode(cursors.encode(STAMP, "pilkada.3205.2024-11-27"))
    assert election.key == "pilkada.3205.2024-11-27"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not a cursor",
        "%%%",
        base64.urlsafe_b64encode(b"2|2024-11-27T01:02:03.000000Z|1").decode(),  # other version
        base64.urlsafe_b64encode(b"1|yesterday|1").decode(),
        base64.urlsafe_b64encode(b"1|2024-11-27T01:02:03.000000Z|").decode(),  # no key
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_cursor_this_api_did_not_give_is_refused_naming_the_parameter(bad):
    with pytest.raises(cursors.CursorError, match="`since`"):
        cursors.decode(bad)
    with pytest.raises(cursors.CursorError, match="`after`"):
        cursors.decode(bad, parameter="after")


def _clarification(n: int, seconds_ago: float) -> Clarification:
    c = Clarification.objects.create(
        claim=Claim.objects.create(text=f"klaim {n}"), headline=f"c{n}", verdict="HOAKS"
    )
    stamp = timezone.now() - timedelta(seconds=seconds_ago)
    Clarification.objects.filter(pk=c.pk).update(updated_at=stamp)
    return Clarification.objects.get(pk=c.pk)


@pytest.mark.django_db
def test_changes_come_in_keyset_order_and_the_next_cursor_resumes_after_the_last():
    old = _clarification(1, 100)
    tied_a = _clarification(2, 50)
    tied_b = _clarification(3, 50)
    Clarification.objects.filter(pk=tied_b.pk).update(updated_at=tied_a.updated_at)  # a tie
    rows, cursor, count = cursors.changes_since(Clarification.objects.all(), None, 2)
    assert [r.pk for r in rows] == [old.pk, tied_a.pk] and count == 3
    rows, cursor2, count = cursors.changes_since(Clarification.objects.all(), cursor, 2)
    assert [r.pk for r in rows] == [tied_b.pk] and count == 1  # the tie is broken by id
    rows, cursor3, count = cursors.changes_since(Clarification.objects.all(), cursor2, 2)
    assert rows == [] and cursor3 == cursor2 and count == 0  # poll again with the same one


@pytest.mark.django_db
def test_rows_changed_within_the_settle_window_wait_for_the_next_poll():
    settled = _clarification(1, 30)
    fresh = _clarification(2, 0.1)  # perhaps still in an uncommitted transaction's company
    rows, cursor, _count = cursors.changes_since(Clarification.objects.all(), None, 10)
    assert [r.pk for r in rows] == [settled.pk]
    assert cursors.latest(Clarification.objects.all()) == cursor
    Clarification.objects.filter(pk=fresh.pk).update(
        updated_at=timezone.now() - timedelta(seconds=cursors.SETTLE_SECONDS + 1)
    )
    rows, _cursor, _count = cursors.changes_since(Clarification.objects.all(), cursor, 10)
    assert [r.pk for r in rows] == [fresh.pk]


@pytest.mark.django_db
def test_text_keys_and_a_cursor_of_the_wrong_key_type():
    Election.objects.update(updated_at=timezone.now() - timedelta(seconds=60))
    newest = cursors.latest(Election.objects.all())
    assert cursors.decode(newest).key == Election.objects.order_by("-updated_at", "-pk")[0].pk
    start = cursors.encode(datetime(2000, 1, 1, tzinfo=UTC), "0")
    rows, _cursor, count = cursors.changes_since(
        Election.objects.all(), start, 5, integer_keys=False
    )
    assert len(rows) == 5 and count == Election.objects.count()
    text_cursor = cursors.encode(STAMP, "pemilu.2024-02-14")
    with pytest.raises(cursors.CursorError, match="wrong type"):
        cursors.changes_since(Clarification.objects.all(), text_cursor, 5)
    assert cursors.latest(Clarification.objects.none()) is None
