"""Training from labels, versions, activation, rollback, scoring and explanations."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from saring.accounts.scope import scope_for
from saring.audit.querysets import history_of
from saring.harms import labels, scoring, training
from saring.harms.models import HarmModel, PostHarmScore
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

ABUSIVE = ["dasar bego {i} kamu", "goblok banget {i} orang ini", "anjing lu {i} bangsat"]
CLEAN = [
    "ayo ke tps {i} besok pagi",
    "cek dpt online {i} di situs kpu",
    "debat capres {i} malam ini",
]


@pytest.fixture
def labelled(tmp_path, django_capture_on_commit_callbacks):
    lines = [
        post_line(f"{kind}{i}", template.format(i=i))
        for i in range(12)
        for kind, templates in (("a", ABUSIVE), ("c", CLEAN))
        for template in templates[i % 3 : i % 3 + 1]
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")
    analyst = member("analyst")
    abusive = list(Post.objects.filter(platform_id__startswith="a").values_list("id", flat=True))
    clean = list(Post.objects.filter(platform_id__startswith="c").values_list("id", flat=True))
    labels.set_labels(abusive[:10], {"abusive": True}, scope=scope_for(analyst))
    labels.set_labels(clean[:10], {"abusive": False}, scope=scope_for(analyst))
    return {"abusive": abusive, "clean": clean}


def _train(admin, captured):
    with captured(execute=True):
        model = training.start_training(scope_for(admin))
    model.refresh_from_db()
    return model


def test_train_activate_score_explain_and_roll_back(
    labelled, django_capture_on_commit_callbacks, client
):
    admin = member("admin", username="admin.model")
    first = _train(admin, django_capture_on_commit_callbacks)
    assert first.status == "ready", first.error
    assert first.labels == ["abusive"] and first.label_counts == {"abusive": 10}
    assert first.metrics["labels"]["abusive"]["f1"] > 0.8 and len(first.data_sha256) == 64
    assert not PostHarmScore.objects.exists()  # ready is not active: nothing scored yet

    with django_capture_on_commit_callbacks(execute=True):
        training.activate(first, scope=scope_for(admin))
    held_out = Post.objects.get(id=labelled["abusive"][-1])  # never labelled
    score = PostHarmScore.objects.get(post=held_out)
    assert score.model == first and score.scores["abusive"] > 0.5 and ",abusive," in score.predicted
    clean = PostHarmScore.objects.get(post_id=labelled["clean"][-1])
    assert clean.scores["abusive"] < 0.5
    explained = scoring.explain(held_out)
    assert explained[0]["code"] == "abusive" and explained[0]["terms"]

    client.login(username=admin.username, password=PASSWORD)
    page = client.get(reverse("web:post", args=[held_out.pk]))
    assert page.context["harm_scores"][0]["terms"] == explained[0]["terms"]

    second = _train(admin, django_capture_on_commit_callbacks)
    assert second.version == first.version + 1 and second.status == "ready"
    first.refresh_from_db()
    assert first.status == "active"  # a new version never replaces the active one by itself
    with django_capture_on_commit_callbacks(execute=True):
        training.activate(second, scope=scope_for(admin), force=True)
        back = training.rollback(scope=scope_for(admin))
    assert back == first
    assert HarmModel.objects.get(pk=first.pk).status == "active"
    second.refresh_from_db()
    assert second.status == "retired" and [h.to_state for h in history_of(second)][-2:] == [
        "active",
        "retired",
    ]


def test_a_training_that_cannot_work_fails_clearly_and_leaves_the_active_model(
    labelled, django_capture_on_commit_callbacks
):
    admin = member("admin")
    good = _train(admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        training.activate(good, scope=scope_for(admin))
    analyst = member("analyst")
    # Someone labels every post abusive: one class only, so the label cannot be learned.
    labels.set_labels(labelled["clean"][:10], {"abusive": True}, scope=scope_for(analyst))
    labels.set_labels(labelled["clean"][:10], {"abusive": True}, scope=scope_for(admin))
    bad = _train(admin, django_capture_on_commit_callbacks)
    assert bad.status == "failed" and bad.metrics["error"]["code"] == "all_skipped"
    assert "abusive 20/0" in bad.error  # the counts that were too few
    # The Models page words the reason in its reader's language, not the worker's.
    with translation.override("en"):
        assert bad.error_text.startswith("No label has at least 5 positive and 5 negative")
    with translation.override("id"):
        assert "abusive 20/0" in bad.error_text and "Tidak ada label" in bad.error_text
    assert training.active() == good
    with translation.override("en"), pytest.raises(training.ModelStateError, match="Only a ready"):
        training.activate(bad, scope=scope_for(admin))


def test_a_label_with_too_few_examples_is_left_out_and_listed(
    labelled, django_capture_on_commit_callbacks
):
    analyst = member("analyst")
    scope = scope_for(analyst)
    labels.set_labels(labelled["abusive"][:3], {"hoax": True}, scope=scope)
    model = _train(member("admin"), django_capture_on_commit_callbacks)
    assert model.status == "ready" and model.labels == ["abusive"]
    # 3 positives; the 20 posts with an abusive decision count as hoax-negative
    assert model.metrics["skipped"] == {"hoax": {"positives": 3, "negatives": 17}}


def test_a_worse_model_needs_force_and_a_missing_file_is_refused(
    labelled, django_capture_on_commit_callbacks
):
    admin = member("admin")
    good = _train(admin, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        training.activate(good, scope=scope_for(admin))
    worse = _train(admin, django_capture_on_commit_callbacks)
    HarmModel.objects.filter(pk=worse.pk).update(metrics={**worse.metrics, "macro_f1": 0.1})
    worse.refresh_from_db()
    with translation.override("en"), pytest.raises(training.ModelStateError, match="below the"):
        training.activate(worse, scope=scope_for(admin))
    HarmModel.objects.filter(pk=worse.pk).update(path="/nonexistent/harm.npz")
    worse.refresh_from_db()
    with pytest.raises(training.engine.ModelFormatError):
        training.activate(worse, scope=scope_for(admin), force=True)
    assert training.active() == good
