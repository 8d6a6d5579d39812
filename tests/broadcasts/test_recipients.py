"""Recipient lists (saring.broadcasts.services.recipients): who may write, CSV import with
quarantine, re-import without duplicates, retries, opt-outs; addresses never in clear."""

from __future__ import annotations

import io
import json
import logging

import pytest

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.broadcasts import crypto
from saring.broadcasts.models import ImportRow, OptOut, Recipient, RecipientList
from saring.broadcasts.services import recipients as svc
from saring.sources.records import SourceError
from tests.factories import member

pytestmark = pytest.mark.django_db

CSV = (
    "nomor;email;provinsi;kabupaten\n"
    "0812-3456-7890;;32;32.05\n"  # 2 Garut by code
    "6281234567891;;Jawa Barat;garut\n"  # 3 Garut by names
    "+62 812 3456 7890;;;\n"  # 4 the same number as line 2: a duplicate
    "08123;;;\n"  # 5 malformed
    ";ani@contoh.id;;Kota Bandung\n"  # 6 an e-mail in Bandung
    "081234567892;;;Bandung\n"  # 7 ambiguous: Kabupaten or Kota Bandung
    "081234567893;;;Atlantis\n"  # 8 unknown regency
    "081234567894;;33;\n"  # 9 outside a Jawa Barat list
)


def scope(role="analyst", province="32", regency=None, kind=Organisation.Kind.KPU):
    return scope_for(member(role, province, regency, kind))


