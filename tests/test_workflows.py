"""Every workflow moves through the one engine and leaves its audit event; a refused move
leaves none and changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.audit.querysets import history_of
from saring.audit.services import verify
from saring.factcheck import narratives, review
from saring.factcheck.models import Clarification, Narrative, PostMatch
from saring.factcheck.services import may_publish, save_clarification
from saring.harms import labels, training
from saring.harms.models import VERSIONS, HarmModel
from saring.monitoring.models import Post
from saring.monitoring.services.watchlists import save_watchlist
from saring.taxonomy.models import HarmCategory
from saring.workflow import TransitionError, transition
from saring.workflow.legacy import OldEntry, append_entries, parse_time
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

SYLLABLES = [a + b for a in "bdgklmnprst" for b in "aiuoe"]
WORDS = [SYLLABLES[i] + SYLLABLES[(i * 7 + 3) % len(SYLLABLES)] + "ng" for i in range(50)]


def _text(first: int, last: int) -> str:
    return " ".join(WORDS[first:last])


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


@pytest.fixture
def ingest(tmp_path, django_capture_on_commit_callbacks):
    """Import posts and run their background jobs (analysis, clustering) right away."""
    from saring.monitoring.services.ingest import ingest_file

    def run(lines, name="a.jsonl"):
        with django_capture_on_commit_callbacks(execute=True):
            return ingest_file(write_jsonl(tmp_path / name, lines), "generic-jsonl")

    return run


@pytest.fixture
def models_without_files(monkeypatch):
    """Versions v1 retired, v2 active, v3 ready, whose model files are not needed here."""
    monkeypatch.setattr(training.engine, "load", lambda path: None)
    monkeypatch.setattr("saring.harms.hooks.queue_scoring", lambda first, last: None)
    return [
        HarmModel.objects.create(version=v, status=s)
        for v, s in ((1, "retired"), (2, "active"), (3, "ready"))
    ]


# Classifier versions


def test_activation_and_rollback_are_audit_events_naming_who_from_and_to(models_without_files):
    _, current, ready = models_without_files
    admin = member("admin", username="admin.nasional")
    training.activate(ready, scope=scope_for(admin))
    assert _actions() == [Action.MODEL_RETIRED, Action.MODEL_ACTIVATED]
    event = history_of(ready).get()
    assert (event.from_state, event.to_state, event.actor) == ("ready", "active", admin.username)
    assert event.actor_id == admin.pk and event.organisation == admin.membership.organisation.name
    assert history_of(current).get().reason == "replaced by v3"

    training.rollback(scope=scope_for(admin))
    assert [e.to_state for e in history_of(current)] == ["retired", "active"]
    assert [e.to_state for e in history_of(ready)] == ["active", "retired"]
    assert verify().intact


def test_a_regency_admin_cannot_activate_and_leaves_no_trace(models_without_files):
    ready = models_without_files[2]
    regency_admin = member("admin", "32", "32.73")
    with pytest.raises(ScopeError):
        training.activate(ready, scope=scope_for(regency_admin))
    with pytest.raises(ScopeError):
        training.rollback(scope=scope_for(regency_admin))
    assert not AuditEvent.objects.exists()
    assert list(HarmModel.objects.order_by("version").values_list("status", flat=True)) == [
        "retired",
        "active",
        "ready",
    ]


def test_a_move_the_table_lacks_is_refused_and_writes_nothing():
    failed = HarmModel.objects.create(version=1, status="failed")
    with pytest.raises(TransitionError):
        transition(failed, VERSIONS, "active", scope=SYSTEM)
    with pytest.raises(training.ModelStateError):
        training.activate(failed, scope=SYSTEM)
    failed.refresh_from_db()
    assert failed.status == "failed" and not AuditEvent.objects.exists()


def test_a_training_is_recorded_when_it_starts_and_when_the_system_finishes_it():
    admin = member("admin")
    model = training.start_training(scope_for(admin), note="uji")
    start = history_of(model).get()
    assert (start.action, start.to_state, start.actor) == (
        Action.MODEL_TRAINING,
        "training",
        admin.username,
    )
    model = training.run_training(model.id)  # no labels at all: it fails, and says why
    assert model.status == "failed"
    end = history_of(model).last()
    assert (end.action, end.from_state, end.to_state, end.actor) == (
        Action.MODEL_FAILED,
        "training",
        "failed",
        "system",
    )
    assert end.reason == model.error[:200]


# Match review


@pytest.fixture
def suggestion(ingest):
    ingest([post_line("1", "Surat suara sudah dicoblos sebelum hari H")])
    admin = member("admin", "32")
    clarification = save_clarification(
        scope_for(admin),
        claim_text="Surat suara sudah dicoblos",
        headline="[SALAH] Surat suara tercoblos",
        verdict="SALAH",
        publish=True,
    )
    return PostMatch.objects.create(
        post=Post.objects.get(), clarification=clarification, score=0.5, decision="suggested"
    )


def test_a_review_is_an_audit_event_and_the_match_history_reads_from_it(suggestion):
    analyst = member("analyst", "32", "32.73")
    before = AuditEvent.objects.count()
    review.decide(suggestion, "confirmed", scope=scope_for(analyst), why="sama persis")
    review.decide(suggestion, "rejected", scope=scope_for(analyst))
    events = list(history_of(suggestion))
    assert AuditEvent.objects.count() == before + 2
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (Action.MATCH_REVIEWED, "suggested", "confirmed"),
        (Action.MATCH_REVIEWED, "confirmed", "rejected"),
    ]
    assert events[0].reason == "sama persis" and events[0].actor_id == analyst.pk
    suggestion.refresh_from_db()
    assert suggestion.reviewed_by == analyst and suggestion.decision == "rejected"


def test_a_refused_review_writes_no_event(suggestion):
    before = AuditEvent.objects.count()
    for who in (member("viewer", "32"), member("analyst", "35"), member("analyst", "32", None)):
        scope = scope_for(who)
        if who.membership.role == "viewer" or who.membership.organisation.province_id == "35":
            with pytest.raises(review.ReviewPermissionError):
                review.decide(suggestion, "confirmed", scope=scope)
        else:
            with pytest.raises(review.ReviewError):  # not in the table
                review.decide(suggestion, "suggested", scope=scope)
    assert AuditEvent.objects.count() == before
    suggestion.refresh_from_db()
    assert suggestion.decision == "suggested" and suggestion.reviewed_by is None


# Clarifications


def test_saving_and_publishing_a_clarification_are_recorded():
    analyst, admin = member("analyst", "32"), member("admin", "32")
    draft = save_clarification(
        scope_for(analyst), claim_text="Klaim", headline="Draf", verdict="SALAH"
    )
    with pytest.raises(ScopeError):
        save_clarification(
            scope_for(analyst),
            clarification=draft,
            claim_text="Klaim",
            headline="Draf",
            verdict="SALAH",
            publish=True,
        )
    assert [e.action for e in history_of(draft)] == [Action.CLARIFICATION_SAVED]
    assert not may_publish(scope_for(analyst), draft) and may_publish(scope_for(admin), draft)
    published = save_clarification(
        scope_for(admin),
        clarification=draft,
        claim_text="Klaim",
        headline="Terbit",
        verdict="SALAH",
        publish=True,
    )
    assert published.status == "published" and published.published_at is not None
    saved, created, publish = history_of(draft)
    assert (saved.details, saved.actor) == ({"created": True}, analyst.username)
    assert (created.action, created.details) == (Action.CLARIFICATION_SAVED, {"created": False})
    assert (publish.action, publish.from_state, publish.to_state, publish.actor) == (
        Action.CLARIFICATION_PUBLISHED,
        "draft",
        "published",
        admin.username,
    )
    assert Clarification.objects.get().created_by == analyst
    assert not may_publish(scope_for(admin), published)  # the table has no second publication


# Labels


def test_a_label_set_changed_and_cleared_leaves_a_trace_each_time(ingest):
    ingest([post_line("1")])
    post, analyst = Post.objects.get(), member("analyst", "32")
    scope = scope_for(analyst)
    labels.set_labels([post.pk], {"abusive": True}, scope=scope)
    labels.set_labels([post.pk], {"abusive": True}, scope=scope)  # no change: no event
    labels.set_labels([post.pk], {"abusive": False}, scope=scope)
    labels.set_labels([post.pk], {"abusive": None}, scope=scope)
    events = list(history_of(post))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (Action.LABEL_SET, "", "present"),
        (Action.LABEL_CHANGED, "present", "absent"),
        (Action.LABEL_CLEARED, "absent", ""),
    ]
    assert {e.details["label"] for e in events} == {"abusive"}
    assert {e.actor_id for e in events} == {analyst.pk}
    with pytest.raises(labels.LabelPermissionError):
        labels.set_labels([post.pk], {"abusive": True}, scope=SYSTEM)  # labels are a person's
    assert len(history_of(post)) == 3


# Watchlists


def test_a_watchlist_save_is_recorded_with_its_version():
    admin = member("admin", "32")
    category = HarmCategory.objects.get(code="sara")
    watchlist = save_watchlist(scope_for(admin), name="Jabar", category=category, terms="a")
    watchlist = save_watchlist(
        scope_for(admin), watchlist=watchlist, name="Jabar", category=category, terms="b"
    )
    events = list(history_of(watchlist))
    assert [e.action for e in events] == [Action.WATCHLIST_SAVED] * 2
    assert [e.details["version"] for e in events] == [1, 2]
    assert events[0].details["created"] and not events[1].details["created"]
    with pytest.raises(ScopeError):
        save_watchlist(
            scope_for(member("admin", "35")),
            watchlist=watchlist,
            name="x",
            category=category,
            terms="x",
        )
    assert len(history_of(watchlist)) == 2


# Narratives


def test_a_merge_by_the_clusterer_is_recorded_as_the_systems(ingest):
    # A and B share little; M overlaps both, so it joins them: B's narrative merges into A's.
    ingest([post_line("a", _text(0, 30)), post_line("b", _text(12, 42))], "ab.jsonl")
    assert Narrative.objects.filter(merged_into=None).count() == 2
    ingest([post_line("m", _text(6, 36))], "m.jsonl")
    survivor = Narrative.objects.get(merged_into=None)
    absorbed = Narrative.objects.exclude(pk=survivor.pk).get()
    event = AuditEvent.objects.get(action=Action.NARRATIVE_MERGED)
    assert (event.actor, event.actor_id, event.subject_id) == ("system", None, str(survivor.pk))
    assert event.details["survivor"] == survivor.number
    assert event.details["absorbed"] == absorbed.number and event.details["posts"] == 1


def test_a_split_is_recorded_with_the_posts_moved(ingest):
    copy = "surat suara sudah dicoblos sebelum hari pemungutan suara di kota bandung hari ini"
    ingest([post_line(str(i), f"{copy} {i}") for i in range(4)])
    source = Narrative.objects.get()
    moved = sorted(Post.objects.filter(platform_id__in=["2", "3"]).values_list("id", flat=True))
    with pytest.raises(narratives.SplitPermissionError):
        narratives.split_narrative(source, moved, scope=scope_for(member("viewer")))
    assert not AuditEvent.objects.filter(action=Action.NARRATIVE_SPLIT).exists()
    analyst = member("analyst", "32")
    new = narratives.split_narrative(source, moved, scope=scope_for(analyst))
    event = AuditEvent.objects.get(action=Action.NARRATIVE_SPLIT)
    assert event.actor_id == analyst.pk and event.subject_id == str(source.pk)
    assert event.details == {"from": source.number, "into": new.number, "posts": moved}


# The JSON history columns of before the engine


def test_old_json_history_becomes_audit_events_at_the_tail_of_an_intact_chain():
    admin = member("admin", username="admin.lama")
    model = HarmModel.objects.create(version=1, status="active")
    record_before = training.start_training(SYSTEM)  # an event already in the chain
    entries = [
        OldEntry(
            at=parse_time(at),
            actor_id=by,
            action=action,
            subject_type="harms.harmmodel",
            subject_id=str(model.pk),
            subject="v1",
            from_state=source,
            to_state=target,
        )
        for at, by, action, source, target in (
            ("2024-02-02T10:00:00+00:00", admin.pk, Action.MODEL_ACTIVATED, "ready", "active"),
            ("2024-02-01T09:00:00", None, Action.MODEL_READY, "training", "ready"),
        )
    ]
    assert append_entries(AuditEvent, get_user_model(), entries) == 2
    history = list(history_of(model))
    assert [(e.to_state, e.actor) for e in history] == [
        ("ready", "system"),
        ("active", "admin.lama"),
    ]
    assert history[0].details == {"migrated_from": "history column"}
    assert history[0].seq > history_of(record_before).get().seq  # appended, never inserted
    assert verify().intact
