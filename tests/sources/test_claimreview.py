"""Clarifications from ClaimReview JSON-LD, the Fact Check API shape, CSV and articles."""

from __future__ import annotations

import json

import pytest

from saring.sources.claimreview import (
    parse_article,
    parse_claimreview,
    parse_csv_row,
    read_claimreview,
    verdict_code,
)
from saring.sources.records import RecordError

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://kpu.example/klarifikasi/surat-suara",
    "claimReviewed": "Surat suara sudah dicoblos sebelum hari pemungutan suara",
    "headline": "[SALAH] Surat suara sudah tercoblos sebelum 14 Februari",
    "reviewBody": "Surat suara dicetak dan disegel; yang beredar adalah video simulasi.",
    "datePublished": "2024-01-10",
    "author": {"@type": "Organization", "name": "KPU RI", "url": "https://kpu.example"},
    "reviewRating": {"@type": "Rating", "alternateName": "Salah", "ratingValue": 1},
    "itemReviewed": {
        "@type": "Claim",
        "datePublished": "2024-01-08",
        "author": {"@type": "Person", "name": "akun anonim"},
    },
}


@pytest.mark.parametrize(
    ("label", "code"),
    [
        ("Salah", "SALAH"),
        ("HOAKS", "HOAKS"),
        ("Tidak benar", "SALAH"),
        ("Benar", "BENAR"),
        ("Sebagian benar", "MENYESATKAN"),
        ("Missing context", "MENYESATKAN"),
        ("[PENIPUAN]", "PENIPUAN"),
        ("Klarifikasi", "KLARIFIKASI"),
        ("4/5", "LAINNYA"),
    ],
)
def test_published_ratings_map_to_verdict_codes(label, code):
    assert verdict_code(label) == code


def test_a_schema_org_claimreview_becomes_a_record():
    record = parse_claimreview(REVIEW)
    assert record.verdict == "SALAH" and record.verdict_label == "Salah"
    assert record.publisher == "KPU RI" and record.claimant == "akun anonim"
    assert record.external_id == REVIEW["url"]
    assert record.published_at.date().isoformat() == "2024-01-10"


def test_graphs_lists_and_fact_check_api_responses_are_all_read():
    graph = {"@graph": [REVIEW, {"@type": "WebPage"}]}
    api = {
        "claims": [
            {
                "text": "Pemilu ditunda",
                "claimant": "pesan berantai",
                "claimReview": [
                    {
                        "publisher": {"name": "Mafindo", "site": "x.example"},
                        "url": "https://x.example/1",
                        "title": "Pemilu tidak ditunda",
                        "textualRating": "Hoaks",
                        "reviewDate": "2024-01-02T00:00:00Z",
                    }
                ],
            }
        ]
    }
    assert len(list(read_claimreview(json.dumps([REVIEW, graph])))) == 2
    ((location, item),) = read_claimreview(json.dumps(api))
    assert location == "claims[0].claimReview[0]"
    assert parse_claimreview(item).verdict == "HOAKS"


def test_a_review_without_its_verdict_names_the_field():
    broken = {**REVIEW, "reviewRating": {}}
    with pytest.raises(RecordError) as error:
        parse_claimreview(broken)
    assert error.value.field == "verdict"


def test_a_document_of_the_wrong_schema_says_what_it_found():
    with pytest.raises(RecordError, match=r"no ClaimReview found.*NewsArticle"):
        list(read_claimreview(json.dumps({"@type": "NewsArticle"})))


def test_csv_rows_accept_indonesian_column_names():
    record = parse_csv_row(
        {
            "ID": "k-1",
            "Judul": "TPS tidak pindah",
            "Narasi": "TPS pindah",
            "Label": "Hoaks",
            "Penjelasan": "Cek di cekdptonline",
        }
    )
    assert (record.external_id, record.verdict, record.claim_text) == ("k-1", "HOAKS", "TPS pindah")
    with pytest.raises(RecordError) as error:
        parse_csv_row({"id": "k-2", "judul": "x"})
    assert error.value.field == "verdict"


def test_a_turnbackhoax_article_yields_narrative_explanation_and_verdict():
    article = """[SALAH] Tinta Pemilu Mengandung Babi
===== Narasi: “Tinta pemilu mengandung minyak babi, jangan mau dicelup!”
===== Penjelasan: Tinta pemilu sudah bersertifikat halal dari MUI.
===== Referensi: https://kpu.example/tinta"""
    record = parse_article(article)
    assert record.verdict == "SALAH"
    assert record.claim_text.startswith("Tinta pemilu mengandung minyak babi")
    assert "halal" in record.explanation
    assert record.sources == ("https://kpu.example/tinta",)


def test_an_article_verdict_can_come_from_the_url_slug():
    record = parse_article(
        "Narasi: pemilu ditunda\nPenjelasan: tidak.",
        url="https://turnbackhoax.id/2019/04/01/salah-pemilu-ditunda/",
    )
    assert record.verdict == "SALAH" and record.publisher.startswith("TurnBackHoax")
    with pytest.raises(RecordError):
        parse_article("Penjelasan saja tanpa narasi")
