"""Clarification imports are idempotent, group claims, report bad items; exports round-trip."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from saring.factcheck.imports import import_clarifications
from saring.factcheck.models import Claim, Clarification
from saring.factcheck.services import claimreview_document
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services import quarantine
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


def test_bad_items_wait_in_the_quarantine_and_import_once_fixed(tmp_path):
    path = tmp_path / "mixed.json"
    broken = {**REVIEW, "url": "https://x.example/2", "reviewRating": {}}
    path.write_text(json.dumps([REVIEW, broken]), encoding="utf-8")
    summary = import_clarifications(path, "claimreview")
    run = ImportRun.objects.get(id=summary.run_id)
    record = run.quarantine.get()
    assert (run.format, run.status, run.created, run.quarantined) == (
        "clarifications-claimreview",
        "done",
        1,
        1,
    )
    assert (record.location, record.field) == ("[1]", "verdict")
    assert json.loads(record.payload)["url"] == "https://x.example/2"

    still_bad = quarantine.retry([record])
    record.refresh_from_db()
    assert (still_bad.quarantined, record.status, record.attempts) == (1, "open", 2)

    fixed = json.dumps({**broken, "reviewRating": {"alternateName": "Hoaks"}})
    result = quarantine.retry([record], payload=fixed)
    record.refresh_from_db()
    run.refresh_from_db()
    assert (result.created, record.status, run.quarantined, run.created) == (1, "resolved", 0, 2)
    assert Clarification.objects.get(url="https://x.example/2").verdict == "HOAKS"


def test_a_bad_csv_row_is_quarantined_with_its_file_line_and_header(tmp_path):
    path = tmp_path / "kpu.csv"
    path.write_text(
        "id,judul,narasi,label\n"
        "a,Tidak ditunda,Pemilu 2024 DITUNDA!!,Hoaks\n"
        "b,Pemilu tetap 14 Februari,pemilu 2024 ditunda,\n",
        encoding="utf-8",
    )
    summary = import_clarifications(path, "csv")
    record = QuarantinedRecord.objects.get(run_id=summary.run_id)
    assert (summary.created, record.line, record.location) == (1, 3, "line 3")
    assert record.field == "verdict"
    assert record.payload.splitlines() == [
        "id,judul,narasi,label",
        "b,Pemilu tetap 14 Februari,pemilu 2024 ditunda,",
    ]
    fixed = "id,judul,narasi,label\nb,Pemilu tetap 14 Februari,pemilu 2024 ditunda,Salah\n"
    assert quarantine.retry([record], payload=fixed).created == 1


def test_importing_published_clarifications_queues_backwards_matching(
    tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    fake_task = type("FakeTask", (), {"enqueue": staticmethod(queued.append)})
    monkeypatch.setattr("saring.factcheck.tasks.match_clarification_task", fake_task)
    path = tmp_path / "kpu.json"
    path.write_text(json.dumps(REVIEW), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_clarifications(path, "claimreview", publish=True)
    clarification = Clarification.objects.get()
    assert queued == [clarification.id]
    assert clarification.published_at is not None
    # Its vector is stored first, so workers do not each embed every clarification.
    from saring.factcheck.matching import embedder
    from saring.factcheck.models import PassageVector

    assert PassageVector.objects.count() == (1 if embedder().dim else 0)
