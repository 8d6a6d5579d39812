"""Full-text search: what users type becomes a safe query; both engines agree."""

from __future__ import annotations

import pytest

from saring.monitoring.models import Post
from saring.monitoring.search import fts5_query, parse_query, tsquery
from saring.monitoring.services.ingest import ingest_file
from tests.factories import post_line, write_jsonl


def test_slang_in_the_query_is_normalised_like_the_posts():
    # Each word also finds its hashtag ("#curang": a run-together tag keeps no bare word).
    assert fts5_query("gk curang") == '("tidak" OR "#tidak") AND ("curang" OR "#curang")'


def test_phrases_prefixes_exclusions_handles_and_hashtags():
    terms = parse_query('"surat suara" tps* -hoaks @kpu_ri #PemiluDamai')
    assert [(t.words, t.prefix, t.negate) for t in terms] == [
        (("surat", "suara"), False, False),
        (("tps",), True, False),
        (("hoaks",), False, True),
        (("kpu_ri",), False, False),
        (("#pemiludamai",), False, False),
    ]
    assert tsquery('"surat suara" tps*') == "('surat' <-> 'suara') & ('tps':*)"


@pytest.mark.parametrize("typed", ['"; DROP TABLE x', "NEAR(", "'", "*", "-", "(((", 'a" OR "b'])
def test_no_input_breaks_the_query(typed):
    fts5_query(typed)
    tsquery(typed)


def test_only_exclusions_search_nothing():
    assert fts5_query("-hoaks") == "" and tsquery("-hoaks") == ""


@pytest.mark.django_db
def test_search_finds_slang_spellings_phrases_and_mentions_on_this_database(tmp_path):
    ingest_file(
        write_jsonl(
            tmp_path / "a.jsonl",
            [
                post_line("1", "Gak bener nih, surat suara udah dicoblos"),
                post_line("2", "Tidak ada kecurangan, kata @kpu_ri"),
                post_line("3", "suara merdu surat cinta"),
            ],
        ),
        "generic-jsonl",
    )

    def ids(query):
        return sorted(Post.objects.matching(query).values_list("platform_id", flat=True))

    assert ids("gk") == ["1", "2"]
    assert ids('"surat suara"') == ["1"]
    assert ids("@kpu_ri") == ["2"]
    assert ids("dicob*") == ["1"]
    assert ids("suara -dicoblos") == ["3"]
