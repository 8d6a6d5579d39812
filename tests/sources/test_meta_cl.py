"""Meta Content Library CSV exports of Facebook and Instagram posts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from saring.sources import FORMATS, RecordError, SourceError
from tests.sources.helpers import SAMPLES, ingest

MCL = FORMATS["meta-cl"]


def test_facebook_export_with_dotted_columns():
    outcome = ingest("meta-cl", SAMPLES / "meta_cl_facebook.csv")
    post = outcome.by_id("1100000000000001")
    assert post.platform == "facebook"
    assert post.created_at == datetime(2024, 2, 10, 1, 0, tzinfo=UTC)  # naive means UTC here
    assert post.author_handle == "bawaslu_contoh"
    assert post.author_name == "Bawaslu Contoh"
    assert post.hashtags == ("MasaTenang",)
    assert (post.likes, post.comments, post.shares, post.views) == (1530, 88, 410, None)
    assert post.media_type == "image"
    assert post.url == ""  # the Library has no permalink
    assert post.extra["post_owner.type"] == "page"
    assert post.extra["lang"] == "id"
    assert "statistics.like_count" in post.extra


def test_group_post_with_video_and_quoted_quotes():
    outcome = ingest("meta-cl", SAMPLES / "meta_cl_facebook.csv")
    post = outcome.by_id("1100000000000002")
    assert post.text.startswith('Beredar pesan berantai "TPS pindah lokasi".')
    assert post.media_type == "video"
    assert post.views == 2300
    assert post.extra["link_attachment.link"] == "https://example.invalid/artikel"


def test_impossible_creation_time_row_is_quarantined_and_names_created_at():
    outcome = ingest("meta-cl", SAMPLES / "meta_cl_facebook.csv")
    err = outcome.quarantined_at("row 3")
    assert err.field == "created_at"
    assert "2024-02-30T08:00:00" in err.message
    [(item, _)] = outcome.quarantined
    assert item.line == 4


def test_instagram_export_with_underscore_columns_semicolons_and_abbreviated_counts():
    outcome = ingest("meta-cl", SAMPLES / "meta_cl_instagram.csv")
    first, second = outcome.records
    assert first.platform == second.platform == "instagram"
    assert first.created_at == datetime(2024, 2, 10, 9, 0, tzinfo=UTC)
    assert first.likes == 1234 and first.comments == 56 and first.views is None
    assert first.hashtags == ("PemiluDamai", "PemilihPemula")
    assert first.media_type == "carousel"
    assert (second.likes, second.comments, second.views) == (12000, 1200, 3000000)
    assert second.media_type == "video"


def test_platform_column_wins_over_the_column_heuristic():
    row = {
        "id": "1",
        "creation_time": "2024-02-10 01:00:00",
        "text": "x",
        "statistics.reaction_count": "5",
        "platform": "Instagram",
    }
    assert MCL.parse(json.dumps(row))[0].platform == "instagram"
    row["platform"] = ""
    assert MCL.parse(json.dumps(row))[0].platform == "facebook"


def test_export_without_text_column_is_refused_with_advice(tmp_path):
    path = tmp_path / "tanpa_teks.csv"
    path.write_text(
        "id,creation_time,post_owner.name,statistics.reaction_count\n"
        "1,2024-02-10T01:00:00,Contoh,5\n"
    )
    with pytest.raises(SourceError) as info:
        list(MCL.iter_items(path))
    message = str(info.value)
    assert str(path) in message
    assert "missing required column 'text'" in message
    assert "'text' field is selected" in message
    assert "columns found: id, creation_time, post_owner.name" in message


def test_spaced_human_column_names_are_accepted(tmp_path):
    path = tmp_path / "ui.csv"
    path.write_text(
        "ID,Creation Time,Text,Post Owner Name,Statistics Reaction Count\n"
        "9,2024-02-10 01:00:00,Halo pemilih,Contoh,7\n"
    )
    [record] = ingest("meta-cl", path).records
    assert (record.platform_id, record.author_name, record.likes) == ("9", "Contoh", 7)


def test_negative_reaction_count_names_likes():
    row = {
        "id": "1",
        "creation_time": "2024-02-10 01:00:00",
        "text": "x",
        "statistics.reaction_count": "-5",
    }
    with pytest.raises(RecordError) as info:
        MCL.parse(json.dumps(row))
    assert info.value.field == "likes"
    assert "statistics.reaction_count" in info.value.message


def test_a_generic_csv_given_as_meta_cl_is_refused_naming_generic_csv():
    with pytest.raises(SourceError, match="choose the format 'generic-csv'"):
        list(MCL.iter_items(SAMPLES / "generic.csv"))
