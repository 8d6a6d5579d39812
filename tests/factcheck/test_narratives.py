"""Narratives in the database: stable numbers, merges recorded, aggregates, growth alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from saring.factcheck import narratives
from saring.factcheck.models import Narrative, NarrativeEvent, NarrativeState, PostNarrative
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

COPY = "surat suara sudah dicoblos sebelum hari pemungutan suara di kota bandung hari ini"


@pytest.fixture(autouse=True)
def run_background_jobs(django_capture_on_commit_callbacks, monkeypatch):
    """Imports queue clustering on commit; run those jobs as a worker would, right away."""
    from saring.monitoring.services import ingest

    original = ingest.ingest_file

    def ingest_and_run(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    monkeypatch.setattr(ingest, "ingest_file", ingest_and_run)
    return ingest_and_run


def _ingest(tmp_path, name, lines):
    from saring.monitoring.services import ingest

    return ingest.ingest_file(write_jsonl(tmp_path / name, lines), "generic-jsonl")


def test_copies_form_one_narrative_and_chatter_stays_out(tmp_path):
    _ingest(
        tmp_path,
        "a.jsonl",
        [
            post_line("1", COPY),
            post_line("2", COPY + " parah"),
            post_line("3", "wah " + COPY),
            post_line("4", "resep nasi goreng kampung pedas manis enak sekali untuk sarapan pagi"),
        ],
    )
    linked = PostNarrative.objects.filter(post__platform_id__in=["1", "2", "3"])
    assert linked.values("narrative").distinct().count() == 1
    narrative = linked.first().narrative
    assert narrative.size == 3 and narrative.representative is not None
    other = PostNarrative.objects.get(post__platform_id="4").narrative
    assert other != narrative


def test_growth_never_renames_a_narrative_and_state_carries_over(tmp_path):
    _ingest(tmp_path, "a.jsonl", [post_line("1", COPY), post_line("2", COPY + " lagi")])
    number = PostNarrative.objects.get(post__platform_id="1").narrative.number
    _ingest(tmp_path, "b.jsonl", [post_line(str(i), COPY + f" {i}x") for i in range(10, 15)])
    narrative = Narrative.objects.get(number=number)
    assert narrative.size == 7
    assert NarrativeState.objects.get().posts >= 7


def test_too_short_posts_are_not_clustered(tmp_path):
    _ingest(tmp_path, "a.jsonl", [post_line("1", "wkwk"), post_line("2", "")])
    assert PostNarrative.objects.count() == 0


def test_a_burst_raises_one_growth_alert_and_mails_followers(tmp_path):
    analyst = member("analyst")
    analyst.email = "analis@example.org"
    analyst.save()
    base = [post_line("b0", COPY, hours=-30)]
    _ingest(tmp_path, "a.jsonl", base)
    narrative = PostNarrative.objects.get().narrative
    narrative.followers.add(analyst)
    burst = [post_line(f"b{i}", COPY + f" {i}", hours=0) for i in range(1, 26)]
    _ingest(tmp_path, "b.jsonl", burst)
    narrative.refresh_from_db()
    assert narrative.alerted_at is not None
    assert NarrativeEvent.objects.filter(narrative=narrative, kind="alert").count() == 1
    assert [m.to for m in mail.outbox] == [["analis@example.org"]]
    _ingest(tmp_path, "c.jsonl", [post_line("b99", COPY + " 99")])
    assert NarrativeEvent.objects.filter(kind="alert").count() == 1


def test_hourly_counts_end_at_the_narratives_latest_post(tmp_path):
    _ingest(
        tmp_path, "a.jsonl", [post_line("1", COPY, hours=0), post_line("2", COPY + " x", hours=-2)]
    )
    narrative = PostNarrative.objects.first().narrative
    counts = narratives.hourly_counts(narrative, 4)
    assert counts == [0, 1, 0, 1]
    assert narrative.last_seen - narrative.first_seen == timedelta(hours=2)


def test_narrative_pages_show_the_curve_accounts_and_redirect_merged_numbers(tmp_path, client):
    from django.urls import reverse

    from tests.factories import PASSWORD

    _ingest(
        tmp_path,
        "a.jsonl",
        [post_line(str(i), COPY + f" {i}", platform="tiktok") for i in range(4)],
    )
    narrative = Narrative.objects.get(size=4)
    user = member("analyst", username="analis.narasi")
    client.login(username=user.username, password=PASSWORD)
    page = client.get(reverse("web:narrative", args=[narrative.number]))
    assert page.context["curve"]["datasets"][0]["label"] == "tiktok"
    assert len(page.context["accounts"]) == 4
    client.post(reverse("web:narrative_follow", args=[narrative.number]))
    assert narrative.followers.filter(pk=user.pk).exists()
    absorbed = Narrative.objects.create(number=9999, merged_into=narrative)
    moved = client.get(reverse("web:narrative", args=[absorbed.number]))
    assert moved.status_code == 302 and str(narrative.number) in moved["Location"]
    listing = client.get(reverse("web:narratives"))
    assert narrative in listing.context["page"]


def test_paraphrase_mode_centres_embeddings_and_keeps_unrelated_posts_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("SARING_NARRATIVE_PARAPHRASES", "1")
    _ingest(
        tmp_path,
        "a.jsonl",
        [
            post_line("p1", COPY),
            post_line(
                "p2",
                "kertas suara katanya udah dicoblosin dari sekarang tinggal dimasukin "
                "kotak pas tanggal empat belas",
            ),
            post_line("p3", "resep nasi goreng kampung pedas manis enak sekali untuk sarapan pagi"),
            post_line("p4", "jadwal pertandingan sepak bola liga inggris malam ini sangat seru"),
        ],
    )
    state = NarrativeState.objects.get()
    assert state.posts == 4
    groups = {
        p: PostNarrative.objects.get(post__platform_id=p).narrative_id for p in ("p1", "p3", "p4")
    }
    assert len(set(groups.values())) == 3  # unrelated posts are not collapsed together


def test_an_analyst_splits_posts_off_and_new_copies_follow_them(tmp_path, client):
    from django.urls import reverse

    from saring.monitoring.models import Post
    from tests.factories import PASSWORD

    # The clusterer keeps copies together; an analyst sees three of them are a separate story.
    _ingest(
        tmp_path,
        "a.jsonl",
        [post_line(str(i), COPY + f" {i}") for i in range(3)]
        + [post_line(f"k{i}", COPY + f" ini fitnah {i}") for i in range(3)],
    )
    source = PostNarrative.objects.get(post__platform_id="0").narrative
    assert source.size == 6
    user = member("analyst", username="analis.pisah")
    client.login(username=user.username, password=PASSWORD)
    moved_ids = list(Post.objects.filter(platform_id__startswith="k").values_list("id", flat=True))
    response = client.post(
        reverse("web:narrative_split", args=[source.number]), {"post": moved_ids}
    )
    new = Narrative.objects.get(posts__post_id=moved_ids[0])
    assert response.status_code == 302 and response["Location"].endswith(f"/{new.number}/")
    source.refresh_from_db()
    assert (source.size, new.size) == (3, 3)
    assert new.number != source.number and new.representative_id in moved_ids
    split = NarrativeEvent.objects.get(narrative=source, kind="split")
    assert split.details == {"into": new.number, "posts": 3, "by": user.pk}

    # A new copy of a moved post joins the new narrative; growth never undoes the split.
    _ingest(tmp_path, "b.jsonl", [post_line("k9", COPY + " ini fitnah 0")])
    assert PostNarrative.objects.get(post__platform_id="k9").narrative == new
    assert Narrative.objects.get(pk=source.pk).merged_into is None

    # A post of another narrative cannot be split off this one; the user is told.
    foreign = Post.objects.get(platform_id="1").id
    page = client.post(
        reverse("web:narrative_split", args=[new.number]), {"post": [foreign]}, follow=True
    )
    assert [m.level_tag for m in page.context["messages"]] == ["success", "error"]
    assert Narrative.objects.get(pk=new.pk).size == 4
