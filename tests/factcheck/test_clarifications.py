"""Clarification imports are idempotent, group claims, report bad items; exports round-trip."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from saring.factcheck.models import Claim, Clarification
from saring.factcheck.services import claimreview_document, import_clarifications
from saring.sources.claimreview import read_claimreview
from tests.sources.test_claimreview import REVIEW

pytestmark = pytest.mark.django_db


def test_importing_twice_updates_instead_of_duplicating(tmp_path):
    path = tmp_path / "kpu.json"
    path.write_text(json.dumps([REVIEW]), encoding="utf-8")
    first = import_clarifications(path, "claimreview")
    again = import_clarifications(path, "claimreview", publish=True)
    assert (first.created, again.created, again.updated) == (1, 0, 1)
    assert Clarification.objects.get().status == "published"


def test_two_publishers_answering_the_same_claim_share_one_claim(tmp_path):
    path = tmp_path / "both.csv"
    path.write_text(
        "id,judul,narasi,label\n"
        "a,Tidak ditunda,Pemilu 2024 DITUNDA!!,Hoaks\n"
        "b,Pemilu tetap 14 Februari,pemilu 2024 ditunda,Salah\n",
        encoding="utf-8",
    )
    summary = import_clarifications(path, "csv")
    assert summary.created == 2
    assert Claim.objects.count() == 1
    assert Claim.objects.get().variants == ["pemilu 2024 ditunda"]


def test_bad_items_are_reported_by_location_and_the_good_ones_kept(tmp_path):
    path = tmp_path / "mixed.json"
    path.write_text(
        json.dumps([REVIEW, {**REVIEW, "url": "https://x.example/2", "reviewRating": {}}]),
        encoding="utf-8",
    )
    summary = import_clarifications(path, "claimreview")
    assert (summary.created, summary.rejected) == (1, 1)
    assert summary.errors == [
        "mixed.json, [1], field verdict: reviewRating.alternateName (the verdict) is missing"
    ]


def test_a_file_of_the_wrong_schema_is_refused_by_the_command(tmp_path):
    path = tmp_path / "news.json"
    path.write_text(json.dumps({"@type": "NewsArticle"}), encoding="utf-8")
    with pytest.raises(CommandError, match=r"news\.json: no ClaimReview found"):
        call_command("clarifications", "import", str(path))


def test_published_clarifications_export_as_claimreview_that_reimports(tmp_path):
    path = tmp_path / "kpu.json"
    path.write_text(json.dumps(REVIEW), encoding="utf-8")
    import_clarifications(path, "claimreview", publish=True)
    document = claimreview_document(Clarification.objects.all())
    assert document[0]["@type"] == "ClaimReview"
    assert document[0]["reviewRating"]["alternateName"] == "Salah"
    ((_, item),) = read_claimreview(json.dumps(document))
    assert item["claimReviewed"] == REVIEW["claimReviewed"]
