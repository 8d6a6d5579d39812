"""/api/v1/posts?q=DPT: the voter list, never the chat word "dapat"; the default stays every
post (API clients see what they saw before the pages opened on the election)."""

from __future__ import annotations

import pytest

from saring.monitoring.services.ingest import ingest_file
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(tmp_path):
    lines = [
        post_line("1", "DPT ganda ditemukan di Kota Bekasi"),
        post_line("2", "cek dpt online sebelum ke TPS"),
        post_line("3", "Warga dapat bantuan beras dari kelurahan"),
        post_line("4", "gw ga dpt tiket konser"),
        post_line("5", "Banjir lagi di Bekasi #viral"),
    ]
    ingest_file(write_jsonl(tmp_path / "p.jsonl", lines), "generic-jsonl")


def _texts(client, headers, **params) -> list[str]:
    response = client.get("/api/v1/posts", {"province": "all", **params}, **headers)
    assert response.status_code == 200, response.content
    return sorted(item["text"] for item in response.json()["results"])


def test_q_dpt_returns_the_voter_list_posts_and_none_that_say_dapat(client, posts, bearer):
    headers = bearer(member("viewer"))
    found = _texts(client, headers, q="DPT")
    assert found == ["DPT ganda ditemukan di Kota Bekasi", "cek dpt online sebelum ke TPS"]
    assert _texts(client, headers, q="dpt ganda") == ["DPT ganda ditemukan di Kota Bekasi"]


def test_the_api_default_is_still_every_post(client, posts, bearer):
    headers = bearer(member("viewer"))
    assert len(_texts(client, headers)) == 5  # the flood post is no election post
    assert len(_texts(client, headers, election="true")) == 2
