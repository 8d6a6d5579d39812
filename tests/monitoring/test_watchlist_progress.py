"""A watchlist edit that re-scores shows its progress and always ends; analysts propose
watchlists that an administrator of the region approves (issue #10 §3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from saring.accounts.scope import ScopeError, scope_for
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.monitoring.models import PostFlag, Watchlist
from saring.monitoring.services import watchlists as service
from saring.monitoring.services.ingest import ingest_file
from saring.taxonomy.models import HarmCategory
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def posts(tmp_path):
    lines = [post_line(str(i), f"Warga menolak penimbunan beras nomor {i}") for i in range(5)]
    lines.append(post_line("99", "Cuaca cerah di Bandung"))
    ingest_file(write_jsonl(tmp_path / "a.jsonl", lines), "generic-jsonl")


def _category():
    return HarmCategory.objects.get(code="black_campaign")


def _rescore_html(client, watchlist) -> str:
    return client.get(reverse("web:watchlist_rescore", args=[watchlist.pk])).content.decode()


def test_the_shipped_watchlists_are_not_re_scoring_for_ever(client):
    # They flag posts as they are imported and were never edited: nothing is pending.
    viewer = member("viewer")
    client.login(username=viewer.username, password=PASSWORD)
    page = client.get(reverse("web:watchlists")).content.decode()
    assert Watchlist.objects.filter(province__isnull=True).exists()
    assert 'data-rescore="done"' in page
    assert 'data-rescore="queued"' not in page and 'data-rescore="running"' not in page
    assert not Watchlist.objects.exclude(rescored_version=F("version")).exists()


def test_an_edit_waits_for_the_worker_and_says_so_when_none_runs(client, posts):
    admin = member("admin")
    client.login(username=admin.username, password=PASSWORD)
    watchlist = service.save_watchlist(
        scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
    )  # the on-commit enqueue never runs here: no worker
    assert watchlist.rescore_state == Watchlist.Rescore.QUEUED
    html = _rescore_html(client, watchlist)
    assert 'data-rescore="queued"' in html and "every 1s" in html  # polled
    assert "saring worker" not in html  # not yet: the worker may be about to start it
    Watchlist.objects.filter(pk=watchlist.pk).update(
        rescore_queued_at=timezone.now() - timedelta(minutes=5)
    )
    assert "saring worker" in _rescore_html(client, watchlist)


def test_the_rescoring_reports_progress_and_ends_done(client, posts, monkeypatch):
    monkeypatch.setattr(service, "RESCORE_CHUNK", 2)
    seen: list[tuple[int, int]] = []
    real = service._progress

    def spy(watchlist_id, **fields):
        real(watchlist_id, **fields)
        w = Watchlist.objects.get(pk=watchlist_id)
        seen.append((w.rescore_done, w.rescore_total))

    monkeypatch.setattr(service, "_progress", spy)
    admin = member("admin")
    watchlist = service.save_watchlist(
        scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
    )
    flagged = service.rescore_watchlist(watchlist.pk)
    watchlist.refresh_from_db()
    assert flagged == 5
    assert (2, 6) in seen and (4, 6) in seen  # chunk by chunk, of the 6 posts
    assert watchlist.rescore_state == Watchlist.Rescore.DONE
    assert (watchlist.rescore_done, watchlist.rescore_total) == (6, 6)
    assert watchlist.rescored_version == watchlist.version
    client.login(username=admin.username, password=PASSWORD)
    html = _rescore_html(client, watchlist)
    assert 'data-rescore="done"' in html and "every 1s" not in html  # polling stops


def test_a_running_rescoring_shows_n_of_m(client, posts):
    admin = member("admin")
    watchlist = service.save_watchlist(
        scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
    )
    Watchlist.objects.filter(pk=watchlist.pk).update(
        rescore_state="running", rescore_done=2000, rescore_total=6000
    )
    client.login(username=admin.username, password=PASSWORD)
    html = _rescore_html(client, watchlist)
    assert 'data-progress="2000/6000"' in html and "<progress" in html and "every 1s" in html


def test_a_failed_rescoring_ends_with_the_error_and_can_be_queued_again(client, posts, monkeypatch):
    admin = member("admin")
    watchlist = service.save_watchlist(
        scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
    )

    def broken(*args, **kwargs):
        raise RuntimeError("the analyser exploded")

    monkeypatch.setattr(service, "build_context", broken)
    with pytest.raises(RuntimeError):
        service.rescore_watchlist(watchlist.pk)
    watchlist.refresh_from_db()
    assert watchlist.rescore_state == Watchlist.Rescore.FAILED
    assert "the analyser exploded" in watchlist.rescore_error
    client.login(username=admin.username, password=PASSWORD)
    html = _rescore_html(client, watchlist)
    assert 'data-rescore="failed"' in html and "the analyser exploded" in html
    assert "every 1s" not in html
    monkeypatch.undo()
    response = client.post(reverse("web:watchlist_rescore", args=[watchlist.pk]))
    assert response.status_code == 302
    watchlist.refresh_from_db()
    assert watchlist.rescore_state == Watchlist.Rescore.QUEUED and not watchlist.rescore_error


# db_worker closes the connection when it ends: a rolled-back test transaction
# would not survive it on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_worker_ends_it(
    reference_data, posts, django_capture_on_commit_callbacks
):
    admin = member("admin")
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            watchlist = service.save_watchlist(
                scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
            )
        assert DBTaskResult.objects.ready().count() == 1
        watchlist.refresh_from_db()
        assert watchlist.rescore_state == Watchlist.Rescore.QUEUED
        call_command("db_worker", batch=True, startup_delay=False, reload=False)
    watchlist.refresh_from_db()
    assert watchlist.rescore_state == Watchlist.Rescore.DONE
    assert PostFlag.objects.filter(watchlist=watchlist).count() == 5


# db_worker closes the connection when it ends: a rolled-back test transaction
# would not survive it on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_in_the_database_queue_still_ends_the_watchlist(
    reference_data, posts, monkeypatch, django_capture_on_commit_callbacks
):
    admin = member("admin")
    monkeypatch.setattr(
        service, "build_context", lambda *a, **k: (_ for _ in ()).throw(ValueError("boom"))
    )
    with override_settings(TASKS=DATABASE_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            watchlist = service.save_watchlist(
                scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
            )
        call_command("db_worker", batch=True, startup_delay=False, reload=False)
    watchlist.refresh_from_db()
    assert watchlist.rescore_state == Watchlist.Rescore.FAILED
    assert "boom" in watchlist.rescore_error


# -- proposals ---------------------------------------------------------------------------------


def test_a_regional_analyst_proposes_and_a_regional_admin_approves(
    client, posts, django_capture_on_commit_callbacks
):
    analyst = member("analyst", "32")
    client.login(username=analyst.username, password=PASSWORD)
    assert client.get(reverse("web:watchlist_propose")).status_code == 200
    response = client.post(
        reverse("web:watchlist_propose"),
        {"name": "Beras Jabar", "category": _category().pk, "terms": "penimbunan", "notes": ""},
    )
    assert response.status_code == 302
    proposal = Watchlist.objects.get(name="Beras Jabar")
    assert (proposal.status, proposal.is_active, proposal.province_id) == ("proposed", False, "32")
    assert proposal.proposed_by_id == analyst.pk
    assert not PostFlag.objects.filter(watchlist=proposal).exists()
    assert AuditEvent.objects.filter(action=Action.WATCHLIST_PROPOSED).count() == 1
    page = client.get(reverse("web:watchlists")).content.decode()
    assert f'data-proposal="{proposal.pk}"' in page and 'data-rescore="done"' in page

    admin = member("admin", "32")
    client.login(username=admin.username, password=PASSWORD)
    assert (
        'id="proposal-review"'
        in client.get(reverse("web:watchlist_edit", args=[proposal.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:watchlist_review", args=[proposal.pk]), {"decision": "approved"}
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.is_active) == ("approved", True)
    assert proposal.rescore_state == Watchlist.Rescore.DONE  # immediate tasks: re-scored
    assert PostFlag.objects.filter(watchlist=proposal).count() == 5
    event = AuditEvent.objects.get(action=Action.WATCHLIST_APPROVED)
    assert (event.from_state, event.to_state) == ("proposed", "approved")


def test_proposals_are_refused_outside_scope_and_rejections_keep_them_off():
    category = _category()
    viewer = member("viewer", "32")
    with pytest.raises(ScopeError):
        service.propose_watchlist(scope_for(viewer), name="x", category=category, terms="a")
    proposal = service.propose_watchlist(
        scope_for(member("analyst", "32")), name="Jabar", category=category, terms="a"
    )
    for outsider in (
        member("admin", "33"),
        member("analyst", "32"),
        member("admin", "32", "32.73"),
    ):
        with pytest.raises(ScopeError):
            service.review_proposal(scope_for(outsider), proposal, "approved")
    proposal.refresh_from_db()
    assert proposal.status == "proposed" and not proposal.is_active
    national = member("admin")
    rejected = service.review_proposal(
        scope_for(national), proposal, "rejected", why="terlalu luas"
    )
    assert (rejected.status, rejected.is_active) == ("rejected", False)
    with pytest.raises(service.WatchlistReviewError):
        service.review_proposal(scope_for(national), rejected, "approved")
    # an administrator's save cannot switch on a watchlist that was not approved
    saved = service.save_watchlist(
        scope_for(national),
        watchlist=rejected,
        name="Jabar",
        category=category,
        terms="a",
        is_active=True,
    )
    assert not saved.is_active
    assert AuditEvent.objects.filter(action=Action.WATCHLIST_REJECTED).count() == 1


# -- a re-scoring whose process died -----------------------------------------------------------


def _running(worker: str, minutes_ago: float) -> Watchlist:
    watchlist = Watchlist.objects.filter(is_active=True).first()
    Watchlist.objects.filter(id=watchlist.id).update(
        rescore_state=Watchlist.Rescore.RUNNING,
        rescore_worker=worker,
        rescore_progress_at=timezone.now() - timedelta(minutes=minutes_ago),
        rescore_done=3,
        rescore_total=10,
    )
    return watchlist


def test_a_re_scoring_whose_process_is_gone_ends_as_interrupted():
    import socket

    from saring.monitoring.services.runs import close_stranded

    watchlist = _running(f"{socket.gethostname()}:{2**22 + 12345}", minutes_ago=1)  # no such pid
    closed = close_stranded()
    watchlist.refresh_from_db()
    assert closed.rescores == [watchlist.id] and closed.runs == []
    assert watchlist.rescore_state == Watchlist.Rescore.FAILED
    assert watchlist.rescore_error.startswith("interrupted: the process")
    assert "interrupted watchlist re-scoring" in str(closed)
    from django.utils import translation

    with translation.override("id"):  # the page words it; the detail stays in rescore_error
        assert watchlist.rescore_error_text.startswith("Terputus: proses penilaian ulang")


def test_a_re_scoring_without_progress_ends_and_a_live_one_is_left_alone():
    from saring.monitoring.services.runs import close_stranded, this_worker

    watchlist = _running("elsewhere:1", minutes_ago=45)
    live = Watchlist.objects.filter(is_active=True).exclude(id=watchlist.id).first()
    Watchlist.objects.filter(id=live.id).update(
        rescore_state=Watchlist.Rescore.RUNNING,
        rescore_worker=this_worker(),
        rescore_progress_at=timezone.now(),
    )
    assert close_stranded().rescores == [watchlist.id]
    watchlist.refresh_from_db()
    live.refresh_from_db()
    assert watchlist.rescore_error.startswith("interrupted: no progress since")
    assert live.rescore_state == Watchlist.Rescore.RUNNING


def test_re_scoring_records_its_worker_and_progress_time(posts):
    admin = member("admin")
    watchlist = service.save_watchlist(
        scope_for(admin), name="Beras", category=_category(), terms="penimbunan"
    )
    service.rescore_watchlist(watchlist.id)
    watchlist.refresh_from_db()
    assert watchlist.rescore_worker.endswith(f":{__import__('os').getpid()}")
    assert watchlist.rescore_progress_at is not None