def upload(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


@pytest.fixture
def jabar_list():
    return svc.create_list(scope(), "Pemilih muda Jabar")


def test_create_list_takes_the_scopes_region_and_checks_it():
    analyst = scope()
    created = svc.create_list(analyst, "  Relawan  ", description="PPK dan PPS")
    assert (created.name, created.province_id, created.regency_id) == ("Relawan", "32", None)
    assert created.organisation_id == analyst.organisation_id
    garut = svc.create_list(analyst, "Garut", regency="32.05")
    assert (garut.province_id, garut.regency_id) == ("32", "32.05")
    with pytest.raises(ScopeError):
        svc.create_list(analyst, "Jateng", province="33")
    with pytest.raises(ScopeError):
        svc.create_list(scope("viewer"), "Viewer")
    with pytest.raises(svc.RecipientError):
        svc.create_list(analyst, "   ")
    assert AuditEvent.objects.filter(action="recipients.list_created").count() == 2


def test_import_keeps_good_rows_and_quarantines_bad_ones(jabar_list, caplog):
    caplog.set_level(logging.DEBUG)
    analyst = scope()
    seen = []
    result = svc.import_csv(analyst, jabar_list, upload(CSV), "pemilih.csv", progress=seen.append)
    assert (result.imported, result.duplicates, result.rejected, result.lines) == (3, 1, 4, 8)
    assert seen and seen[-1] == 9
    assert [(line, svc_reason) for line, _, svc_reason in result.rejected_lines] == [
        (5, svc.REASON_TEXT["phone_invalid"]),
        (7, svc.REASON_TEXT["region_ambiguous"]),
        (8, svc.REASON_TEXT["region_unknown"]),
        (9, svc.REASON_TEXT["region_outside"]),
    ]
    jabar_list.refresh_from_db()
    assert jabar_list.size == 3
    stored = {r.masked: r for r in Recipient.objects.filter(recipient_list=jabar_list)}
    addresses = ("+6281234567890", "+6281234567891", "ani@contoh.id")
    assert set(stored) == {crypto.mask(a) for a in addresses}
    phone = stored[crypto.mask("+6281234567890")]
    assert (phone.channel, phone.province_id, phone.regency_id) == ("sms", "32", "32.05")
    assert crypto.decrypt(phone.address_encrypted) == "+6281234567890"
    assert b"6281234567890" not in bytes(phone.address_encrypted)
    assert phone.address_hash == crypto.fingerprint("sms", "+6281234567890")
    email = stored["a***@contoh.id"]
    assert (email.channel, email.regency_id) == ("email", "32.73")
    # the quarantine keeps the raw row encrypted and shows it masked
    bad = ImportRow.objects.get(recipient_list=jabar_list, line=5)
    assert bad.reason == svc.REASON_TEXT["phone_invalid"]
    assert "08123" not in bad.masked and bad.masked.startswith("nomor=")
    assert json.loads(crypto.decrypt(bad.raw_encrypted))["values"][0] == "08123"
    # no address anywhere in the audit trail or the logs
    event = AuditEvent.objects.filter(action="recipients.imported").latest("id")
    assert event.details["imported"] == 3
    trail = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    for secret in ("81234567890", "81234567891", "ani@contoh", "08123"):
        assert secret not in trail
        assert secret not in caplog.text


def test_reimporting_the_same_file_adds_nothing(jabar_list):
    analyst = scope()
    svc.import_csv(analyst, jabar_list, upload(CSV), "pemilih.csv")
    again = svc.import_csv(analyst, jabar_list, upload(CSV), "pemilih.csv")
    assert (again.imported, again.duplicates, again.rejected) == (0, 4, 4)
    assert Recipient.objects.filter(recipient_list=jabar_list).count() == 3
    assert ImportRow.objects.filter(recipient_list=jabar_list).count() == 4


def test_the_same_address_on_two_lists_is_kept_on_each():
    analyst = scope()
    first, second = svc.create_list(analyst, "A"), svc.create_list(analyst, "B")
    for target in (first, second):
        assert svc.import_csv(analyst, target, upload("hp\n081234567890\n"), "x.csv").imported == 1
    assert (
        Recipient.objects.filter(address_hash=crypto.fingerprint("sms", "+6281234567890")).count()
        == 2
    )


def test_chunks_are_written_as_the_file_is_read(jabar_list, monkeypatch):
    monkeypatch.setattr(svc, "CHUNK", 50)
    lines = ["phone"] + [f"0812{n:08d}" for n in range(230)] + ["bukan"]
    progress = []
    result = svc.import_csv(
        scope(), jabar_list, upload("\n".join(lines) + "\n"), "big.csv", progress=progress.append
    )
    assert (result.imported, result.rejected) == (230, 1)
    assert progress == [51, 101, 151, 201, 232]


def test_who_may_import():
    owner = scope()
    target = svc.create_list(owner, "Jabar")
    for other in (
        scope("viewer"),
        scope(province="33"),  # a sibling province
        scope(province="32", regency="32.73"),  # below: may see the list, not change it
        scope(kind=Organisation.Kind.BAWASLU),  # another kind of organisation
    ):
        with pytest.raises(ScopeError):
            svc.import_csv(other, target, upload("hp\n081234567890\n"), "x.csv")
    assert svc.import_csv(scope(province=None), target, upload("hp\n081234567890\n"), "x.csv")
    assert Recipient.objects.count() == 1


def test_a_file_without_address_column_is_refused(jabar_list):
    with pytest.raises(SourceError):
        svc.import_csv(scope(), jabar_list, upload("nama\nAni\n"), "x.csv")


def test_retry_row_imports_the_fixed_row_or_keeps_it_with_the_new_reason(jabar_list):
    analyst = scope()
    svc.import_csv(analyst, jabar_list, upload(CSV), "pemilih.csv")
    row = ImportRow.objects.get(recipient_list=jabar_list, line=5)
    assert svc.row_header(row) == ["nomor", "email", "provinsi", "kabupaten"]
    with pytest.raises(svc.RecipientError):
        svc.retry_row(analyst, row, "0812;;;")
    row.refresh_from_db()
    assert row.reason == svc.REASON_TEXT["phone_invalid"]
    with pytest.raises(ScopeError):
        svc.retry_row(scope(province="33"), row, "081299998888;;32;")
    result = svc.retry_row(analyst, row, "081299998888;;32;Garut")
    assert result.imported == 1
    assert not ImportRow.objects.filter(pk=row.pk).exists()
    added = Recipient.objects.get(address_hash=crypto.fingerprint("sms", "+6281299998888"))
    assert added.regency_id == "32.05"
    jabar_list.refresh_from_db()
    assert jabar_list.size == 4


def test_opt_out_is_idempotent_counted_at_import_and_honoured_across_lists(jabar_list):
    analyst = scope()
    svc.import_csv(analyst, jabar_list, upload(CSV), "pemilih.csv")
    opted = svc.opt_out(SYSTEM, "sms", "0812 3456 7890", "sms:STOP")
    assert opted.address_hash == svc.opt_out_fingerprint("sms", "+6281234567890")
    assert svc.opt_out(SYSTEM, "sms", "+6281234567890", "sms:STOP").pk == opted.pk
    assert OptOut.objects.count() == 1
    assert AuditEvent.objects.filter(action="recipient.opted_out").count() == 1
    assert svc.opted_out_on_list(jabar_list) == 1
    other = svc.create_list(analyst, "Lain")
    result = svc.import_csv(analyst, other, upload("hp\n081234567890\n081234567899\n"), "b.csv")
    assert (result.imported, result.opted_out_present) == (2, 1)
    assert svc.is_opted_out("sms", opted.address_hash)
    assert not svc.is_opted_out("email", opted.address_hash)
    with pytest.raises(svc.RecipientError):
        svc.opt_out(SYSTEM, "sms", "bukan nomor", "officer")
    with pytest.raises(ScopeError):
        svc.opt_out(scope("viewer"), "sms", "081234567890", "officer")
    assert RecipientList.objects.get(pk=other.pk).size == 2


def test_the_import_command_prints_counts_and_a_bar_but_no_number(jabar_list, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "pemilih.csv"
    path.write_text(CSV, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command("broadcasts", "import", str(jabar_list.pk), str(path), stdout=out, stderr=err)
    text = out.getvalue()
    assert "3 imported" in text and "4 rejected" in text and "line 5 (nomor)" in text
    assert "100.0%" in err.getvalue()
    out = io.StringIO()
    call_command("broadcasts", "import", str(jabar_list.pk), str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["duplicates"] == 4
    for secret in ("81234567890", "08123"):
        assert secret not in text + err.getvalue()
    with pytest.raises(CommandError):
        call_command("broadcasts", "import", "999999", str(path))
