"""The review queue is the reviewer's region's, widest reach first, and the suggestions the
measured auto-link precision vouches for are linked without it (issue #10 §3)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from saring.accounts.scope import ScopeError, scope_for
from saring.audit.actions import Action
from saring.audit.models import AuditEvent
from saring.factcheck import calibration, matching, review
from saring.factcheck.models import MatchThresholds, PostMatch
from saring.factcheck.services import save_clarification
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db
VERSION = "hybrid-test"


@pytest.fixture(autouse=True)
def fresh_index():
    matching.reset_index()
    yield
    matching.reset_index()


@pytest.fixture
def queue(tmp_path):
    """Suggestions on posts of Bandung (Jabar), Surabaya (Jatim) and nowhere in particular."""
    lines = [
        post_line("jb-small", "Surat suara dicoblos di Kota Bandung", views=100),
        post_line("jb-big", "Surat suara dicoblos di Kota Bandung viral", views=90_000),
        post_line("jt", "Surat suara dicoblos di Surabaya", views=50_000),
        post_line("none", "Surat suara dicoblos katanya", views=70_000),
    ]
    ingest_file(write_jsonl(tmp_path / "q.jsonl", lines), "generic-jsonl")
    admin = member("admin")
    clarification = save_clarification(
        scope_for(admin),
        claim_text="Surat suara sudah dicoblos sebelum hari pemungutan suara",
        headline="[SALAH] Surat suara sudah tercoblos",
        verdict="SALAH",
        explanation="Video simulasi.",
        publish=True,
    )
    PostMatch.objects.all().delete()  # the backwards matching of the test's own matcher
    scores = {"jb-small": 0.9, "jb-big": 0.4, "jt": 0.5, "none": 0.6}
    return {
        pid: PostMatch.objects.create(
            post=Post.objects.get(platform_id=pid),
            clarification=clarification,
            score=score,
            decision="suggested",
            matcher_version=VERSION,
        )
        for pid, score in scores.items()
    }


def test_a_regional_reviewer_sees_the_posts_of_its_region_widest_reach_first(queue):
    jabar = scope_for(member("analyst", "32"))
    assert [m.post.platform_id for m in review.review_queue(jabar)] == ["jb-big", "jb-small"]
    jatim = scope_for(member("analyst", "35"))
    assert [m.post.platform_id for m in review.review_queue(jatim)] == ["jt"]
    bandung = scope_for(member("analyst", "32", "32.73"))
    assert {m.post.platform_id for m in review.review_queue(bandung)} == {"jb-big", "jb-small"}


def test_a_national_reviewer_sees_every_region_by_reach_and_can_pick_one(queue):
    national = scope_for(member("analyst"))
    order = [m.post.platform_id for m in review.review_queue(national)]
    assert order == ["jb-big", "none", "jt", "jb-small"]
    assert [m.post.platform_id for m in review.review_queue(national, "35")] == ["jt"]
    counts = {r["code"]: r["n"] for r in review.review_queue_by_province(national)}
    assert counts == {"32": 2, "35": 1, "": 1}


def test_the_review_page_says_how_many_are_left_and_the_auto_link_threshold(client, queue):
    analyst = member("analyst", "32")
    client.login(username=analyst.username, password=PASSWORD)
    page = client.get(reverse("web:review"))
    assert page.context["match"] == queue["jb-big"]
    html = page.content.decode()
    assert 'data-remaining="2"' in html
    assert 'id="auto-policy"' in html and 'data-auto="0.98' in html  # the shipped 0.9806
    assert 'data-precision="0.99"' in html
    assert page.context["policy"].test_precision == calibration.SHIPPED_TEST_PRECISION
    assert 'id="review-regions"' not in html  # regional: its own region only

    national = member("analyst")
    client.login(username=national.username, password=PASSWORD)
    page = client.get(reverse("web:review"), {"province": "35"})
    assert page.context["match"] == queue["jt"] and page.context["remaining"] == 1
    assert 'data-province="32"' in page.content.decode()
    response = client.post(
        reverse("web:review_decide", args=[queue["jt"].pk]),
        {"decision": "rejected", "province": "35"},
    )
    assert response["Location"].endswith("?province=35")  # stays in the region being reviewed


def test_waiting_suggestions_at_or_above_the_shipped_auto_threshold_are_linked(queue):
    shipped_auto, _ = calibration._shipped_rule(VERSION)
    high = queue["jt"]
    PostMatch.objects.filter(pk=high.pk).update(score=shipped_auto)
    reviewed = queue["none"]
    PostMatch.objects.filter(pk=reviewed.pk).update(score=0.995)
    review.decide(reviewed, "rejected", scope=scope_for(member("analyst")))
    linked = calibration.auto_link_suggestions(VERSION)
    assert linked == 1
    high.refresh_from_db()
    reviewed.refresh_from_db()
    assert high.decision == "auto"
    assert reviewed.decision == "rejected"  # a reviewer's decision is never re-decided
    assert PostMatch.objects.filter(decision="suggested").count() == 2
    event = AuditEvent.objects.get(action=Action.MATCHES_AUTO_LINKED)
    assert event.details["linked"] == 1 and event.details["auto"] == shipped_auto
    assert calibration.auto_link_suggestions(VERSION) == 0  # idempotent


def test_the_autolink_command_links_and_reports(queue, capsys):
    PostMatch.objects.filter(pk=queue["jt"].pk).update(score=0.99)
    call_command("clarifications", "autolink", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["linked"] == 1 and out["measured_on"] == "shipped" and out["precision"] == 0.99


def test_a_retune_links_the_waiting_suggestions_its_threshold_vouches_for(queue, monkeypatch):
    # A re-tuned threshold below a waiting suggestion: the retune job links it.
    monkeypatch.setattr(calibration, "latest_version", lambda: VERSION)
    MatchThresholds.objects.create(matcher_version=VERSION, auto=0.55, suggest=0.1)
    linked = calibration.auto_link_suggestions(VERSION)
    assert linked == 2  # 0.9 and 0.6; 0.5 and 0.4 stay for reviewers
    policy = calibration.auto_link_policy(VERSION)
    assert (policy.auto, policy.measured_on) == (0.55, "reviewers")


def test_only_a_national_administrator_or_the_system_auto_links(queue):
    with pytest.raises(ScopeError):
        calibration.auto_link_suggestions(VERSION, scope=scope_for(member("admin", "32")))
    assert not PostMatch.objects.filter(decision="auto").exists()


def test_new_matches_at_or_above_the_threshold_in_force_are_stored_linked(
    tmp_path, django_capture_on_commit_callbacks
):
    admin = member("admin")
    claim = "Surat suara sudah dicoblos sebelum hari pemungutan suara di Kota Bandung"
    with django_capture_on_commit_callbacks(execute=True):
        save_clarification(
            scope_for(admin),
            claim_text=claim,
            headline="[SALAH] Surat suara sudah tercoblos sebelum hari pemungutan",
            verdict="SALAH",
            explanation="Video simulasi.",
            publish=True,
        )
    matcher = matching.current_matcher()
    version = calibration.matcher_version(matcher.fusion, bool(matcher.embedder.dim))
    probe = matcher.match_many([claim], k=1)[0][0].score
    # Reviewers' decisions re-tuned the threshold to just under this score: a copy is linked.
    MatchThresholds.objects.create(matcher_version=version, auto=probe * 0.9, suggest=0.0)
    with django_capture_on_commit_callbacks(execute=True):
        ingest_file(write_jsonl(tmp_path / "n.jsonl", [post_line("copy", claim)]), "generic-jsonl")
    match = PostMatch.objects.get(post__platform_id="copy")
    assert match.decision == "auto" and match.score >= probe * 0.9
