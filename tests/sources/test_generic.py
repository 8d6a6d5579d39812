"""Saring's generic schema as CSV and as JSON lines."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from saring.sources import FORMATS, RecordError, SourceError
from tests.sources.helpers import SAMPLES, ingest

CSV = FORMATS["generic-csv"]
JSONL = FORMATS["generic-jsonl"]
WIB = timezone(timedelta(hours=7))


def test_generic_csv_reads_every_documented_column():
    outcome = ingest("generic-csv", SAMPLES / "generic.csv")
    assert not outcome.quarantined
    post = outcome.by_id("fb-0001")
    assert post.platform == "facebook"
    assert post.created_at == datetime(2024, 2, 14, 6, 0, tzinfo=WIB)
    assert post.url == "https://www.facebook.com/contoh/posts/1"
    assert post.author_handle == "pps_sukajadi_contoh"
    assert post.author_location == "Kota Bandung, Jawa Barat"
    assert post.hashtags == ("Pemilu2024", "TPS")
    assert (post.views, post.likes, post.shares, post.comments) == (1200, 85, 10, 4)
    assert post.observed_at == datetime(2024, 2, 14, 8, 0, tzinfo=WIB)
    assert post.media_type == "text"
    assert post.region_code == "32.73"
    assert post.extra == {"sumber": "posko relawan"}


def test_generic_csv_counts_in_indonesian_styles_and_json_hashtags():
    outcome = ingest("generic-csv", SAMPLES / "generic.csv")
    video = outcome.by_id("7331900000000000001")
    assert (video.views, video.likes, video.shares, video.comments) == (12000, 1200, 3000000, 1234)
    assert video.hashtags == ("hoaks", "pemilu")
    assert video.mentions == ("kpu_contoh",)
    reply = outcome.by_id("1755000000000000009")
    assert reply.created_at == datetime(2024, 2, 15, 10, 0, tzinfo=UTC)  # epoch is UTC
    assert reply.in_reply_to == "7331900000000000001"
    assert reply.media_type == "comment"


def test_renamed_columns_are_accepted_silently_through_aliases():
    outcome = ingest("generic-csv", SAMPLES / "generic_renamed_columns.tsv")
    first, second = outcome.records
    assert (first.platform, first.platform_id, first.author_handle) == (
        "instagram",
        "ig-01",
        "pendukung_contoh",
    )
    assert first.text.startswith("Kampanye akbar")
    assert first.created_at == datetime(2024, 2, 10, 15, 30, tzinfo=WIB)  # day-first
    assert first.likes == 2500
    assert first.extra == {"Kabupaten": "Jakarta Pusat"}
    assert second.platform == "instagram"  # "ig" is an alias


def test_cp1252_csv_with_semicolons_and_crlf_decodes_without_failing():
    outcome = ingest("generic-csv", SAMPLES / "generic_cp1252.csv")
    first = outcome.by_id("fb-cp-1")
    assert first.text == "Caleg \u201cbersih\u201d katanya \u2013 cek rekam jejaknya dulu"
    assert first.likes == 1500


def test_one_cp1252_line_in_a_utf8_file_is_decoded_on_its_own():
    outcome = ingest("generic-csv", SAMPLES / "generic_mixed_encoding.csv")
    texts = [r.text for r in outcome.records]
    assert texts[1] == "Caf\u00e9 \u201cdemokrasi\u201d buka diskusi malam ini"
    assert texts[2] == "Relawan: \u00e9\u00e8 tetap netral"


def test_bad_rows_are_quarantined_one_by_one_with_the_field_named():
    outcome = ingest("generic-csv", SAMPLES / "generic_bad_rows.csv")
    assert [r.platform_id for r in outcome.records] == ["ok-1", "ok-2"]
    fields = {item.location: (err.field, err.message) for item, err in outcome.quarantined}
    assert fields["row 2"][0] == "platform_id"
    assert fields["row 3"] == ("created_at", fields["row 3"][1])
    assert "2024-02-30 10:00:00" in fields["row 3"][1]
    assert "0000-01-01" in fields["row 4"][1]
    assert fields["row 5"][0] == "views" and "negative" in fields["row 5"][1]
    assert fields["row 6"][0] == "likes" and "banyak" in fields["row 6"][1]
    assert "scientific notation" in fields["row 7"][1]
    assert "more cell(s) than the header" in fields["row 8"][1]


def test_empty_text_is_allowed_but_empty_id_is_not():
    outcome = ingest("generic-csv", SAMPLES / "generic_bad_rows.csv")
    assert outcome.by_id("ok-2").text == ""


def test_quarantined_csv_row_is_a_json_object_that_can_be_fixed_and_reparsed():
    outcome = ingest("generic-csv", SAMPLES / "generic_bad_rows.csv")
    item, _ = outcome.quarantined[1]
    row = json.loads(item.payload)
    assert row["created_at"] == "2024-02-30 10:00:00"
    row["created_at"] = "2024-02-29 10:00:00"
    [record] = CSV.parse(json.dumps(row))
    assert record.platform_id == "bad-date"


def test_missing_required_column_names_file_column_and_columns_found(tmp_path):
    path = tmp_path / "kurang.csv"
    path.write_text("platform,id,tanggal\nfacebook,1,2024-02-10\n")
    with pytest.raises(SourceError) as info:
        list(CSV.iter_items(path))
    message = str(info.value)
    assert str(path) in message
    assert "missing required column 'text' (also accepted: content, message" in message
    assert "columns found: platform, id, tanggal" in message


def test_a_meta_cl_export_given_as_generic_csv_is_refused_naming_meta_cl():
    with pytest.raises(SourceError, match="choose the format 'meta-cl'"):
        list(CSV.iter_items(SAMPLES / "meta_cl_facebook.csv"))


def test_an_xlsx_workbook_is_refused_with_advice(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(SourceError, match="export the sheet as CSV"):
        list(CSV.iter_items(path))


def test_a_ten_megabyte_field_does_not_crash_the_csv_reader(tmp_path):
    path = tmp_path / "panjang.csv"
    long_text = "hoaks " * (10 * 1024 * 1024 // 6 + 1)
    path.write_text(
        f'platform,platform_id,text,created_at\nfacebook,1,"{long_text}",'
        "2024-02-10 10:00:00\nfacebook,2,pendek,2024-02-10 10:00:00\n"
    )
    outcome = ingest("generic-csv", path)
    assert len(outcome.records[0].text) >= 10 * 1024 * 1024
    assert outcome.records[1].text == "pendek"


def test_quoted_field_with_newlines_reports_the_line_where_the_row_starts(tmp_path):
    path = tmp_path / "multiline.csv"
    path.write_text(
        'platform,platform_id,text,created_at\nfacebook,1,"baris\nkedua",'
        "2024-02-10 10:00:00\nfacebook,2,x,2024-02-30 10:00:00\n"
    )
    items = list(CSV.iter_items(path))
    assert [(i.location, i.line) for i in items] == [("row 1", 2), ("row 2", 4)]
    assert CSV.parse(items[0].payload)[0].text == "baris\nkedua"


def test_utf16_excel_unicode_text_export_is_read(tmp_path):
    path = tmp_path / "excel.txt"
    text = "platform\tid\ttext\tcreated_at\r\nfacebook\tu1\tSuara rakyat\t2024-02-10\r\n"
    path.write_bytes(text.encode("utf-16"))
    [record] = ingest("generic-csv", path).records
    assert record.text == "Suara rakyat"


def test_generic_jsonl_reads_aliases_and_quarantines_bad_lines():
    outcome = ingest("generic-jsonl", SAMPLES / "generic.jsonl")
    assert [r.platform_id for r in outcome.records] == [
        "7331900000000000002",
        "1755000000000000010",
        "ig-9",
    ]
    first = outcome.records[0]
    assert first.author_handle == "contoh_info" and first.likes == 1200
    assert first.region_code == "35.78"
    assert first.extra == {"tim": "relawan A"}
    second = outcome.records[1]
    assert second.text == "Hitung cepat bukan hasil resmi"
    assert second.created_at == datetime(2024, 2, 14, 7, 0, tzinfo=UTC)  # milliseconds
    assert outcome.records[2].media_type == "video"  # "reel"
    reasons = {item.location: err for item, err in outcome.quarantined}
    assert reasons["line 3"].message.startswith("invalid JSON")
    assert reasons["line 4"].field == "created_at" and "32503680000" in reasons["line 4"].message
    assert reasons["line 5"].field == "created_at" and "missing" in reasons["line 5"].message
    assert reasons["line 6"].field == "comments"


def test_generic_jsonl_line_numbers_and_offsets_track_the_file():
    items = list(JSONL.iter_items(SAMPLES / "generic.jsonl"))
    assert [i.line for i in items] == [1, 2, 3, 4, 5, 6, 8]  # the blank line 7 is skipped
    assert items[-1].offset == (SAMPLES / "generic.jsonl").stat().st_size
    assert all(a.offset < b.offset for a, b in itertools.pairwise(items))


def test_a_json_array_line_yields_one_record_per_object():
    payload = json.dumps(
        [
            {"platform": "x", "id": "1", "text": "a", "date": "2024-02-10"},
            {"platform": "x", "id": "2", "text": "b", "date": "2024-02-10"},
        ]
    )
    assert [r.platform_id for r in JSONL.parse(payload)] == ["1", "2"]


def test_platform_names_are_normalised_and_validated():
    base = {"id": "1", "text": "a", "created_at": "2024-02-10"}
    assert JSONL.parse(json.dumps({**base, "platform": "Twitter"}))[0].platform == "x"
    with pytest.raises(RecordError) as info:
        JSONL.parse(json.dumps({**base, "platform": "Situs Berita Lokal!"}))
    assert info.value.field == "platform"


def test_unknown_media_type_is_kept_in_extra_not_fatal():
    [record] = JSONL.parse(
        json.dumps(
            {
                "platform": "x",
                "id": "1",
                "text": "a",
                "created_at": "2024-02-10",
                "media_type": "story",
            }
        )
    )
    assert record.media_type == "" and record.extra == {"media_type": "story"}


def test_a_zeeschuimer_capture_given_as_generic_jsonl_is_refused():
    with pytest.raises(SourceError, match="choose the format 'zeeschuimer'"):
        list(JSONL.iter_items(SAMPLES / "zeeschuimer_mixed.ndjson"))


def test_a_file_that_is_one_json_array_is_streamed_element_by_element(tmp_path):
    rows = [
        {"platform": "facebook", "id": f"arr-{i}", "text": "Info TPS", "date": "2024-02-10"}
        for i in range(3)
    ]
    rows[1]["date"] = "2024-02-30"
    path = tmp_path / "pandas.json"
    path.write_text(json.dumps(rows))
    outcome = ingest("generic-jsonl", path)
    assert [r.platform_id for r in outcome.records] == ["arr-0", "arr-2"]
    assert outcome.quarantined_at("[1]").field == "created_at"


def test_a_truncated_json_array_keeps_the_complete_elements(tmp_path):
    path = tmp_path / "potong.json"
    path.write_text(
        '[{"platform": "x", "id": "1", "text": "a", "date": "2024-02-10"}, '
        '{"platform": "x", "id": "2", "te'
    )
    outcome = ingest("generic-jsonl", path)
    assert [r.platform_id for r in outcome.records] == ["1"]
    [(item, err)] = outcome.quarantined
    assert item.location == "after [0]" and err.message.startswith("invalid JSON")


def test_excel_sep_line_names_the_delimiter_and_is_skipped(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("sep=;\nplatform;id;text;created_at\nfacebook;s1;Halo, pemilih;2024-02-10\n")
    [record] = ingest("generic-csv", path).records
    assert (record.platform_id, record.text) == ("s1", "Halo, pemilih")
    [item] = CSV.iter_items(path)
    assert (item.location, item.line) == ("row 1", 3)


def test_duplicate_and_blank_header_cells_get_unique_names(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        "platform,id,text,created_at,catatan,catatan,\nx,d1,a,2024-02-10,satu,dua,tiga\n"
    )
    [record] = ingest("generic-csv", path).records
    assert record.extra == {"catatan": "satu", "catatan_2": "dua", "column_7": "tiga"}


def test_an_unclosed_quote_is_quarantined_and_the_rows_it_swallowed_are_read_again(tmp_path):
    # issue 9: the row after an unclosed quote is a good record and is kept (it used to be lost
    # inside the broken row's payload)
    path = tmp_path / "kutip.csv"
    path.write_text(
        "platform,id,text,created_at\nx,1,ok,2024-02-10\n"
        'x,2,"tidak ditutup,2024-02-10\nx,3,ok,2024-02-10\n'
    )
    outcome = ingest("generic-csv", path)
    assert [r.platform_id for r in outcome.records] == ["1", "3"]
    assert "never closed" in outcome.quarantined_at("row 2").message


def test_indonesian_column_names_are_accepted_for_text_and_date(tmp_path):
    from saring.sources.registry import get_format

    path = tmp_path / "ekspor.csv"
    path.write_bytes(b"platform;platform_id;isi;tanggal\nx;1;Caf\xe9 dekat TPS;2024-02-14 08:00\n")
    fmt = get_format("generic-csv")
    (item,) = list(fmt.iter_items(path))
    (record,) = fmt.parse(item.payload)
    assert record.text == "Café dekat TPS" and record.created_at.year == 2024
