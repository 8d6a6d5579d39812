"""Posts linked to clarifications: backwards on publication, forwards on import, reviewed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saring.accounts.scope import scope_for
from saring.audit.querysets import history_of
from saring.factcheck import matching, review
from saring.factcheck.models import MatchThresholds, PostMatch
from saring.factcheck.services import save_clarification
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

HOAX_COPIES = [
    "Surat suara sudah dicoblos sebelum hari pencoblosan, ini buktinya!!",
    "ss udh dicoblos duluan sblm hari H, parah bgt",
    "Viral surat suara tercoblos untuk paslon tertentu sebelum 14 Februari",
]
CHATTER = ["Makan siang nasi padang enak banget", "Macet parah di tol dalam kota pagi ini"]


@pytest.fixture(autouse=True)
def fresh_index():
    matching.reset_index()  # each test has its own database, so its own clarifications
    yield
    matching.reset_index()


def publish(
    admin,
    claim="Surat suara sudah dicoblos sebelum hari pemungutan suara",
    headline="[SALAH] Surat suara sudah tercoblos sebelum hari H",
):
    return save_clarification(
        scope_for(admin),
        claim_text=claim,
        headline=headline,
        verdict="SALAH",
        explanation="Video simulasi.",
        publish=True,
    )


def test_publishing_links_existing_copies_backwards_and_leaves_chatter_alone(
    tmp_path, django_capture_on_commit_callbacks
):
    lines = [post_line(str(i), t) for i, t in enumerate(HOAX_COPIES + CHATTER)]
    ingest_file(write_jsonl(tmp_path / "a.jsonl", lines), "generic-jsonl")
    admin = member("admin")
    with django_capture_on_commit_callbacks(execute=True):
        clarification = publish(admin)
    linked = set(
        PostMatch.objects.filter(clarification=clarification).values_list(
            "post__platform_id", flat=True
        )
    )
    assert {"0", "2"} <= linked
    assert not linked & {"3", "4"}


def test_new_posts_are_matched_when_they_arrive(tmp_path, django_capture_on_commit_callbacks):
    admin = member("admin")
    with django_capture_on_commit_callbacks(execute=True):
        clarification = publish(admin)
    with django_capture_on_commit_callbacks(execute=True):
        ingest_file(
            write_jsonl(
                tmp_path / "b.jsonl", [post_line("n1", HOAX_COPIES[0]), post_line("n2", CHATTER[0])]
            ),
            "generic-jsonl",
        )
    assert PostMatch.objects.filter(clarification=clarification, post__platform_id="n1").exists()
    assert not PostMatch.objects.filter(post__platform_id="n2").exists()


def test_a_reviewers_decision_is_recorded_and_never_overwritten(tmp_path):
    ingest_file(
        write_jsonl(tmp_path / "a.jsonl", [post_line("1", HOAX_COPIES[1])]), "generic-jsonl"
    )
    admin, analyst = member("admin"), member("analyst")
    clarification = publish(admin)
    match = PostMatch.objects.create(
        post=Post.objects.get(platform_id="1"),
        clarification=clarification,
        score=0.5,
        decision="suggested",
    )
    review.decide(match, "rejected", scope=scope_for(analyst))
    matching.match_clarification(clarification.id)
    match.refresh_from_db()
    assert match.decision == "rejected"
    first = history_of(match).first()
    assert first.from_state == "suggested" and first.actor_id == analyst.pk
    with pytest.raises(review.ReviewError):
        review.decide(match, "suggested", scope=scope_for(analyst))
    viewer = member("viewer")
    with pytest.raises(review.ReviewError):
        review.decide(match, "confirmed", scope=scope_for(viewer))


def test_empty_and_emoji_only_posts_are_not_matched(tmp_path):
    ingest_file(
        write_jsonl(tmp_path / "a.jsonl", [post_line("e1", ""), post_line("e2", "😡😡🔥")]),
        "generic-jsonl",
    )
    publish(member("admin"))
    ids = sorted(Post.objects.values_list("id", flat=True))
    assert matching.match_new_posts(ids[0], ids[-1]) == 0


def test_only_admins_publish_and_drafts_are_not_matched(tmp_path):
    analyst = member("analyst")
    from saring.factcheck.services import ClarificationPermissionError

    with pytest.raises(ClarificationPermissionError):
        publish(analyst)
    draft = save_clarification(
        scope_for(analyst), claim_text=HOAX_COPIES[0], headline="draf", verdict="SALAH"
    )
    assert draft.status == "draft"
    assert matching.current_matcher().ids == []


def test_review_queue_page_and_keyboard_decision(client, tmp_path):
    ingest_file(
        write_jsonl(tmp_path / "a.jsonl", [post_line("1", HOAX_COPIES[1])]), "generic-jsonl"
    )
    admin = member("admin", username="admin.review")
    clarification = publish(admin)
    match, _ = PostMatch.objects.update_or_create(
        post=Post.objects.get(platform_id="1"),
        clarification=clarification,
        defaults={"score": 0.5, "decision": "suggested"},
    )
    client.login(username="admin.review", password=PASSWORD)
    page = client.get(reverse("web:review"))
    assert page.context["match"] == match
    client.post(reverse("web:review_decide", args=[match.pk]), {"decision": "confirmed"})
    match.refresh_from_db()
    assert match.decision == "confirmed"
    detail = client.get(reverse("web:clarification", args=[clarification.pk]))
    assert detail.context["reach"]["posts"] == 1
    assert client.get(reverse("web:review")).context["since_tune"] == 0  # made by no matcher

    client.post(reverse("web:review_retune"))  # admins re-tune on demand (immediate tasks here)
    tuned = MatchThresholds.objects.get()
    assert tuned.decisions == 0  # the test's match carries no matcher version
    page = client.get(reverse("web:review"))
    assert b"Re-tune now" in page.content or b"Setel ulang" in page.content


def test_reviewer_decisions_retune_the_thresholds_the_matcher_uses(
    tmp_path, django_capture_on_commit_callbacks
):
    from saring.factcheck import calibration

    lines = [
        post_line(str(i), f"{HOAX_COPIES[i % 3]} #{i}") for i in range(calibration.RETUNE_EVERY)
    ]
    ingest_file(write_jsonl(tmp_path / "a.jsonl", lines), "generic-jsonl")
    admin, analyst = member("admin"), member("analyst")
    clarification = publish(admin)
    matcher = matching.current_matcher()
    version = calibration.matcher_version(matcher.fusion, bool(matcher.embedder.dim))
    shipped = matcher.thresholds
    posts = list(Post.objects.order_by("id"))
    # Reviewers reject everything under 0.6 and confirm everything above.
    scores = [0.40 + 0.5 * i / len(posts) for i in range(len(posts))]
    matches = [
        PostMatch.objects.update_or_create(
            post=post,
            clarification=clarification,
            defaults={"score": score, "decision": "suggested", "matcher_version": version},
        )[0]
        for post, score in zip(posts, scores, strict=True)
    ]
    for match in matches[:-1]:
        review.decide(
            match, "confirmed" if match.score >= 0.6 else "rejected", scope=scope_for(analyst)
        )
    assert not MatchThresholds.objects.exists()  # not due yet
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(matches[-1], "confirmed", scope=scope_for(analyst))
    tuned = MatchThresholds.objects.get()
    assert (tuned.matcher_version, tuned.decisions) == (version, calibration.RETUNE_EVERY)
    assert tuned.auto is not None and 0.58 < tuned.auto <= 0.62
    matching.reset_index()  # another worker process picks the stored thresholds up
    assert matching.current_matcher().thresholds.auto == tuned.auto
    assert matching.current_matcher().thresholds != shipped
    assert calibration.decisions_since_last_tune(version) == 0


def test_clarification_vectors_are_embedded_once_and_reused_by_every_process():
    import numpy as np

    from saring.factcheck.models import PassageVector
    from saring.factcheck.vectors import StoredPassages

    class CountingEmbedder:
        dim, name = 3, "counting"

        def __init__(self):
            self.passages = 0

        def encode_queries(self, texts):
            return np.ones((len(texts), 3), dtype=np.float32)

        def encode_passages(self, texts):
            self.passages += len(texts)
            return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)

    first = StoredPassages(CountingEmbedder())
    vectors = first.encode_passages(["surat suara", "server kpu", "surat suara"])
    assert first.inner.passages == 2 and PassageVector.objects.count() == 2
    again = StoredPassages(CountingEmbedder())  # a new worker process
    assert np.array_equal(again.encode_passages(["server kpu", "surat suara"]), vectors[[1, 0]])
    assert again.inner.passages == 0
