"""YouTube Data API v3 videos.list and commentThreads.list responses."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from saring.sources import FORMATS, RecordError, SourceError
from tests.sources.helpers import SAMPLES, ingest

YT = FORMATS["youtube"]


def test_video_text_is_title_and_description_with_hashtags_and_tags():
    outcome = ingest("youtube", SAMPLES / "youtube_videos.json")
    video = outcome.by_id("cOnToH0001a")
    assert video.text.startswith("Debat Capres Kelima: Cek Fakta Klaim Para Kandidat\nKami")
    assert video.hashtags == ("CekFakta", "DebatCapres", "debat capres", "pemilu 2024", "cek fakta")
    assert video.created_at == datetime(2024, 2, 8, 12, 0, tzinfo=UTC)
    assert video.author_handle == "UCcontohSaluranBerita0001"
    assert video.author_name == "Saluran Berita Contoh"
    assert (video.views, video.likes, video.comments, video.shares) == (184000, 5200, 910, None)
    assert video.url == "https://www.youtube.com/watch?v=cOnToH0001a"
    assert video.media_type == "video"
    assert video.extra["language"] == "id"


def test_live_video_with_hidden_likes_has_no_like_count():
    outcome = ingest("youtube", SAMPLES / "youtube_videos.json")
    live = outcome.by_id("cOnToH0002b")
    assert live.media_type == "live"
    assert live.text == "LIVE: Pantauan Hitung Suara TPS"
    assert live.likes is None and live.views == 12040


def test_comment_thread_yields_top_comment_and_replies():
    outcome = ingest("youtube", SAMPLES / "youtube_comments.json")
    assert [r.platform_id for r in outcome.by_location["items[0]"]] == [
        "UgzContohThread1",
        "UgzContohThread1.9zReplyA",
        "UgzContohThread1.9zReplyB",
    ]
    top = outcome.by_id("UgzContohThread1")
    assert top.media_type == "comment"
    assert top.in_reply_to == "cOnToH0001a"
    assert top.text == 'Terima kasih sudah cek fakta, "anggaran 20%" memang amanat UUD\n#CekFakta'
    assert top.hashtags == ("CekFakta",)
    assert top.likes == 45 and top.comments == 2
    assert top.author_handle == "UCpenontonContoh000000001"
    assert top.author_name == "@penonton_contoh"
    assert top.url == "https://www.youtube.com/watch?v=cOnToH0001a&lc=UgzContohThread1"
    reply = outcome.by_id("UgzContohThread1.9zReplyA")
    assert reply.in_reply_to == "UgzContohThread1"
    assert reply.mentions == ("penonton_contoh",)
    assert reply.url.endswith("&lc=UgzContohThread1.9zReplyA")
    assert reply.extra["video_id"] == "cOnToH0001a"


def test_comment_without_text_original_uses_text_display_without_html():
    [record] = YT.parse(
        json.dumps(
            {
                "kind": "youtube#commentThread",
                "snippet": {
                    "videoId": "v1",
                    "topLevelComment": {
                        "id": "c1",
                        "snippet": {
                            "textDisplay": "Baris satu<br>&quot;dua&quot; <b>tebal</b>",
                            "publishedAt": "2024-02-09T01:00:00Z",
                        },
                    },
                },
            }
        )
    )
    assert record.text == 'Baris satu\n"dua" tebal'


@pytest.mark.parametrize("sample", ["youtube_pages.ndjson", "youtube_pages.json"])
def test_several_responses_in_one_file_are_all_read(sample):
    outcome = ingest("youtube", SAMPLES / sample)
    assert len(outcome.records) == 6
    assert not outcome.quarantined


def test_an_api_error_response_file_is_a_source_error(tmp_path):
    path = tmp_path / "error.json"
    path.write_text(
        json.dumps(
            {
                "error": {
                    "code": 403,
                    "message": "quotaExceeded",
                    "errors": [{"reason": "quotaExceeded"}],
                }
            }
        )
    )
    with pytest.raises(SourceError, match="403: quotaExceeded"):
        list(YT.iter_items(path))


def test_unsupported_item_kind_is_a_record_error():
    with pytest.raises(RecordError, match="unsupported item kind 'youtube#playlistItem'"):
        YT.parse(json.dumps({"kind": "youtube#playlistItem", "id": "p"}))


def test_video_without_published_at_names_created_at():
    with pytest.raises(RecordError) as info:
        YT.parse(json.dumps({"kind": "youtube#video", "id": "v", "statistics": {}}))
    assert info.value.field == "created_at"
    assert "snippet.publishedAt" in info.value.message


def test_negative_view_count_string_names_views():
    item = {
        "kind": "youtube#video",
        "id": "v",
        "snippet": {"publishedAt": "2024-02-08T12:00:00Z", "title": "t"},
        "statistics": {"viewCount": "-1"},
    }
    with pytest.raises(RecordError) as info:
        YT.parse(json.dumps(item))
    assert info.value.field == "views"


def test_search_results_are_read_as_videos_and_channel_hits_are_skipped():
    response = {
        "kind": "youtube#searchListResponse",
        "items": [
            {
                "kind": "youtube#searchResult",
                "id": {"kind": "youtube#video", "videoId": "s1"},
                "snippet": {
                    "publishedAt": "2024-02-08T12:00:00Z",
                    "title": "Debat",
                    "channelId": "UCx",
                },
            },
            {
                "kind": "youtube#searchResult",
                "id": {"kind": "youtube#channel", "channelId": "UCy"},
                "snippet": {"publishedAt": "2024-02-08T12:00:00Z", "title": "Kanal"},
            },
        ],
    }
    assert [r.platform_id for r in YT.parse(json.dumps(response))] == ["s1"]


def test_a_zeeschuimer_file_given_as_youtube_is_refused_naming_zeeschuimer():
    with pytest.raises(SourceError, match="choose the format 'zeeschuimer'"):
        list(YT.iter_items(SAMPLES / "zeeschuimer_mixed.ndjson"))
