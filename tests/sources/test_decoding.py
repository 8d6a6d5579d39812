"""One decoding rule for every format (saring.sources._text): no replacement characters."""

from __future__ import annotations

import codecs

import pytest

from saring.sources import FORMATS
from saring.sources._io import LineReader, iter_csv_rows, read_head
from saring.sources._text import TextSource, decode_bytes, read_text, sniff_encoding
from tests.sources.helpers import ingest

TEXT = "Caf\u00e9 \u201cdemokrasi\u201d \u2013 14 Februari"


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        (codecs.BOM_UTF16_LE + "ab".encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + "ab".encode("utf-16-be"), "utf-16-be"),
        ('{"id": 1, "text": "halo"}'.encode("utf-16-le"), "utf-16-le"),
        ('{"id": 1, "text": "halo"}'.encode("utf-16-be"), "utf-16-be"),
        (b"platform,id\nx,1\n", "utf-8"),
        (b"a\x00b\x00c,d\x00,e,f,g,h\n", "utf-8"),  # a few NUL bytes are not UTF-16
    ],
)
def test_utf16_is_told_by_its_byte_order_mark_or_by_its_nul_pattern(data, codec):
    assert sniff_encoding(data)[0] == codec


def test_bytes_that_are_not_utf8_read_as_cp1252_and_the_rest_as_utf8():
    mixed = "Caf\u00e9 ".encode() + "\u201cdemokrasi\u201d".encode("cp1252") + b" \x81"
    assert decode_bytes(mixed) == "Caf\u00e9 \u201cdemokrasi\u201d \x81"
    assert decode_bytes(b"a\x00b") == "ab"


@pytest.mark.parametrize("codec", ["utf-8", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_a_text_source_reads_every_encoding_in_small_chunks_without_losing_a_character(
    tmp_path, codec
):
    path = tmp_path / "t.txt"
    path.write_bytes((TEXT * 50).encode(codec))
    source = TextSource(path)
    chunks = []
    while chunk := source.read(7):
        chunks.append(chunk)
    assert "".join(chunks) == TEXT * 50
    assert read_text(path) == TEXT * 50


def test_a_utf8_character_split_between_two_chunks_is_not_replaced(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"x" * (64 * 1024 - 1) + "\u201c".encode())
    assert read_text(path).endswith("\u201c")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_lines_and_heads_of_utf16_files_read_with_or_without_a_byte_order_mark(tmp_path, codec):
    path = tmp_path / "t.csv"
    path.write_bytes(f"platform,id,text\nx,1,{TEXT}\n".encode(codec))
    assert list(LineReader(path)) == ["platform,id,text\n", f"x,1,{TEXT}\n"]
    assert read_head(path, 8) == b"platform"
    [row] = iter_csv_rows(path)
    assert row.values["text"] == TEXT


def test_a_line_over_the_limit_is_kept_as_its_start_with_its_length(tmp_path, monkeypatch):
    monkeypatch.setattr("saring.sources._io.MAX_LINE_BYTES", 1000)
    monkeypatch.setattr("saring.sources._io.KEPT_OF_LONG_LINE", 10)
    path = tmp_path / "t.jsonl"
    path.write_bytes(b"short\n" + b"y" * 5000 + b"\nafter\n")
    reader = LineReader(path)
    seen = [(line, reader.overlong) for line in reader]
    assert seen == [("short\n", 0), ("y" * 10, 5001), ("after\n", 0)]


def test_an_old_mac_file_is_split_on_carriage_returns(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"platform,id,text,created_at\rx,1,halo,2024-02-10\rx,2,lagi,2024-02-10\r")
    assert [r.values["id"] for r in iter_csv_rows(path)] == ["1", "2"]


def test_the_last_row_of_a_cut_csv_is_quarantined_not_read_short(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_bytes(b"platform,id,text,created_at,views\nx,1,halo,2024-02-10,5\nx,2,terpo")
    outcome = ingest("generic-csv", path)
    assert [r.platform_id for r in outcome.records] == ["1"]
    assert "stops in the middle of this row" in outcome.quarantined_at("row 2").message


def test_a_complete_last_row_without_a_line_break_is_read(tmp_path):
    path = tmp_path / "sheets.csv"  # Google Sheets writes no line break after the last row
    path.write_bytes(b"platform,id,text,created_at\nx,1,halo,2024-02-10\nx,2,lagi,2024-02-10")
    assert [r.platform_id for r in ingest("generic-csv", path).records] == ["1", "2"]


def test_a_line_the_csv_module_refuses_is_quarantined_and_the_next_rows_read(tmp_path):
    path = tmp_path / "cr.csv"
    path.write_bytes(b"platform,id,text,created_at\nx,1,a\rb,2024-02-10\nx,2,ok,2024-02-10\n")
    outcome = ingest("generic-csv", path)
    assert [r.platform_id for r in outcome.records] == ["2"]
    assert "csv module cannot read" in outcome.quarantined_at("row 1").message


@pytest.mark.parametrize("name", ["tiktok-research", "youtube", "generic-jsonl"])
def test_json_documents_in_utf16_without_a_byte_order_mark_are_read(tmp_path, name):
    items = {
        "tiktok-research": '{"data": {"videos": [{"id": 1, "create_time": 1707400000, '
        f'"video_description": "{TEXT}"}}]}}}}',
        "youtube": '{"items": [{"kind": "youtube#video", "id": "v1", "snippet": '
        f'{{"publishedAt": "2024-02-10T03:00:00Z", "title": "{TEXT}"}}}}]}}',
        "generic-jsonl": f'[{{"platform": "x", "id": "1", "text": "{TEXT}", '
        '"date": "2024-02-10"}]',
    }
    path = tmp_path / "doc.json"
    path.write_bytes(items[name].encode("utf-16-le"))
    [record] = ingest(name, path).records
    assert record.text == TEXT
    assert FORMATS[name].name == name
