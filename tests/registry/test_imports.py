"""Importing known accounts from CSV and XLSX: bad rows quarantined with line and column, good
rows kept, a re-import adds nothing, a fixed row re-runs (service and command)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM, scope_for
from saring.audit.models import AuditEvent
from saring.kernel import hooks
from saring.registry.imports import ImportFailed, import_file, retry_row
from saring.registry.models import KnownAccount, QuarantinedAccountRow, RegistryImport
from tests.factories import member

pytestmark = pytest.mark.django_db

CSV = """\
platform,akun,nama,jenis,lembaga,peserta,pemilu,wilayah,tanggal_daftar,tanggal_tutup,url,catatan
tiktok,@KPU_RI,KPU RI,resmi,KPU,,,,,,,akun utama
instagram,https://www.instagram.com/bawaslu.ri/,Bawaslu RI,resmi,Bawaslu,,,,,,,
x,kpu_jabar,KPU Jawa Barat,resmi,KPU,,,32,,,,
tiktok,paslon01.fiktif,Paslon 01,kampanye,,Paslon 01 (fiktif),pemilu.2024-02-14,,20/11/2023,,,
myspace,akun_aneh,,resmi,KPU,,,,,,,
tiktok,paslon01.telat,Paslon 01,kampanye,,Paslon 01 (fiktif),pemilu.2024-02-14,,2023-11-27,,,
tiktok,,Tanpa akun,resmi,KPU,,,,,,,
x,kpu_antah,KPU Antah,resmi,KPU,,,99.99,,,,
tiktok,paslon01.tanggal,Paslon 01,kampanye,,Paslon 01 (fiktif),pemilu.2024-02-14,,31/02/2023,,,
tiktok,kpu_ri,KPU RI (copy),resmi,KPU,,,,,,,
tiktok,paslon02.fiktif,Paslon 02,kampanye,,Paslon 02 (fiktif),pemilu.2099-01-01,,2023-11-20,,,
"""
# line: what is wrong
BAD = {
    6: ("platform", "unknown_platform"),
    7: ("tanggal_daftar", "registered_late"),
    8: ("akun", "missing_value"),
    9: ("wilayah", "unknown_region"),
    10: ("tanggal_daftar", "unreadable_date"),
    11: ("akun", "duplicate_in_file"),
    12: ("pemilu", "unknown_election"),
}


def quarantine(run: RegistryImport) -> dict[int, tuple[str, str]]:
    return {r.line: (r.field, r.reason_code) for r in run.rows.all()}


def test_a_csv_keeps_its_good_rows_and_quarantines_the_bad_ones(tmp_path):
    path = tmp_path / "akun.csv"
    path.write_text(CSV, encoding="utf-8")
    run = import_file(SYSTEM, path)
    assert (run.status, run.read, run.created, run.quarantined) == ("done", 11, 4, 7)
    assert quarantine(run) == BAD
    kpu = KnownAccount.objects.get(platform="tiktok", handle="kpu_ri")
    assert (kpu.kind, kpu.body, kpu.display_name, kpu.notes) == (
        "official",
        "kpu",
        "KPU RI",
        "akun utama",
    )
    bawaslu = KnownAccount.objects.get(platform="instagram", handle="bawaslu.ri")
    assert bawaslu.url == "https://www.instagram.com/bawaslu.ri/"
    assert KnownAccount.objects.get(handle="kpu_jabar").province_id == "32"
    paslon = KnownAccount.objects.get(handle="paslon01.fiktif")
    assert (paslon.registered_on, paslon.closed_on) == (date(2023, 11, 20), date(2024, 2, 10))
    late = run.rows.get(line=7)
    assert (
        "2023-11-25" in late.message
        and json.loads(json.dumps(late.raw))["akun"] == "paslon01.telat"
    )
    event = AuditEvent.objects.get(action="known_accounts.imported")
    assert event.details["created"] == 4 and event.details["quarantined"] == 7


def test_the_same_file_again_creates_nothing(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "akun.csv"
    path.write_text(CSV, encoding="utf-8")
    import_file(SYSTEM, path)
    heard: list = []
    hooks.REGISTRY_CHANGED.append(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            again = import_file(SYSTEM, path)
    finally:
        hooks.REGISTRY_CHANGED.remove(heard.append)
    assert (again.created, again.updated, again.unchanged, again.quarantined) == (0, 0, 4, 7)
    assert KnownAccount.objects.count() == 4
    assert QuarantinedAccountRow.objects.count() == 7  # the same rows, moved to the new import
    assert again.rows.count() == 7
    assert heard == [None]


def test_an_xlsx_with_real_dates_and_numeric_codes(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Platform", "Handle", "Display name", "Kind", "Participant", "Election",
                  "Region", "Registered on", "Closed on"])  # fmt: skip
    sheet.append(["TikTok", "paslon03.fiktif", "Paslon 03", "campaign", "Paslon 03 (fiktif)",
                  "pemilu.2024-02-14", 32.1, datetime(2023, 11, 24), None])  # fmt: skip
    sheet.append(["Instagram", "kpu_kabmajalengka", "KPU Majalengka", "official", "", "", 32.1,
                  None, None])  # fmt: skip
    sheet.append(["X", "paslon03.tutup", "Paslon 03", "campaign", "Paslon 03 (fiktif)",
                  "pemilu.2024-02-14", None, date(2023, 11, 24), date(2024, 3, 1)])  # fmt: skip
    path = tmp_path / "akun.xlsx"
    book.save(path)
    run = import_file(SYSTEM, path)
    assert (run.read, run.created, run.quarantined) == (3, 1, 2)
    assert quarantine(run) == {
        3: ("body", "body_required"),
        4: ("Closed on", "closed_after_campaign"),
    }
    account = KnownAccount.objects.get(handle="paslon03.fiktif")
    assert (account.regency_id, account.registered_on) == ("32.10", date(2023, 11, 24))


def test_files_that_cannot_be_read_fail_naming_the_file(tmp_path):
    pdf = tmp_path / "daftar.pdf"
    pdf.write_bytes(b"%PDF-1.4 ...")
    with pytest.raises(ImportFailed, match=r"daftar\.pdf"):
        import_file(SYSTEM, pdf)
    no_handle = tmp_path / "tanpa.csv"
    no_handle.write_text("platform,nama\ntiktok,KPU\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"tanpa\.csv.*akun"):
        import_file(SYSTEM, no_handle)
    fake = tmp_path / "palsu.xlsx"
    fake.write_text("platform,akun\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"palsu\.xlsx"):
        import_file(SYSTEM, fake)
    assert list(RegistryImport.objects.values_list("status", flat=True)) == ["failed"] * 3


def test_a_fixed_row_is_re_run(tmp_path):
    path = tmp_path / "akun.csv"
    path.write_text(CSV, encoding="utf-8")
    run = import_file(SYSTEM, path)
    late = run.rows.get(line=7)
    assert retry_row(SYSTEM, late) is False  # as stored: still late
    late.refresh_from_db()
    assert (late.status, late.attempts) == ("open", 2)
    assert retry_row(SYSTEM, late, {**late.raw, "tanggal_daftar": "2023-11-25"}) is True
    late.refresh_from_db()
    assert late.status == "resolved" and late.account.handle == "paslon01.telat"
    # and from the command line
    platform = run.rows.get(line=6)
    call_command("registry", "retry", str(platform.id), "--set", "platform=youtube")
    platform.refresh_from_db()
    assert platform.status == "resolved"
    assert KnownAccount.objects.filter(platform="youtube", handle="akun_aneh").exists()
    region = run.rows.get(line=9)
    with pytest.raises(CommandError, match="still refused"):
        call_command("registry", "retry", str(region.id), "--set", "wilayah=98")


def test_the_importers_scope_applies_to_each_row(tmp_path):
    bandung = member(Membership.Role.ANALYST, "32", "32.73")
    path = tmp_path / "bandung.csv"
    path.write_text(
        "platform;akun;jenis;lembaga;wilayah\n"
        "instagram;kpu_kotabandung;resmi;KPU;32.73\n"
        "instagram;kpu_kotabekasi;resmi;KPU;32.75\n",
        encoding="utf-8",
    )  # a semicolon-separated export, as Indonesian Excel writes it
    run = import_file(scope_for(bandung), path, user=bandung)
    assert (run.created, run.quarantined) == (1, 1)
    assert quarantine(run) == {3: ("wilayah", "out_of_scope")}
    viewer = member(Membership.Role.VIEWER)
    from saring.accounts.scope import ScopeError

    with pytest.raises(ScopeError):
        import_file(scope_for(viewer), path)


def test_the_command_imports_and_lists(tmp_path, capsys):
    path = tmp_path / "akun.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("registry", "import", str(path), "--json")
    out = json.loads(capsys.readouterr().out)
    assert (out["created"], out["quarantined"]) == (4, 7)
    assert {r["line"]: r["field"] for r in out["rows"]}[7] == "tanggal_daftar"
    call_command("registry", "list", "--kind", "official", "--json")
    listed = json.loads(capsys.readouterr().out)
    assert {a["handle"] for a in listed} == {"kpu_ri", "bawaslu.ri", "kpu_jabar"}
    assert "notes" not in listed[0]
    with pytest.raises(CommandError, match=r"daftar\.pdf"):
        pdf = tmp_path / "daftar.pdf"
        pdf.write_bytes(b"%PDF")
        call_command("registry", "import", str(pdf))


def test_the_21st_row_of_a_participant_on_a_platform_is_quarantined(tmp_path):
    header = "platform,akun,peserta,pemilu,tanggal_daftar\n"
    rows = "".join(
        f"tiktok,paslon09_{i},Paslon 09 (fiktif),pemilu.2024-02-14,2023-11-20\n" for i in range(21)
    )
    path = tmp_path / "paslon09.csv"
    path.write_text(header + rows, encoding="utf-8")
    run = import_file(SYSTEM, path)
    assert (run.created, run.quarantined) == (20, 1)
    assert quarantine(run) == {22: ("peserta", "over_limit")}
    assert KnownAccount.objects.filter(kind="campaign").count() == 20
