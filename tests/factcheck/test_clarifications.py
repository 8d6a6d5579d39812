"""Clarification imports are idempotent, group claims, report bad items; exports round-trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, scope_for
from saring.factcheck.imports import import_clarifications
from saring.factcheck.models import Claim, Clarification
from saring.factcheck.services import claimreview_document
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.monitoring.services import quarantine
from saring.sources.claimreview import read_claimreview
from tests.factories import member
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

    still_bad = quarantine.retry([record], scope=SYSTEM)
    record.refresh_from_db()
    assert (still_bad.quarantined, record.status, record.attempts) == (1, "open", 2)

    fixed = json.dumps({**broken, "reviewRating": {"alternateName": "Hoaks"}})
    result = quarantine.retry([record], payload=fixed, scope=SYSTEM)
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
    assert quarantine.retry([record], payload=fixed, scope=SYSTEM).created == 1


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


# -- an import matches existing records only within the importer's scope (issue 9) ------------


def _kpu(role: str, province: str | None = None, kind=Organisation.Kind.KPU):
    return scope_for(member(role, province=province, kind=kind))


def _file(tmp_path, name: str, **changes) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps([{**REVIEW, **changes}]), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "importer",
    [
        pytest.param(lambda: _kpu("analyst", "33"), id="an analyst of another province"),
        pytest.param(lambda: _kpu("admin", "33"), id="an admin of another province"),
        pytest.param(
            lambda: _kpu("admin", "32", Organisation.Kind.BAWASLU),
            id="another organisation of the same province",
        ),
    ],
)
def test_an_external_id_of_another_regions_draft_is_quarantined_not_overwritten(tmp_path, importer):
    jabar = _kpu("analyst", "32")
    import_clarifications(_file(tmp_path, "jabar.json"), "claimreview", scope=jabar)
    original = Clarification.objects.get()
    hostile = _file(tmp_path, "lain.json", headline="[BENAR] Surat suara memang tercoblos")
    summary = import_clarifications(hostile, "claimreview", scope=importer())
    assert (summary.created, summary.updated, summary.rejected) == (0, 0, 1)
    record = QuarantinedRecord.objects.get(run_id=summary.run_id)
    assert "external id belongs to a record of another region/organisation" in record.reason
    assert record.field == "external_id"
    unchanged = Clarification.objects.get()
    assert (unchanged.headline, unchanged.province_id) == (original.headline, "32")
    assert unchanged.updated_at == original.updated_at


def test_a_published_national_record_is_not_overwritten_by_a_province(tmp_path):
    import_clarifications(_file(tmp_path, "ri.json"), "claimreview", publish=True)  # the system
    national = Clarification.objects.get()
    assert (national.status, national.province_id) == ("published", None)
    summary = import_clarifications(
        _file(tmp_path, "jabar.json", headline="[HOAKS] diganti"),
        "claimreview",
        scope=_kpu("admin", "32"),
        publish=True,
    )
    assert summary.rejected == 1
    assert Clarification.objects.get().headline == national.headline


def test_the_importers_own_draft_is_updated_by_its_external_id(tmp_path):
    jabar = _kpu("analyst", "32")
    import_clarifications(_file(tmp_path, "a.json"), "claimreview", scope=jabar)
    again = import_clarifications(
        _file(tmp_path, "b.json", headline="[SALAH] Judul baru"), "claimreview", scope=jabar
    )
    assert (again.updated, again.rejected) == (1, 0)
    assert Clarification.objects.get().headline == "[SALAH] Judul baru"


def test_a_foreign_items_retry_is_refused_too(tmp_path):
    import_clarifications(_file(tmp_path, "jabar.json"), "claimreview", scope=_kpu("analyst", "32"))
    jateng = member("analyst", province="33")
    summary = import_clarifications(
        _file(tmp_path, "jateng.json"), "claimreview", scope=scope_for(jateng), user=jateng
    )
    record = QuarantinedRecord.objects.get(run_id=summary.run_id)
    result = quarantine.retry([record], scope=scope_for(jateng))
    record.refresh_from_db()
    assert (result.quarantined, record.status, record.attempts) == (1, "open", 2)
    assert Clarification.objects.get().province_id == "32"


def test_urls_that_are_not_http_are_dropped_and_the_clarification_kept(tmp_path):
    path = _file(
        tmp_path,
        "xss.json",
        url="javascript:alert(document.cookie)",
        **{"@id": "https://kpu.example/klarifikasi/xss"},
        author={"name": "KPU", "url": "data:text/html,<script>alert(1)</script>"},
    )
    summary = import_clarifications(path, "claimreview")
    clarification = Clarification.objects.get()
    assert (clarification.url, clarification.publisher_url) == ("", "")
    assert clarification.external_id == "https://kpu.example/klarifikasi/xss"
    assert any("not an http(s) address" in warning for warning in summary.warnings)


def test_a_csv_import_reads_cp1252_and_a_10_mb_cell_through_the_shared_reader(tmp_path):
    path = tmp_path / "kpu.csv"
    long = "p" * 10_000_000
    path.write_bytes(
        b"id,judul,narasi,label,penjelasan\n"
        + "a,Caf\u00e9 \u201cditunda\u201d,Pemilu ditunda,Hoaks,ok\n".encode("cp1252")
        + f"b,Judul,Narasi panjang,Salah,{long}\n".encode()
    )
    summary = import_clarifications(path, "csv")
    assert (summary.created, summary.rejected) == (2, 0)
    assert Clarification.objects.get(external_id="a").headline == "Caf\u00e9 \u201cditunda\u201d"
    assert len(Clarification.objects.get(external_id="b").explanation) == 10_000_000


def test_a_clarification_import_is_one_audit_event_with_its_counts(tmp_path):
    from saring.audit.models import AuditEvent

    path = tmp_path / "mixed.json"
    broken = {**REVIEW, "url": "https://x.example/2", "reviewRating": {}}
    path.write_text(json.dumps([REVIEW, broken]), encoding="utf-8")
    summary = import_clarifications(path, "claimreview")
    [event] = AuditEvent.objects.filter(action="import.finished")
    assert event.subject_id == str(summary.run_id) and event.actor == "system"
    assert (event.details["created"], event.details["quarantined"]) == (1, 1)
