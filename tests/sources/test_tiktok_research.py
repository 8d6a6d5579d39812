"""TikTok Research API video query responses: one page, an array of pages, NDJSON pages."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest

from saring.sources import FORMATS, RecordError, SourceError
from tests.sources.helpers import SAMPLES, ingest

TR = FORMATS["tiktok-research"]


def test_single_response_yields_one_item_per_video_located_by_index():
    outcome = ingest("tiktok-research", SAMPLES / "tiktok_research_page.json")
    assert list(outcome.by_location) == ["videos[0]", "videos[1]", "videos[2]"]
    video = outcome.by_id("7331500000000000003")
    assert video.platform == "tiktok"
    assert video.text.startswith("Hoaks surat suara")
    assert video.created_at == datetime(2024, 2, 8, 15, 46, 40, tzinfo=UTC)
    assert video.author_handle == "contoh_cekfakta"
    assert video.hashtags == ("cekfakta", "hoaks")
    assert (video.views, video.likes, video.shares, video.comments) == (22000, 30, 9, 3)
    assert video.url == "https://www.tiktok.com/@contoh_cekfakta/video/7331500000000000003"
    assert video.media_type == "video"
    assert video.observed_at is None
    assert video.region_code == ""
    assert video.extra["country"] == "ID"
    assert video.extra["voice_to_text"] == "ayo ke TPS tanggal empat belas"
    assert video.extra["video_duration"] == "33"


def test_json_array_of_pages_is_read_page_by_page():
    outcome = ingest("tiktok-research", SAMPLES / "tiktok_research_pages.json")
    assert len(outcome.records) == 5
    assert "[1].videos[1]" in outcome.by_location


def test_ndjson_pages_quarantine_a_truncated_page_and_read_the_next():
    outcome = ingest("tiktok-research", SAMPLES / "tiktok_research_pages.ndjson")
    assert len(outcome.records) == 5
    assert "line 3, videos[1]" in outcome.by_location
    err = outcome.quarantined_at("line 2")
    assert err.message.startswith("invalid JSON")


def test_a_file_that_is_only_an_api_error_is_a_source_error_quoting_it():
    with pytest.raises(SourceError, match="invalid_params: Invalid query"):
        list(TR.iter_items(SAMPLES / "tiktok_research_error.json"))


def test_an_error_page_among_good_pages_is_quarantined_with_the_api_message(tmp_path):
    page = json.loads((SAMPLES / "tiktok_research_page.json").read_text())
    error = {"data": {}, "error": {"code": "rate_limit_exceeded", "message": "daily quota"}}
    path = tmp_path / "pages.ndjson"
    path.write_text(json.dumps(page) + "\n" + json.dumps(error) + "\n")
    outcome = ingest("tiktok-research", path)
    assert len(outcome.records) == 3
    err = outcome.quarantined_at("line 2")
    assert err.field == "error"
    assert "rate_limit_exceeded: daily quota" in err.message


def test_truncated_single_document_keeps_earlier_videos_and_quarantines_the_rest(tmp_path):
    text = (SAMPLES / "tiktok_research_page.json").read_text()
    cut = text.index('"id": 7331500000000000003')
    path = tmp_path / "potong.json"
    path.write_text(text[: cut + 40])
    outcome = ingest("tiktok-research", path)
    assert [r.platform_id for r in outcome.records] == [
        "7331500000000000001",
        "7331500000000000002",
    ]
    [(item, err)] = outcome.quarantined
    assert item.location == "after videos[1]"
    assert err.message.startswith("invalid JSON")


def test_impossible_create_time_names_created_at_and_the_value():
    with pytest.raises(RecordError) as info:
        TR.parse(json.dumps({"id": 1, "create_time": 99999999999999999, "video_description": "x"}))
    assert info.value.field == "created_at"
    assert "99999999999999999" in info.value.message


def test_non_numeric_view_count_names_views():
    with pytest.raises(RecordError) as info:
        TR.parse(json.dumps({"id": 1, "create_time": 1707400000, "view_count": "banyak"}))
    assert info.value.field == "views"


def test_a_video_without_description_is_kept_with_empty_text_but_not_without_id():
    [record] = TR.parse(json.dumps({"id": 5, "create_time": 1707400000}))
    assert record.text == "" and record.url == ""
    with pytest.raises(RecordError) as info:
        TR.parse(json.dumps({"create_time": 1707400000, "video_description": "x"}))
    assert info.value.field == "platform_id"


def test_parse_accepts_a_whole_response_as_payload():
    payload = (SAMPLES / "tiktok_research_page.json").read_text()
    assert len(TR.parse(payload)) == 3


def test_a_youtube_file_given_as_tiktok_research_is_refused_naming_youtube():
    with pytest.raises(SourceError, match="choose the format 'youtube'"):
        list(TR.iter_items(SAMPLES / "youtube_videos.json"))


def test_a_json_document_of_another_shape_is_refused_listing_its_keys(tmp_path):
    path = tmp_path / "lain.json"
    path.write_text(json.dumps({"hasil": [{"a": 1}], "jumlah": 1}, indent=2))
    with pytest.raises(
        SourceError, match=re.escape("no 'data.videos' list found; top-level keys: hasil, jumlah")
    ):
        list(TR.iter_items(path))


def test_a_cut_ndjson_line_is_quarantined_whole_and_its_complete_videos_kept(tmp_path):
    page = json.loads((SAMPLES / "tiktok_research_page.json").read_text())
    whole = json.dumps(page)
    cut_in_first = whole[: whole.index('"id"') + 12]
    cut_in_third = whole[: whole.index('"id": 7331500000000000003') + 20]
    path = tmp_path / "pages.ndjson"
    path.write_text(cut_in_first + "\n" + cut_in_third + "\n" + whole + "\n")
    outcome = ingest("tiktok-research", path)
    assert len(outcome.records) == 2 + 3
    [(first, _), (third, err)] = outcome.quarantined
    assert (first.location, first.payload) == ("line 1", cut_in_first)
    assert third.location == "line 2, after videos[1]" and err.message.startswith("invalid JSON")
    assert third.payload == cut_in_third[cut_in_third.rindex('{"id"') :]


def test_one_bad_video_in_a_single_response_keeps_the_videos_after_it(tmp_path):
    text = (SAMPLES / "tiktok_research_page.json").read_text()
    broken = text.replace('"id": 7331500000000000002', '"id": 7331500000000000002, "x": NaN,', 1)
    path = tmp_path / "page.json"
    path.write_text(broken)
    outcome = ingest("tiktok-research", path)
    assert [r.platform_id for r in outcome.records] == [
        "7331500000000000001",
        "7331500000000000003",
    ]
    [(item, err)] = outcome.quarantined
    assert item.location == "videos[1]" and '"x": NaN' in item.payload
    assert err.message.startswith("invalid JSON")
