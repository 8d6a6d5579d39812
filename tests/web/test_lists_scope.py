"""Dashboard, search and narratives open on election posts, with one click to every post; the
stage filter; the narratives list's paging and filters."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone

from saring.elections.models import Stage
from saring.factcheck.models import Claim, Clarification, Narrative, PostMatch, PostNarrative
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from saring.web.views.narratives import PAGE_SIZE
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tmp_path):
    lines = [
        post_line("e1", "Surat suara sudah dicoblos di TPS 5", hours=1, views=100),
        post_line("e2", "Masa tenang, jangan kampanye di TPS!", hours=30, views=200),
        post_line("f1", "Banjir setinggi lutut di Kemang pagi ini", hours=2, views=90_000_000),
        post_line("f2", "Mie ayam enak dekat stasiun, antre panjang", hours=31, views=80_000_000),
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")
    quiet = Stage.objects.get(election_id="pemilu.2024-02-14", kind="quiet")
    campaign = Stage.objects.get(election_id="pemilu.2024-02-14", kind="campaign")
    # Set here so the test does not depend on how ingest assigns stages.
    Post.objects.filter(platform_id__in=["e1", "f1"]).update(stage=campaign)
    Post.objects.filter(platform_id__in=["e2", "f2"]).update(stage=quiet)


def _login(client, user=None):
    user = user or member("viewer")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _ids(page) -> list[str]:
    return sorted(p.platform_id for p in page)


def test_the_dashboard_opens_on_election_posts_and_one_click_shows_everything(client, posts):
    c = _login(client)
    opened = c.get(reverse("web:dashboard"), {"region": "all", "platform": "x"})
    assert _ids(opened.context["growing"]) == ["e1", "e2"]  # not the viral flood
    assert opened.context["totals"].posts == 2
    form = opened.context["form"]
    assert form["scope"].value() == "election" and not form.shows_all()
    toggle = parse_qs(form.toggle_scope_query)
    assert toggle["scope"] == ["all"] and toggle["platform"] == ["x"]  # other filters kept
    assert 'data-scope="all"' in opened.content.decode()
    everything = c.get(reverse("web:dashboard"), {"region": "all", "platform": "x", "scope": "all"})
    assert everything.context["growing"][0].platform_id == "f1"
    assert everything.context["totals"].posts == 4
    assert everything.context["form"].shows_all()
    assert "scope=election" in everything.context["form"].toggle_scope_query


def test_search_opens_on_election_posts_and_scope_all_finds_the_rest(client, posts):
    c = _login(client)
    assert _ids(c.get(reverse("web:search"), {"region": "all"}).context["page"]) == ["e1", "e2"]
    flood = {"region": "all", "q": "banjir"}
    assert _ids(c.get(reverse("web:search"), flood).context["page"]) == []
    assert _ids(c.get(reverse("web:search"), {**flood, "scope": "all"}).context["page"]) == ["f1"]
    # links made before the toggle existed keep meaning election posts
    old = c.get(reverse("web:search"), {"region": "all", "election": "on", "scope": "all"})
    assert _ids(old.context["page"]) == ["e1", "e2"]


def test_the_stage_filter_selects_one_stage_of_one_round(client, posts):
    c = _login(client)
    key = "pemilu.2024-02-14:quiet"
    response = c.get(reverse("web:search"), {"region": "all", "stage": key})
    assert key in dict(response.context["form"].fields["stage"].choices)
    assert _ids(response.context["page"]) == ["e2"]
    wide = c.get(reverse("web:search"), {"region": "all", "stage": key, "scope": "all"})
    assert _ids(wide.context["page"]) == ["e2", "f2"]
    dashboard = c.get(reverse("web:dashboard"), {"region": "all", "stage": key})
    assert dashboard.context["totals"].posts == 1
    assert c.get(reverse("web:search"), {"stage": "nope:quiet"}).context["form"].errors


def _narrative(number: int, post_ids: list[str], **fields) -> Narrative:
    members = list(Post.objects.filter(platform_id__in=post_ids))
    narrative = Narrative.objects.create(
        number=number, size=len(members), representative=members[0], **fields
    )
    for post in members:
        PostNarrative.objects.create(post=post, narrative=narrative, how="copy")
    return narrative


def test_narratives_filter_by_false_verdict_growth_platform_region_and_scope(client, tmp_path):
    lines = [
        post_line("a1", "Surat suara sudah dicoblos di TPS Bandung", platform="tiktok"),
        post_line("a2", "Surat suara sudah dicoblos di TPS Bandung!", platform="tiktok"),
        post_line("b1", "Kotak suara di Surabaya dibawa lari caleg", platform="x"),
        post_line("b2", "Kotak suara di Surabaya dibawa lari caleg!!", platform="x"),
        post_line("c1", "Banjir setinggi lutut di Kemang pagi ini", platform="x"),
        post_line("c2", "Banjir setinggi lutut di Kemang pagi ini!", platform="x"),
    ]
    ingest_file(write_jsonl(tmp_path / "n.jsonl", lines), "generic-jsonl")
    hoax = _narrative(1, ["a1", "a2"])
    growing = _narrative(2, ["b1", "b2"], alerted_at=timezone.now())
    flood = _narrative(3, ["c1", "c2"])
    false = Clarification.objects.create(
        claim=Claim.objects.create(text="surat suara dicoblos"),
        headline="Surat suara tidak dicoblos",
        verdict="HOAKS",
        status="published",
    )
    PostMatch.objects.create(
        post=hoax.representative, clarification=false, score=0.9, decision="auto"
    )
    c = _login(client)

    def numbers(**params) -> list[int]:
        page = c.get(reverse("web:narratives"), {"region": "all", **params}).context["page"]
        return sorted(n.number for n in page)

    assert numbers() == [1, 2]  # the flood is no election narrative
    assert numbers(scope="all") == [1, 2, 3]
    assert numbers(false_verdict="on") == [1]
    assert numbers(growing="on") == [growing.number] == numbers(alerts="1")
    assert numbers(platform="tiktok") == [1]
    bandung = hoax.representative.province_id
    assert bandung and numbers(region=bandung) == [1]
    # A province analyst opens on their own province
    own = _login(client, member("analyst", bandung))
    assert [n.number for n in own.get(reverse("web:narratives")).context["page"]] == [1]
    assert flood.number not in numbers(sort="recent")


def test_narratives_are_paged(client, tmp_path):
    lines = [post_line(f"p{i}", f"Pemilu di TPS nomor {i} aman") for i in range(2 * PAGE_SIZE + 2)]
    ingest_file(write_jsonl(tmp_path / "m.jsonl", lines), "generic-jsonl")
    for i in range(PAGE_SIZE + 1):
        _narrative(
            100 + i, [f"p{2 * i}", f"p{2 * i + 1}"], last_seen=timezone.now() - timedelta(hours=i)
        )
    c = _login(client)
    first = c.get(reverse("web:narratives"), {"region": "all", "platform": "x"})
    assert len(first.context["page"]) == PAGE_SIZE and first.context["page"].has_next()
    assert "platform=x" in first.context["query_string"]
    second = c.get(reverse("web:narratives"), {"region": "all", "platform": "x", "page": 2})
    assert len(second.context["page"]) == 1
    assert 'rel="next"' in first.content.decode()


def test_the_dashboards_cached_figures_follow_a_new_import(client, posts, tmp_path):
    c = _login(client)
    before = c.get(reverse("web:dashboard"), {"region": "all"}).context["totals"].posts
    again = c.get(reverse("web:dashboard"), {"region": "all"}).context["totals"].posts
    assert before == again == 2
    more = [post_line("e3", "Rekapitulasi suara di PPK Cibeunying lancar", hours=40)]
    ingest_file(write_jsonl(tmp_path / "more.jsonl", more), "generic-jsonl")
    assert c.get(reverse("web:dashboard"), {"region": "all"}).context["totals"].posts == 3


def test_the_dashboards_totals_agree_with_the_direct_count(client, posts):
    from saring.accounts.scope import scope_for
    from saring.monitoring import reports

    user = member("viewer")
    c = _login(client, user)
    for params in ({"region": "all"}, {"region": "all", "scope": "all"}, {}):
        response = c.get(reverse("web:dashboard"), params)
        shown, form = response.context["totals"], response.context["form"]
        direct = reports.totals(form.posts(), scope_for(user))
        assert (shown.posts, shown.election, shown.flagged) == (
            direct.posts,
            direct.election,
            direct.flagged,
        )
        assert (shown.first is None) == (direct.first is None)
