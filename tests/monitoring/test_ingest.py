"""Ingestion service: idempotent, quarantining, observation-adding (docs/formats.md)."""

from __future__ import annotations

import json

import pytest

from saring.monitoring.models import (
    EngagementObservation,
    ImportRun,
    Post,
    PostHashtag,
    QuarantinedRecord,
)
from saring.monitoring.services.ingest import ingest_file
from saring.sources.records import SourceError
from tests.factories import post_line, write_jsonl

pytestmark = pytest.mark.django_db


def test_a_file_becomes_posts_with_hashtags_observations_and_analysis(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl",
        [
            post_line(
                "1",
                "Surat suara sudah dicoblos duluan di Kota Bandung!! #PemiluCurang",
                hashtags=["PemiluCurang"],
            ),
            post_line("2", "Makan siang enak banget hari ini", platform="tiktok"),
        ],
    )
    summary = ingest_file(path, "generic-jsonl")
    assert (summary.read, summary.created, summary.updated, summary.quarantined) == (2, 2, 0, 0)
    post = Post.objects.get(platform="x", platform_id="1")
    assert post.province_id == "32" and post.regency_id == "32.73"
    assert post.election_relevance > 0.5
    assert post.normalized_text
    assert PostHashtag.objects.filter(post=post, tag="pemilucurang").exists()
    assert EngagementObservation.objects.filter(post=post).count() == 1
    assert Post.objects.get(platform_id="2").election_relevance < 0.5


def test_reimporting_the_same_file_duplicates_nothing(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [post_line(str(i)) for i in range(5)])
    first = ingest_file(path, "generic-jsonl")
    again = ingest_file(path, "generic-jsonl")
    assert first.created == 5
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Post.objects.count() == 5
    assert EngagementObservation.objects.count() == 5


def test_a_later_observation_adds_growth_instead_of_a_duplicate(tmp_path):
    ingest_file(
        write_jsonl(
            tmp_path / "t1.jsonl", [post_line("9", observed_hours=1, shares=10, views=1000)]
        ),
        "generic-jsonl",
    )
    before = Post.objects.get(platform_id="9").virality
    summary = ingest_file(
        write_jsonl(
            tmp_path / "t2.jsonl", [post_line("9", observed_hours=3, shares=900, views=90_000)]
        ),
        "generic-jsonl",
    )
    post = Post.objects.get(platform_id="9")
    assert (summary.created, summary.updated) == (0, 1)
    assert Post.objects.count() == 1
    assert post.observations.count() == 2
    assert (post.shares, post.views) == (900, 90_000)
    assert post.virality > before


def test_duplicate_ids_inside_one_file_make_one_post(tmp_path):
    path = write_jsonl(
        tmp_path / "dup.jsonl",
        [
            post_line("5", observed_hours=1, likes=1),
            post_line("5", observed_hours=1, likes=1),
            post_line("5", observed_hours=2, likes=50),
        ],
    )
    summary = ingest_file(path, "generic-jsonl", batch_size=2)
    assert Post.objects.filter(platform_id="5").count() == 1
    assert (summary.created, summary.updated, summary.unchanged) == (1, 1, 1)
    assert Post.objects.get(platform_id="5").likes == 50


def test_bad_lines_are_quarantined_with_location_and_good_lines_kept(tmp_path):
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        [
            post_line("1"),
            '{"platform": "x", "platform_id": "2", "text": "terpotong',
            post_line("3", created_at="2024-02-30T10:00:00+07:00"),
            post_line("4"),
        ],
    )
    run = ImportRun.objects.create(format="generic-jsonl", file_name="bad.jsonl")
    summary = ingest_file(path, "generic-jsonl", run=run)
    assert (summary.created, summary.quarantined) == (2, 2)
    rows = list(QuarantinedRecord.objects.filter(run=run).order_by("line"))
    assert [r.line for r in rows] == [2, 3]
    assert rows[1].field == "created_at"
    assert "terpotong" in rows[0].payload
    run.refresh_from_db()
    assert (run.status, run.read, run.created, run.quarantined) == ("done", 4, 2, 2)


def test_a_text_over_the_limit_is_quarantined_not_stored(tmp_path, settings):
    settings.MAX_TEXT_CHARS = 1000
    path = write_jsonl(tmp_path / "big.jsonl", [post_line("1", "x" * 1001), post_line("2")])
    summary = ingest_file(path, "generic-jsonl")
    assert (summary.created, summary.quarantined) == (1, 1)
    assert QuarantinedRecord.objects.get().field == "text"


def test_a_wrong_format_is_refused_with_a_suggestion_and_nothing_is_written(tmp_path):
    path = tmp_path / "posts.csv"
    rows = ["platform,platform_id,text,created_at"] + [
        f"x,{i},teks {i},2024-02-01T10:00:00+07:00" for i in range(40)
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    with pytest.raises(SourceError) as error:
        ingest_file(path, "generic-jsonl")
    assert "posts.csv" in str(error.value)
    assert "generic-csv" in str(error.value)
    assert Post.objects.count() == 0 and QuarantinedRecord.objects.count() == 0


@pytest.mark.parametrize(
    "make",
    [
        lambda p: p.write_text("", encoding="utf-8") or p,
        lambda p: p.mkdir() or p,
        lambda p: p,
    ],
)
def test_an_empty_file_a_directory_or_a_missing_path_is_a_clear_error(tmp_path, make):
    target = make(tmp_path / "input.jsonl")
    with pytest.raises(SourceError) as error:
        ingest_file(target, "generic-jsonl")
    assert "input.jsonl" in str(error.value)


def test_a_10_mb_text_in_a_csv_is_quarantined_by_line_and_field_and_the_rest_kept(tmp_path):
    path = tmp_path / "besar.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("platform,platform_id,text,created_at\n")
        handle.write("x,1,biasa saja,2024-02-01T10:00:00+07:00\n")
        handle.write(f"x,2,{'a' * 10_000_000},2024-02-01T10:00:00+07:00\n")
        handle.write("x,3,juga biasa,2024-02-01T10:00:00+07:00\n")
    summary = ingest_file(path, "generic-csv")
    assert (summary.created, summary.quarantined) == (2, 1)
    record = QuarantinedRecord.objects.get()
    assert (record.line, record.field) == (3, "text")
    assert "10,000,000" in record.reason


def test_a_post_another_worker_stored_meanwhile_is_seen_again_not_created_twice(tmp_path):
    from saring.monitoring.services.ingest import BatchWriter, IngestSummary, file_observed_at
    from saring.sources.registry import get_format

    fmt = get_format("generic-jsonl")
    records = [fmt.parse(json.dumps(post_line(pid)))[0] for pid in ("1", "2")]
    mine = BatchWriter(ImportRun.objects.create(format="generic-jsonl"), file_observed_at(tmp_path))
    prepared = mine.prepare(records)  # analysed while nothing was stored
    other = BatchWriter(
        ImportRun.objects.create(format="generic-jsonl"), file_observed_at(tmp_path)
    )
    other.write([records[0]], IngestSummary())  # the other worker wins post 1
    summary = IngestSummary()
    mine.write_prepared(prepared, summary)
    assert (summary.created, summary.unchanged) == (1, 1)
    assert Post.objects.count() == 2
    assert Post.objects.get(platform_id="1").first_run_id == other.run.id
    assert EngagementObservation.objects.count() == 2
