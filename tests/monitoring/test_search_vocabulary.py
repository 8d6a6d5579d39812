"""Search finds election words as written and hashtags by their words; top terms count a
hashtag's word once; `saring reanalyse` brings posts analysed by an older rule up to date."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from saring.monitoring import reports
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from tests.factories import post_line, write_jsonl

pytestmark = pytest.mark.django_db

POSTS = [
    post_line("dpt1", "DPT ganda ditemukan di Bekasi"),
    post_line("dpt2", "cek dpt kamu sebelum 14 Februari"),
    post_line("dpt3", "dpt nya kacau banget, kpu harus tanggung jawab"),
    post_line("dapat1", "Warga dapat bantuan beras hari ini"),
    post_line("dapat2", "gw ga dpt tiket konser"),
    post_line("tag1", "Ayo jaga suasana #PemiluDamai"),
    post_line("tag2", "Mari jaga #pemiludamai bersama"),
    post_line("viral1", "banjir lagi #viral"),
    post_line("viral2", "viral video banjir di Bekasi"),
]


@pytest.fixture
def posts(tmp_path):
    ingest_file(write_jsonl(tmp_path / "p.jsonl", POSTS), "generic-jsonl")


def _ids(query: str) -> list[str]:
    return sorted(Post.objects.matching(query).values_list("platform_id", flat=True))


def test_dpt_finds_the_voter_list_and_never_dapat(posts):
    assert _ids("DPT") == ["dpt1", "dpt2", "dpt3"]
    assert _ids("dpt") == ["dpt1", "dpt2", "dpt3"]
    assert _ids("dpt ganda") == ["dpt1"]
    assert _ids("dapat") == ["dapat1", "dapat2"]


def test_a_hashtag_is_found_by_its_bare_word_and_by_its_words(posts):
    assert _ids("pemiludamai") == ["tag1", "tag2"]
    assert _ids("pemilu damai") == ["tag1", "tag2"]
    assert _ids("#pemiludamai") == ["tag1", "tag2"]


def test_top_terms_list_a_hashtag_word_once(posts):
    terms, read = reports.top_terms(Post.objects.all())
    words = [word for word, _ in terms]
    assert read == len(POSTS)
    assert "#viral" not in words and "#pemiludamai" not in words
    assert dict(terms)["viral"] == 2


def test_reanalyse_fixes_posts_normalised_by_the_old_rule(posts):
    # As the old normaliser stored it: "dpt" read as "dapat" (the index follows the update).
    Post.objects.filter(platform_id="dpt3").update(
        normalized_text="dapat nya kacau banget kpu harus tanggung jawab"
    )
    assert "dpt3" not in _ids("DPT")
    call_command("reanalyse", "--json", stdout=(out := _Out()))
    result = json.loads(out.text)
    assert result["posts"] == len(POSTS) and result["changed"] == 1
    assert "dpt3" in _ids("DPT")
    call_command("reanalyse", "--json", stdout=(again := _Out()))
    assert json.loads(again.text)["changed"] == 0  # safe to re-run


class _Out:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_triggers_a_table_remake_dropped_come_back_after_migrate(posts):
    from django.db import connection

    from saring.monitoring.search import ensure_index

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL indexes the column itself")
    with connection.cursor() as cursor:  # what SQLite's table remake of 0008/0009 did
        cursor.execute("DROP TRIGGER monitoring_post_fts_au")
    Post.objects.filter(platform_id="dapat1").update(normalized_text="dpt bantuan")
    assert "dapat1" not in _ids("DPT")  # the index missed the edit
    call_command("migrate", verbosity=0)  # post_migrate repairs and rebuilds
    assert "dapat1" in _ids("DPT")
    assert ensure_index() is False  # nothing left to repair
