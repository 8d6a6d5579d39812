"""/api/v1/posts: each post's stage of the elections calendar and who speaks, and the `stage`
filter (the dashboard's "Tahapan")."""

from __future__ import annotations

import pytest

from saring.monitoring.services.ingest import ingest_file
from saring.registry.models import KnownAccount
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tmp_path):
    KnownAccount.objects.create(
        platform="x", handle="kpu_ri", display_name="KPU RI", kind="official", body="kpu"
    )
    campaign = post_line("q", "Besok coblos nomor 2 ya, pemilu damai", author_handle="warga1")
    campaign["created_at"] = "2024-02-12T10:00:00+07:00"
    official = post_line("o", "Ayo cek DPT online sebelum ke TPS", author_handle="kpu_ri")
    official["created_at"] = "2024-01-20T10:00:00+07:00"
    ingest_file(write_jsonl(tmp_path / "p.jsonl", [campaign, official]), "generic-jsonl")


def _get(client, headers, **params):
    response = client.get("/api/v1/posts", {"province": "all", **params}, **headers)
    assert response.status_code == 200, response.content
    return {item["text"][:5]: item for item in response.json()["results"]}


def test_posts_carry_their_stage_and_speaker(client, posts, bearer):
    items = _get(client, bearer(member("viewer")))
    assert items["Besok"]["stage"] == {"election": "pemilu.2024-02-14", "kind": "quiet"}
    assert items["Ayo c"]["stage"] == {"election": "pemilu.2024-02-14", "kind": "campaign"}
    assert (items["Ayo c"]["speaker"], items["Besok"]["speaker"]) == ("official", "")


def test_the_stage_filter_keeps_the_posts_of_that_stage(client, posts, bearer):
    headers = bearer(member("viewer"))
    assert list(_get(client, headers, stage="pemilu.2024-02-14:quiet")) == ["Besok"]
    response = client.get("/api/v1/posts", {"stage": "pemilu.2024-02-14:nap"}, **headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "stage"]


def test_the_post_page_names_its_stage(client, posts):
    from saring.monitoring.models import Post
    from tests.factories import PASSWORD

    post = Post.objects.get(platform_id="q")
    client.login(username=member("viewer").username, password=PASSWORD)
    page = client.get(f"/posts/{post.pk}/").content.decode()
    assert 'data-stage="quiet"' in page and "Masa tenang" in page


def test_the_speaker_filter_on_the_api_and_the_search_page(client, posts, bearer):
    from tests.factories import PASSWORD

    headers = bearer(member("viewer"))
    assert list(_get(client, headers, speaker="official")) == ["Ayo c"]
    assert list(_get(client, headers, speaker="impostor")) == []
    client.login(username=member("viewer").username, password=PASSWORD)
    page = client.get("/posts/", {"region": "all", "scope": "all", "speaker": "official"})
    text = page.content.decode()
    assert "Ayo cek DPT online" in text and "Besok coblos" not in text
