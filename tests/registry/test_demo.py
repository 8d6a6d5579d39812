"""The demo's registry: every official author of the demo posts, fictional campaign accounts,
and an example CSV whose import keeps its good rows and quarantines the late one."""

from __future__ import annotations

import pytest

from saring.accounts.scope import SYSTEM
from saring.audit.models import AuditEvent
from saring.demo import official as off
from saring.demo.registry import demo_csv, fill_demo_registry
from saring.registry.imports import import_file
from saring.registry.models import KnownAccount

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_registry_once(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    first = fill_demo_registry()
    assert first["created"] > 200 and first["updated"] == first["unchanged"] == 0
    official = KnownAccount.objects.filter(kind="official")
    handles = set(official.values_list("handle", flat=True))
    assert {"kpu_ri", "bawaslu_ri", "kpujabar", "kpu_kotabandung", "bawaslujatim"} <= handles
    assert len(handles) == 2 + len(off.PROVINCE_HANDLES) + len(off.REGENCY_HANDLES) + len(
        off.BAWASLU_REGIONAL
    )
    assert official.get(platform="instagram", handle="kpu_kotabandung").regency_id == "32.73"
    assert official.get(platform="x", handle="bawaslu_ri").body == "bawaslu"
    assert (
        KnownAccount.objects.filter(kind="campaign", participant="Paslon 01 (fiktif)").count() == 4
    )
    events = AuditEvent.objects.count()
    again = fill_demo_registry()
    assert again["created"] == again["updated"] == 0
    assert AuditEvent.objects.count() == events  # nothing changed, nothing written


def test_the_demo_csv_imports_with_one_bad_row(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    fill_demo_registry()
    run = import_file(SYSTEM, demo_csv())
    assert (run.created, run.updated, run.unchanged, run.quarantined) == (2, 1, 1, 1)
    row = run.rows.get()
    assert (row.line, row.field, row.reason_code) == (4, "tanggal_daftar", "registered_late")
