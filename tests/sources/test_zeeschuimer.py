"""Zeeschuimer/4CAT NDJSON captures: TikTok, Instagram and X items."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from saring.sources import FORMATS, RecordError, SourceError
from tests.sources.helpers import SAMPLES, ingest

ZS = FORMATS["zeeschuimer"]


@pytest.fixture(scope="module")
def mixed():
    return ingest("zeeschuimer", SAMPLES / "zeeschuimer_mixed.ndjson")


def test_mixed_capture_yields_tiktok_instagram_and_x_records(mixed):
    assert [r.platform for r in mixed.records] == [
        "tiktok",
        "tiktok",
        "instagram",
        "instagram",
        "x",
        "x",
    ]


def test_truncated_json_line_is_quarantined_and_following_lines_still_parse(mixed):
    err = mixed.quarantined_at("line 5")
    assert err.field == ""
    assert err.message.startswith("invalid JSON")
    assert "line 6" in mixed.by_location and "line 7" in mixed.by_location


def test_impossible_tiktok_create_time_is_quarantined_naming_the_value(mixed):
    err = mixed.quarantined_at("line 8")
    assert err.field == "created_at"
    assert "32503680000" in err.message and "data.createTime" in err.message


def test_tiktok_api_item_maps_like_4cat(mixed):
    video = mixed.by_id("7331000000000000001")
    assert video.text.startswith("Cek DPT kamu sebelum 14 Februari")
    assert video.created_at == datetime(2024, 2, 3, 6, 0, tzinfo=UTC)
    assert video.author_handle == "relawan_contoh"
    assert video.author_name == "Relawan Contoh"
    assert "Kota Bandung" in video.author_location  # the bio, where a place is written
    assert video.hashtags == ("Pemilu2024", "CekDPT")
    assert video.mentions == ("kpu_contoh",)
    assert (video.views, video.likes, video.shares, video.comments) == (25300, 1200, 85, 40)
    assert video.url == "https://www.tiktok.com/@relawan_contoh/video/7331000000000000001"
    assert video.media_type == "video"
    assert video.observed_at == datetime(2024, 2, 7, 10, 0, tzinfo=UTC)
    assert video.extra["country"] == "ID"
    assert video.region_code == ""  # a country is not a Kemendagri code


def test_tiktok_embedded_page_item_with_string_author_and_string_time(mixed):
    video = mixed.by_id("7331000000000000002")
    assert video.author_handle == "akun_contoh_sby"
    assert video.author_name == "Warga Surabaya"
    assert video.created_at == datetime(2024, 2, 4, 2, 0, tzinfo=UTC)


def test_instagram_carousel_uses_shortcode_caption_and_geotag(mixed):
    post = mixed.by_id("C3contoh01")
    assert post.url == "https://www.instagram.com/p/C3contoh01"
    assert post.text.startswith("Infografis")
    assert post.author_handle == "cekfakta_contoh"
    assert post.author_name == "Cek Fakta Contoh"
    assert post.author_location == "Kota Makassar"
    assert post.hashtags == ("CekFakta", "PemiluDamai")
    assert post.mentions == ("mafindo_contoh",)
    assert (post.likes, post.comments, post.views) == (2045, 133, None)
    assert post.media_type == "carousel"


def test_instagram_reel_without_caption_has_empty_text_and_play_count(mixed):
    reel = mixed.by_id("C3contoh02")
    assert reel.text == ""
    assert reel.views == 5400
    assert reel.media_type == "video"


def test_x_tweet_maps_legacy_fields_views_and_profile_location(mixed):
    tweet = mixed.by_id("1754000000000000001")
    assert tweet.platform == "x"
    assert tweet.created_at == datetime(2024, 2, 12, 3, 15, tzinfo=UTC)
    assert tweet.author_handle == "pantau_tps_contoh"
    assert tweet.author_location == "Kota Semarang"
    assert tweet.hashtags == ("Pemilu2024", "QuickCount")
    assert tweet.mentions == ("kpu_contoh",)
    assert (tweet.views, tweet.likes, tweet.shares, tweet.comments) == (48210, 530, 210, 33)
    assert tweet.url == "https://x.com/pantau_tps_contoh/status/1754000000000000001"
    assert tweet.extra["quotes"] == "7"


def test_x_long_reply_uses_note_tweet_text_and_newer_user_core(mixed):
    reply = mixed.by_id("1754000000000000002")
    assert reply.text.endswith("#CekFakta")  # the full note, not the truncated full_text
    assert reply.author_handle == "warga_jogja_contoh"
    assert reply.author_location == "Sleman, DI Yogyakarta"
    assert reply.in_reply_to == "1754000000000000001"
    assert reply.media_type == "image"


def _line(source_platform: str, data: dict) -> str:
    return json.dumps(
        {
            "id": 1,
            "item_id": "1",
            "source_platform": source_platform,
            "timestamp_collected": 1707300000000,
            "data": data,
        }
    )


def test_retweet_text_is_written_as_4cat_does():
    retweet = {
        "rest_id": "1754000000000000005",
        "core": {"user_results": {"result": {"legacy": {"screen_name": "pengulang"}}}},
        "legacy": {
            "created_at": "Tue Feb 13 01:00:00 +0000 2024",
            "full_text": "RT @a: …",
            "retweeted_status_result": {
                "result": {
                    "rest_id": "1754000000000000001",
                    "core": {
                        "user_results": {"result": {"legacy": {"screen_name": "pantau_tps_contoh"}}}
                    },
                    "legacy": {"full_text": "Quick count bukan hasil resmi."},
                }
            },
        },
    }
    [record] = ZS.parse(_line("twitter.com", retweet))
    assert record.text == "RT @pantau_tps_contoh: Quick count bukan hasil resmi."
    assert record.extra["retweet_of"] == "1754000000000000001"


def test_instagram_ad_yields_no_record():
    ad = {
        "code": "Cad",
        "taken_at": 1707098400,
        "media_type": 1,
        "product_type": "ad",
        "caption": {"text": "Promo"},
        "like_count": 1,
    }
    assert ZS.parse(_line("instagram.com", ad)) == []


def test_unsupported_platform_is_a_record_error_naming_source_platform():
    with pytest.raises(RecordError) as info:
        ZS.parse(_line("linkedin.com", {"urn": "x"}))
    assert info.value.field == "source_platform"
    assert "linkedin.com" in info.value.message


def test_line_without_data_object_is_a_record_error():
    with pytest.raises(RecordError, match="no 'data' object"):
        ZS.parse('{"id": 1, "source_platform": "tiktok.com"}')


def test_negative_tiktok_count_is_a_record_error_naming_the_field():
    data = {
        "id": "1",
        "desc": "x",
        "createTime": 1707000000,
        "author": "a",
        "stats": {"playCount": -10},
    }
    with pytest.raises(RecordError) as info:
        ZS.parse(_line("tiktok.com", data))
    assert info.value.field == "views"
    assert "data.stats.playCount" in info.value.message


def test_missing_tiktok_id_is_a_record_error_naming_the_field():
    with pytest.raises(RecordError) as info:
        ZS.parse(_line("tiktok.com", {"desc": "x", "createTime": 1707000000, "author": "a"}))
    assert info.value.field == "platform_id"


def test_quarantined_line_can_be_fixed_and_reparsed_without_the_file(mixed):
    item, _ = mixed.quarantined[1]
    fixed = item.payload.replace("32503680000", "1707000000")
    [record] = ZS.parse(fixed)
    assert record.platform_id == "7331000000000000003"


def test_a_csv_given_as_zeeschuimer_is_refused_saying_what_it_looks_like():
    with pytest.raises(SourceError, match="looks like a Saring generic schema \\(CSV\\)"):
        list(ZS.iter_items(SAMPLES / "generic.csv"))


def test_an_unrecognised_text_file_given_as_zeeschuimer_is_refused_at_line_one(tmp_path):
    text = tmp_path / "catatan.txt"
    text.write_text('Catatan rapat relawan\n{"bukan": 1}\n')
    with pytest.raises(SourceError, match="not JSON lines: line 1"):
        list(ZS.iter_items(text))


def test_instagram_graph_shape_is_read_like_4cat():
    node = {
        "__typename": "GraphVideo",
        "shortcode": "Cgraph01",
        "taken_at_timestamp": 1707098400,
        "edge_media_to_caption": {"edges": [{"node": {"text": "Pantau TPS #KawalPemilu"}}]},
        "edge_media_preview_like": {"count": 77},
        "edge_media_to_comment": {"count": 5},
        "video_view_count": 900,
        "owner": {"username": "pemantau_contoh", "full_name": "Pemantau Contoh"},
        "location": {"name": "Kabupaten Bogor"},
    }
    [post] = ZS.parse(_line("instagram.com", node))
    assert (post.platform_id, post.text, post.author_handle) == (
        "Cgraph01",
        "Pantau TPS #KawalPemilu",
        "pemantau_contoh",
    )
    assert (post.likes, post.comments, post.views, post.media_type) == (77, 5, 900, "video")
    assert post.hashtags == ("KawalPemilu",)
    assert post.author_location == "Kabupaten Bogor"


def test_older_adaptive_x_items_are_read():
    tweet = {
        "type": "adaptive",
        "user": {"screen_name": "lama_contoh", "name": "Akun Lama"},
        "legacy": {
            "id_str": "1100000000000000001",
            "created_at": "Sun Apr 14 10:00:00 +0000 2019",
            "full_text": "Pemilu serentak hari ini",
            "favorite_count": 3,
            "retweet_count": 1,
            "reply_count": 0,
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
        },
    }
    [record] = ZS.parse(_line("twitter.com", tweet))
    assert record.platform_id == "1100000000000000001"
    assert record.url == "https://x.com/lama_contoh/status/1100000000000000001"
    assert record.author_name == "Akun Lama"


def test_missing_timestamp_collected_leaves_observed_at_to_the_importer():
    data = {"id": "9", "desc": "x", "createTime": 1707000000, "author": "a"}
    envelope = json.dumps({"source_platform": "tiktok.com", "data": data})
    assert ZS.parse(envelope)[0].observed_at is None
