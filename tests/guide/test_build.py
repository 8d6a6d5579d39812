"""The site build: fresh directory, Pagefind, build.json, the atomic swap, failures that keep
the old site, coalesced rebuild requests, `--if-due` (helper: site)."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from saring.audit.models import AuditEvent
from saring.guide.models import Build, Entry, Revision
from saring.guide.site import build as site_build
from saring.guide.site import schedule, swap
from saring.guide.site.build import BuildError, build_site, due
from saring.guide.site.render import SiteData

ALL_REGIONS = SiteData.__dict__["load"]

SNAPSHOTS = {
    "api/v1/clarifications.json": b'{"items": []}',
    "feeds/stages.ics": b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
}


@pytest.fixture
def target(tmp_path, settings, monkeypatch):
    settings.SARING_GUIDE_DIR = tmp_path / "guide-site"
    # saring.guide.publicdata (helper api) is tested on its own; here: its files are written.
    monkeypatch.setattr(site_build, "_snapshots", lambda: dict(SNAPSHOTS))
    # Region pages for Jawa Barat only (the machine is shared): test_build_writes_every_page
    # builds all 552.
    load = SiteData.load.__func__
    monkeypatch.setattr(
        SiteData,
        "load",
        classmethod(lambda cls, now=None, provinces_only=None: load(cls, now, ["32"])),
    )
    return tmp_path / "guide-site"


class FakeTask:
    def __init__(self):
        self.queued: list[int] = []

    def enqueue(self, build_id: int) -> None:
        self.queued.append(build_id)


@pytest.fixture
def fake_task(monkeypatch):
    from saring.guide import tasks

    fake = FakeTask()
    monkeypatch.setattr(tasks, "build_site_task", fake)
    return fake.queued


def announcement(slug: str, title: str, **window) -> Entry:
    e = Entry.objects.create(
        kind="announcement", slug=slug, status="published", published_at=timezone.now()
    )
    r = Revision.objects.create(
        entry=e, number=1, title_id=title, body_id="<p>Isi.</p>", state="approved", **window
    )
    Entry.objects.filter(pk=e.pk).update(live=r)
    return e


# --- the swap, without a database --------------------------------------------------------------


def test_exchange_swaps_directories_and_an_open_path_sees_the_new_files(tmp_path):
    live, new = tmp_path / "site", tmp_path / "site.new-1"
    live.mkdir()
    new.mkdir()
    (live / "index.html").write_text("old")
    (new / "index.html").write_text("new")
    with open(live / "index.html") as held:  # a request in flight during the swap
        old = swap.swap_in(new, live)
        assert old == new and (old / "index.html").read_text() == "old"
        assert (live / "index.html").read_text() == "new"  # same path, new files
        assert held.read() == "old"  # the request in flight reads its file whole


def test_swap_falls_back_to_two_renames(tmp_path, monkeypatch):
    monkeypatch.setattr(swap, "exchange", lambda a, b: False)
    live, new = tmp_path / "site", tmp_path / "site.new-1"
    live.mkdir()
    new.mkdir()
    (new / "index.html").write_text("new")
    old = swap.swap_in(new, live)
    assert old is not None and old.is_dir() and not new.exists()
    assert (live / "index.html").read_text() == "new"
    first = tmp_path / "first"
    first.mkdir()
    assert swap.swap_in(first, tmp_path / "empty") is None  # nothing to replace yet


# --- whole builds -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_build_writes_every_page_indexes_and_swaps_in(target, monkeypatch):
    partial = SiteData.__dict__["load"]
    monkeypatch.setattr(SiteData, "load", ALL_REGIONS)
    announcement("masa-tenang", "Masa tenang dimulai")
    first = build_site(reason="test")
    assert (target / "index.html").is_file() and (target / "pagefind" / "pagefind.js").is_file()
    assert (target / "pagefind" / "pagefind-ui.js").is_file()
    assert (target / "api/v1/clarifications.json").read_bytes() == SNAPSHOTS[
        "api/v1/clarifications.json"
    ]
    assert (target / "feeds/stages.ics").is_file()
    assert len(list((target / "wilayah").iterdir())) == 38 + 514
    assert (target / "wilayah/32-05/index.html").is_file()
    summary = json.loads((target / "build.json").read_text())
    assert summary["counts"]["region"] == 2 * (38 + 514) and summary["counts"]["snapshots"] == 2
    assert summary["files"] == first.files and summary["bytes"] > 0
    row = Build.objects.get(pk=first.build_id)
    assert row.state == Build.State.DONE and row.files == first.files and row.finished_at
    assert AuditEvent.objects.filter(action="guide.built", subject_id=str(row.pk)).exists()

    with open(target / "index.html", encoding="utf-8") as held:
        monkeypatch.setattr(SiteData, "load", partial)  # the second build: Jawa Barat only
        announcement("tps-pindah", "TPS 5 pindah ke balai desa")
        second = build_site(reason="again")
        assert "TPS 5 pindah" in (target / "index.html").read_text(encoding="utf-8")
        assert "TPS 5 pindah" not in held.read()  # opened before the swap: the old file, whole
    assert second.build_id != first.build_id
    leftovers = [p.name for p in target.parent.iterdir() if p.name.startswith("guide-site.")]
    assert leftovers == []  # the new directory was swapped in, the old one removed


@pytest.mark.django_db
def test_a_failed_build_keeps_the_old_site(target, monkeypatch):
    build_site(reason="first", index=False)
    before = (target / "build.json").read_text()

    def broken(site):
        raise site_build.pagefind.PagefindError("pagefind failed (1): boom")

    monkeypatch.setattr(site_build.pagefind, "index", broken)
    announcement("baru", "Pengumuman baru")
    with pytest.raises(BuildError, match="boom"):
        build_site(reason="second")
    assert (target / "build.json").read_text() == before
    assert "Pengumuman baru" not in (target / "index.html").read_text(encoding="utf-8")
    assert [p.name for p in target.parent.iterdir() if ".new-" in p.name] == []
    failed = Build.objects.get(reason="second")
    assert failed.state == Build.State.FAILED and "boom" in failed.error
    with pytest.raises(CommandError, match="previous site is still served"):
        call_command("guide", "build", stdout=StringIO())


@pytest.mark.django_db
def test_a_snapshot_path_outside_the_site_fails_the_build(target, monkeypatch):
    monkeypatch.setattr(site_build, "_snapshots", lambda: {"../escape.json": b"{}"})
    with pytest.raises(BuildError, match="not inside the site"):
        build_site(index=False)
    assert not (target.parent / "escape.json").exists() and not target.exists()


# --- scheduling ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fifty_publications_queue_one_build(
    target, fake_task, monkeypatch, django_capture_on_commit_callbacks
):
    queued = fake_task
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(50):
            schedule.request_build(reason=f"announcement {n} published")
    assert len(queued) == 1
    assert Build.objects.filter(state=Build.State.QUEUED).count() == 1
    # While that build runs, a new publication queues exactly one follow-up.
    Build.objects.filter(pk=queued[0]).update(state=Build.State.RUNNING)
    with django_capture_on_commit_callbacks(execute=True):
        schedule.request_build(reason="one more")
        schedule.request_build(reason="and another")
    assert len(queued) == 2
    Build.objects.filter(pk=queued[0]).update(state=Build.State.QUEUED)
    monkeypatch.setattr(site_build.pagefind, "index", lambda site: "")
    result = schedule.run_queued(queued[0])
    assert result["build"] == queued[0] and (target / "index.html").is_file()
    assert Build.objects.get(pk=queued[0]).state == Build.State.DONE


@pytest.mark.django_db
def test_a_stale_queued_build_does_not_hold_requests_back(
    target, fake_task, django_capture_on_commit_callbacks
):
    queued = fake_task
    stale = Build.objects.create(state=Build.State.QUEUED, reason="worker died")
    Build.objects.filter(pk=stale.pk).update(started_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        schedule.request_build(reason="after the outage")
    assert len(queued) == 1 and queued[0] != stale.pk


@pytest.mark.django_db
def test_immediate_tasks_build_into_the_settings_directory(
    target, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(site_build.pagefind, "index", lambda site: "")
    with django_capture_on_commit_callbacks(execute=True):
        schedule.request_build(reason="page published")
    assert (target / "index.html").is_file()
    assert Build.objects.get(reason="page published").state == Build.State.DONE


@pytest.mark.django_db
def test_if_due_rebuilds_only_when_a_validity_window_passed(target, monkeypatch):
    monkeypatch.setattr(site_build.pagefind, "index", lambda site: "")
    out = StringIO()
    call_command("guide", "build", "--if-due", "--json", stdout=out)
    assert json.loads(out.getvalue())["built"] is True  # no site yet
    assert due() == ""
    out = StringIO()
    call_command("guide", "build", "--if-due", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"built": False}
    last = Build.objects.filter(state="done").latest("started_at")
    e = announcement("tenang", "Masa tenang", valid_from=timezone.now() + timedelta(hours=1))
    assert due() == ""  # not open yet
    assert last.started_at < timezone.now()
    Revision.objects.filter(entry=e).update(valid_from=timezone.now())  # opened just now
    assert "validity" in due()
    out = StringIO()
    call_command("guide", "build", "--if-due", "--json", stdout=out)
    assert json.loads(out.getvalue())["built"] is True
    assert "Masa tenang" in (target / "index.html").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_build_command_out_dir(tmp_path, target, monkeypatch):
    monkeypatch.setattr(site_build.pagefind, "index", lambda site: "")
    out = StringIO()
    call_command("guide", "build", "--out", str(tmp_path / "cdn"), "--no-search", stdout=out)
    assert (tmp_path / "cdn" / "index.html").is_file() and not target.exists()
    assert "files" in out.getvalue() and os.path.isfile(tmp_path / "cdn" / "build.json")
