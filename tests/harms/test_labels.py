"""Labels by analysts: who and when, disagreement, bulk, the queue, hoax candidates."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saring.accounts.scope import scope_for
from saring.factcheck.models import Claim, Clarification, PostMatch
from saring.harms import hoax, labels, queue
from saring.harms.models import PostLabel
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tmp_path):
    lines = [
        post_line("1", "dasar kafir laknat semua pendukung paslon itu", views=10),
        post_line("2", "ayo ke TPS tanggal 14 Februari", views=500),
        post_line("3", "surat suara sudah dicoblos duluan, hoaks KPU", views=90),
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")
    return {p.platform_id: p for p in Post.objects.all()}


def test_each_analyst_keeps_their_own_decision_and_disagreement_shows(posts):
    a, b = member("analyst"), member("analyst")
    post = posts["1"]
    labels.set_labels([post.pk], {"hs_religion": True}, scope=scope_for(a))
    labels.set_labels([post.pk], {"hate_speech": False}, scope=scope_for(b))
    by_a = PostLabel.objects.get(post=post, category__code="hate_speech", labelled_by=a)
    assert by_a.present and by_a.labelled_at is not None  # a detail implies hate speech
    summary = labels.summary(post, b)
    assert summary["hate_speech"].disputed and summary["hate_speech"].mine is False
    assert summary["hate_speech"].majority is None
    labels.set_labels([post.pk], {"hate_speech": None}, scope=scope_for(b))
    assert labels.summary(post)["hate_speech"].majority is True
    labels.set_labels([post.pk], {"hate_speech": False}, scope=scope_for(a))
    changed = PostLabel.objects.get(post=post, category__code="hate_speech", labelled_by=a)
    assert not changed.present and changed.labelled_at > by_a.labelled_at


def test_the_search_finds_the_posts_analysts_disagree_on(client, posts):
    a, b = member("analyst", username="analis.a"), member("analyst")
    labels.set_labels([posts["1"].pk, posts["3"].pk], {"hoax": True}, scope=scope_for(a))
    labels.set_labels([posts["1"].pk], {"hoax": False}, scope=scope_for(b))
    labels.set_labels([posts["3"].pk], {"abusive": False}, scope=scope_for(b))
    assert list(labels.disputed_posts(Post.objects.all())) == [posts["1"]]
    client.login(username=a.username, password=PASSWORD)
    page = client.get(reverse("web:search"), {"disputed": "on"})
    assert [p.platform_id for p in page.context["page"]] == ["1"]


def test_viewers_cannot_label_and_unknown_codes_are_refused(posts):
    viewer, analyst = member("viewer"), member("analyst")
    with pytest.raises(labels.LabelPermissionError):
        labels.set_labels([posts["1"].pk], {"abusive": True}, scope=scope_for(viewer))
    with pytest.raises(ValueError, match="unknown harm categories: kasar"):
        labels.set_labels([posts["1"].pk], {"kasar": True}, scope=scope_for(analyst))


def test_training_labels_take_the_majority(posts):
    a, b, c = member("analyst"), member("analyst"), member("analyst")
    for user, present in ((a, True), (b, True), (c, False)):
        labels.set_labels([posts["1"].pk], {"abusive": present}, scope=scope_for(user))
    labels.set_labels([posts["2"].pk], {"abusive": False}, scope=scope_for(a))
    ids, rows, ties = labels.training_labels(["abusive", "hoax"])
    assert dict(zip(ids, rows, strict=True)) == {posts["1"].pk: [1, 0], posts["2"].pk: [0, 0]}
    assert ties == 0


def test_bulk_labelling_from_a_search_and_its_limit(client, posts):
    user = member("analyst", username="analis.label")
    client.login(username=user.username, password=PASSWORD)
    response = client.post(
        reverse("web:bulk_label"), {"query": "q=tps", "category": "wrong_procedure", "present": "0"}
    )
    assert response.status_code == 302 and "q=tps" in response["Location"]
    assert list(PostLabel.objects.values_list("post__platform_id", "present")) == [("2", False)]


def test_the_queue_starts_with_spreading_flagged_posts_and_skips_labelled_ones(client, posts):
    user = member("analyst", username="analis.antrean")
    post, reason = queue.next_post(user)
    flagged = [p for p in posts.values() if p.flags.exists()]
    assert posts["2"] not in flagged and len(flagged) >= 1
    expected = max(flagged, key=lambda p: (p.virality, -p.id))
    assert (reason, post) == ("spreading", expected)  # no model yet: flagged, spreading first
    labels.set_labels([post.pk], {"hate_speech": True}, scope=scope_for(user))
    assert queue.next_post(user)[0] != post
    client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("web:label_queue"))
    nxt = page.context["post"]
    client.post(reverse("web:label_queue"), {"post": nxt.pk, "label-abusive": "0"})
    assert PostLabel.objects.filter(post=nxt, labelled_by=user, present=False).exists()


def test_a_post_linked_to_a_false_clarification_is_a_hoax_candidate_with_its_evidence(
    client, posts
):
    claim = Claim.objects.create(text="surat suara sudah dicoblos")
    false = Clarification.objects.create(
        claim=claim, headline="Tidak benar", verdict="SALAH", status="published"
    )
    true = Clarification.objects.create(
        claim=claim, headline="Benar", verdict="BENAR", status="published"
    )
    PostMatch.objects.create(post=posts["3"], clarification=false, score=0.9, decision="auto")
    PostMatch.objects.create(post=posts["2"], clarification=true, score=0.9, decision="confirmed")
    PostMatch.objects.create(post=posts["1"], clarification=false, score=0.5, decision="rejected")
    assert list(hoax.candidates(Post.objects.all())) == [posts["3"]]
    user = member("viewer", username="pemantau")
    client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("web:post", args=[posts["3"].pk]))
    assert [m.clarification for m in page.context["hoax_evidence"]] == [false]
    search = client.get(reverse("web:search"), {"hoax": "on"})
    assert list(search.context["page"]) == [posts["3"]]
