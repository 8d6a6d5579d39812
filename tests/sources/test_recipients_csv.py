"""Recipient CSVs (saring.sources.recipients): columns, delimiters, BOM, phone normalisation."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from saring.sources.recipients import (
    Columns,
    RecipientRow,
    RowError,
    iter_rows,
    normalise_email,
    normalise_phone,
    read_recipients,
)
from saring.sources.records import SourceError


def rows(text: str, encoding: str = "utf-8", **kwargs) -> list:
    return list(read_recipients(io.BytesIO(text.encode(encoding)), **kwargs))


@pytest.mark.parametrize(
    "raw",
    ["081234567890", "6281234567890", "+62 812-3456-7890", "81234567890", "(0812) 3456 7890"],
)
def test_indonesian_mobile_numbers_become_e164(raw):
    assert normalise_phone(raw) == ("+6281234567890", "")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("08123", "phone_invalid"),
        ("nomor saya", "phone_invalid"),
        ("", "phone_invalid"),
        ("0221234567", "phone_not_mobile"),  # a Bandung landline
        ("+447911123456", "phone_foreign"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(raw, reason):
    assert normalise_phone(raw) == (None, reason)


def test_email_is_lower_cased_and_checked():
    assert normalise_email(" Warga@Contoh.ID ") == "warga@contoh.id"
    assert normalise_email("warga@contoh") is None
    assert normalise_email("a b@contoh.id") is None


def test_semicolon_file_with_bom_and_indonesian_headers():
    text = "\ufeffNomor;Provinsi;Kabupaten\n0812-3456-7890;32;32.05\n"
    assert rows(text) == [RecipientRow(2, "sms", "+6281234567890", "32", "32.05")]


def test_comma_file_with_phone_and_email_gives_two_addresses():
    text = "hp,email,province,regency\n081234567890,Ani@Contoh.id,Jawa Barat,garut\n"
    assert rows(text) == [
        RecipientRow(2, "sms", "+6281234567890", "Jawa Barat", "garut"),
        RecipientRow(2, "email", "ani@contoh.id", "Jawa Barat", "garut"),
    ]


def test_phone_channel_is_the_callers_choice():
    assert rows("phone\n081234567890\n", phone_channel="whatsapp")[0].channel == "whatsapp"


def test_regency_code_gives_its_province():
    assert rows("phone,kabupaten\n081234567890,32.73\n")[0].province == "32"


def test_bad_rows_are_reported_by_line_and_the_rest_kept():
    text = (
        "phone;email;provinsi;kabupaten\n"
        "081234567890;;;\n"  # 2 good
        "08123;;;\n"  # 3 too short
        ";;32;\n"  # 4 no address
        "081234567891;bukan-email;;\n"  # 5 bad e-mail
        "081234567892;;3;\n"  # 6 malformed province code
        "081234567893;;32;33.01\n"  # 7 regency outside province
        "\n"  # 8 blank: skipped
        "081234567894;;;;;extra\n"  # 9 too many columns
        "081234567895;;;\n"  # 10 good
    )
    got = rows(text)
    good = [r for r in got if isinstance(r, RecipientRow)]
    bad = [(r.line, r.field, r.reason) for r in got if isinstance(r, RowError)]
    assert [r.line for r in good] == [2, 10]
    assert bad == [
        (3, "phone", "phone_invalid"),
        (4, "", "no_address"),
        (5, "email", "email_invalid"),
        (6, "provinsi", "region_invalid"),
        (7, "kabupaten", "region_mismatch"),
        (9, "", "columns"),
    ]
    error = next(r for r in got if isinstance(r, RowError))
    assert dict(error.raw)["phone"] == "08123"  # the raw row goes to (encrypted) quarantine
    assert "08123" not in error.message  # the reason never repeats the address


def test_quoted_fields_and_crlf():
    text = 'phone,kabupaten\r\n"0812 3456 7890","Kabupaten Garut"\r\n'
    assert rows(text) == [RecipientRow(2, "sms", "+6281234567890", None, "Kabupaten Garut")]


def test_bare_carriage_returns_and_a_line_split_by_the_sniffing_sample(monkeypatch):
    assert [r.line for r in rows("hp\r081234567890\r081234567891\r")] == [2, 3]
    monkeypatch.setattr("saring.sources.recipients._SNIFF_BYTES", 10)  # ends mid-line
    got = rows("hp;kabupaten\r\n081234567890;32.05\r\n081234567891;32.73\r\n")
    assert [(r.line, r.address, r.regency) for r in got] == [
        (2, "+6281234567890", "32.05"),
        (3, "+6281234567891", "32.73"),
    ]


def test_header_without_an_address_column_is_a_file_error():
    with pytest.raises(SourceError) as caught:
        rows("nama,alamat\nAni,Garut\n", name="daftar.csv")
    assert caught.value.line == 1 and caught.value.path == "daftar.csv"
    with pytest.raises(SourceError):
        rows("", name="kosong.csv")


def test_text_stream_works_too():
    columns, found = iter_rows(io.StringIO("email\na@contoh.id\n"))
    assert isinstance(columns, Columns) and columns.email == 0
    assert list(found) == [(2, ["a@contoh.id"])]


def test_a_long_file_is_streamed_not_loaded():
    class Lines(io.RawIOBase):  # 30,000 rows generated on demand, never a whole file
        def __init__(self, n: int):
            self.n, self.i, self.buf = n, -1, b""

        def readable(self) -> bool:
            return True

        def readinto(self, target) -> int:
            while len(self.buf) < len(target) and self.i < self.n:
                self.buf += b"phone\n" if self.i < 0 else b"0812%08d\n" % self.i
                self.i += 1
            size = min(len(target), len(self.buf))
            target[:size], self.buf = self.buf[:size], self.buf[size:]
            return size

    tracemalloc.start()
    count = sum(1 for r in read_recipients(io.BufferedReader(Lines(30_000))) if r.line)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 30_000
    assert peak < 2_000_000  # kept rows alone would take several MB
