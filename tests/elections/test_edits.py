"""Posts get their stage at import; admins move stages within their scope; posts follow."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.elections.models import Election, Stage
from saring.elections.services import update_election, update_stage
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from saring.monitoring.services.stages import assign_stages, restage
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

LAMPUNG_CITY = "pilkada.1871.2024-11-27"


def _ingest(tmp_path, lines):
    ingest_file(write_jsonl(tmp_path / "posts.jsonl", lines), "generic-jsonl")


def _line(pid: str, region: str, when: str) -> dict:
    return post_line(pid, "Ayo ke TPS, jangan golput", region_code=region, created_at=when)


def _stage(pid: str) -> tuple[str, str] | None:
    post = Post.objects.select_related("stage").get(platform_id=pid)
    return (post.stage.election_id, post.stage.kind) if post.stage else None


def test_ingest_sets_the_stage(tmp_path) -> None:
    _ingest(
        tmp_path,
        [
            _line("1", "32.73", "2024-02-12T08:00:00+07:00"),
            _line("2", "18.71", "2024-11-25T08:00:00+07:00"),
            _line("3", "91", "2024-02-10T16:30:00+00:00"),
            _line("4", "32", "2024-06-01T08:00:00+07:00"),
        ],
    )
    assert _stage("1") == ("pemilu.2024-02-14", "quiet")
    assert _stage("2") == (LAMPUNG_CITY, "quiet")
    assert _stage("3") == ("pemilu.2024-02-14", "quiet")  # already 11 Feb in WIT
    assert _stage("4") is None


def test_assign_stages_on_unsaved_posts() -> None:
    from datetime import UTC, datetime

    posts = [
        Post(province_id="31", regency_id="31.71", created_at=datetime(2024, 11, 25, tzinfo=UTC)),
        Post(province_id=None, regency_id=None, created_at=datetime(2024, 2, 14, tzinfo=UTC)),
    ]
    assign_stages(posts)
    assert Stage.objects.get(pk=posts[0].stage_id).election_id == "pilkada.31.2024-11-27"
    assert Stage.objects.get(pk=posts[1].stage_id).kind == "voting"


def test_an_admin_edit_moves_the_stage_restages_posts_and_is_audited(
    tmp_path, django_capture_on_commit_callbacks
) -> None:
    _ingest(
        tmp_path,
        [
            _line("a", "18.71", "2024-11-23T10:00:00+07:00"),  # last campaign day
            _line("b", "18.72", "2024-11-23T10:00:00+07:00"),  # Kota Metro: not edited
        ],
    )
    assert _stage("a") == (LAMPUNG_CITY, "campaign")
    user = member(Membership.Role.ADMIN, province="18", regency="18.71")
    scope = scope_for(user)
    election = Election.objects.get(pk=LAMPUNG_CITY)
    campaign = election.stages.get(kind="campaign")
    quiet = election.stages.get(kind="quiet")
    # The campaign ends a day early and the quiet period starts a day early.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        update_stage(scope, campaign, date(2024, 9, 25), date(2024, 11, 22))
        update_stage(scope, quiet, date(2024, 11, 23), date(2024, 11, 26), reason="PKPU revision")
    # One calendar announcement per edit (the guide's rebuild and webhooks queue after it).
    assert sum(c.__qualname__.startswith("_announce") for c in callbacks) == 2
    assert _stage("a") == (LAMPUNG_CITY, "quiet")  # restaged by the hook's immediate task
    assert _stage("b") == ("pilkada.1872.2024-11-27", "campaign")
    event = AuditEvent.objects.filter(action="election.stage_changed").order_by("-seq").first()
    assert event.actor == user.username
    assert event.subject_id == LAMPUNG_CITY
    assert event.from_state == "2024-11-24..2024-11-26"
    assert event.to_state == "2024-11-23..2024-11-26"
    assert event.reason == "PKPU revision"
    assert event.details["stage"] == "quiet"


def test_stage_dates_must_be_in_order() -> None:
    stage = Stage.objects.get(election_id=LAMPUNG_CITY, kind="quiet")
    with pytest.raises(ValueError):
        update_stage(SYSTEM, stage, date(2024, 11, 26), date(2024, 11, 24))
    stage.refresh_from_db()
    assert stage.starts_on == date(2024, 11, 24)


def test_scope_limits_who_edits_which_election() -> None:
    regency_admin = scope_for(member(Membership.Role.ADMIN, province="18", regency="18.71"))
    province_admin = scope_for(member(Membership.Role.ADMIN, province="18"))
    analyst = scope_for(member(Membership.Role.ANALYST))
    pemilu_quiet = Stage.objects.get(election_id="pemilu.2024-02-14", kind="quiet")
    metro_quiet = Stage.objects.get(election_id="pilkada.1872.2024-11-27", kind="quiet")
    governor_quiet = Stage.objects.get(election_id="pilkada.18.2024-11-27", kind="quiet")
    days = (date(2024, 11, 23), date(2024, 11, 26))
    for scope, stage in [
        (regency_admin, pemilu_quiet),
        (regency_admin, metro_quiet),
        (regency_admin, governor_quiet),
        (province_admin, pemilu_quiet),
        (analyst, metro_quiet),
    ]:
        with pytest.raises(ScopeError):
            update_stage(scope, stage, *days)
    with pytest.raises(ScopeError):
        update_election(regency_admin, Election.objects.get(pk="pemilu.2024-02-14"), name="X")
    assert not AuditEvent.objects.filter(action="election.stage_changed").exists()
    update_stage(province_admin, metro_quiet, *days)  # the province's own regencies: allowed
    update_stage(province_admin, governor_quiet, *days)
    renamed = update_election(
        regency_admin, Election.objects.get(pk=LAMPUNG_CITY), name="Pilwalkot 2024 Bandar Lampung"
    )
    assert Election.objects.get(pk=LAMPUNG_CITY).name == renamed.name
    assert AuditEvent.objects.filter(action="election.changed").count() == 1


def test_restage_command_recomputes_every_post(tmp_path, capsys) -> None:
    _ingest(tmp_path, [_line(str(i), "32.73", "2024-02-12T08:00:00+07:00") for i in range(5)])
    Post.objects.update(stage=None)  # as after the migration, on posts imported before it
    call_command("posts", "restage", "--chunk", "2")
    out = capsys.readouterr().out
    assert "5 posts looked at, 5 changed" in out
    assert "2/5 posts" in out
    assert {_stage(str(i)) for i in range(5)} == {("pemilu.2024-02-14", "quiet")}
    result = restage(["pemilu.2024-02-14"])
    assert (result.posts, result.changed) == (5, 0)
    with pytest.raises(Election.DoesNotExist):
        restage(["pilkada.9999.2024-11-27"])


def test_demo_posts_get_their_stages(tmp_path) -> None:
    from saring.demo.generator import write_jsonl as write_demo

    path = tmp_path / "demo.jsonl"
    write_demo(path, 400, seed=7)
    ingest_file(path, "generic-jsonl")
    posts = Post.objects.all()
    assert posts.count() > 300
    staged = posts.filter(stage__isnull=False)
    # The demo window (Nov 2023 – Mar 2024) is mostly the Pemilu's campaign and what follows.
    assert staged.count() > 0.8 * posts.count()
    assert set(staged.values_list("stage__election_id", flat=True)) == {"pemilu.2024-02-14"}
    assert staged.filter(stage__kind="quiet").exists()
