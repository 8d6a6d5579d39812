"""The registry, the file checks and format detection."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from saring.sources import (
    FORMATS,
    SourceError,
    SourceFormat,
    UnknownFormatError,
    check_file,
    detect_format,
    get_format,
)
from tests.sources.helpers import SAMPLES

SOURCE_DIR = Path(__file__).parents[2] / "src" / "saring" / "sources"


def test_formats_are_registered_under_their_cli_names():
    assert list(FORMATS) == [
        "zeeschuimer",
        "tiktok-research",
        "meta-cl",
        "youtube",
        "generic-csv",
        "generic-jsonl",
    ]
    for name, fmt in FORMATS.items():
        assert isinstance(fmt, SourceFormat)
        assert fmt.name == name
        assert fmt.label


def test_get_format_ignores_case_and_spaces():
    assert get_format(" YouTube ") is FORMATS["youtube"]


def test_unknown_format_name_is_a_value_error_listing_the_valid_names():
    with pytest.raises(ValueError, match="choose one of: zeeschuimer, tiktok-research") as info:
        get_format("csv")
    assert isinstance(info.value, UnknownFormatError)
    assert "generic-jsonl" in str(info.value)


def test_missing_file_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="file not found"):
        check_file(tmp_path / "tidak-ada.csv")


def test_directory_is_a_source_error(tmp_path):
    with pytest.raises(SourceError, match="is a directory"):
        check_file(tmp_path)


def test_zero_byte_file_is_a_source_error(tmp_path):
    empty = tmp_path / "kosong.ndjson"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="file is empty") as info:
        check_file(empty)
    assert str(empty) in str(info.value)


def test_whitespace_only_file_is_a_source_error(tmp_path):
    blank = tmp_path / "spasi.csv"
    blank.write_bytes(b"\xef\xbb\xbf \r\n\t\n\n")
    with pytest.raises(SourceError, match="only whitespace"):
        check_file(blank)


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_refuses_an_empty_file_before_reading(tmp_path, name):
    empty = tmp_path / "kosong"
    empty.write_bytes(b"")
    with pytest.raises(SourceError, match="empty"):
        list(FORMATS[name].iter_items(empty))


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("zeeschuimer_mixed.ndjson", "zeeschuimer"),
        ("tiktok_research_page.json", "tiktok-research"),
        ("tiktok_research_pages.json", "tiktok-research"),
        ("tiktok_research_pages.ndjson", "tiktok-research"),
        ("tiktok_research_error.json", "tiktok-research"),
        ("youtube_videos.json", "youtube"),
        ("youtube_comments.json", "youtube"),
        ("youtube_pages.ndjson", "youtube"),
        ("youtube_pages.json", "youtube"),
        ("meta_cl_facebook.csv", "meta-cl"),
        ("meta_cl_instagram.csv", "meta-cl"),
        ("generic.csv", "generic-csv"),
        ("generic_renamed_columns.tsv", "generic-csv"),
        ("generic_cp1252.csv", "generic-csv"),
        ("generic.jsonl", "generic-jsonl"),
    ],
)
def test_detect_format_recognises_each_sample(sample, expected):
    assert detect_format(SAMPLES / sample) == expected


def test_detect_format_answers_none_for_unrecognised_files(tmp_path):
    other = tmp_path / "lain.csv"
    other.write_text("nama,alamat\nBudi,Jl. Merdeka 1\n")
    assert detect_format(other) is None
    assert detect_format(tmp_path / "tidak-ada") is None


def test_sources_package_never_imports_django():
    for source in SOURCE_DIR.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+django", source.read_text(), re.M), source

    code = (
        "import sys, saring.sources; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(SOURCE_DIR.parents[1])},
    )
    assert result.returncode == 0, result.stderr


def test_source_modules_stay_small():
    for source in SOURCE_DIR.glob("*.py"):
        assert len(source.read_text().splitlines()) <= 400, source.name


def test_detect_format_reads_utf16_csv_headers(tmp_path):
    path = tmp_path / "excel.txt"
    path.write_bytes("platform\tid\ttext\tcreated_at\r\n".encode("utf-16"))
    assert detect_format(path) == "generic-csv"


@pytest.mark.parametrize("name", list(FORMATS))
def test_every_format_refuses_a_gzip_file_saying_so(tmp_path, name):
    path = tmp_path / "capture.ndjson.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 32)
    with pytest.raises(SourceError, match="gzip archive; decompress it first"):
        list(FORMATS[name].iter_items(path))


def test_a_complete_generic_header_is_generic_even_with_meta_like_extra_columns(tmp_path):
    path = tmp_path / "campur.csv"
    path.write_text("platform,platform_id,text,created_at,statistics_views\n")
    assert detect_format(path) == "generic-csv"
