"""A known-accounts import never stays "running": an error mid-file ends it as failed (the rows
committed are kept), and one whose process was killed is closed with the stranded import runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from saring.accounts.scope import SYSTEM
from saring.monitoring.services.runs import close_stranded
from saring.registry import imports
from saring.registry.models import KnownAccount, RegistryImport

pytestmark = pytest.mark.django_db

ROWS = "platform,akun,nama,jenis,lembaga\n" + "".join(
    f"tiktok,kpu_kab{n},KPU Kab {n},resmi,KPU\n" for n in range(1, 8)
)


def test_an_error_mid_file_ends_the_import_as_failed_and_keeps_what_was_committed(
    tmp_path, monkeypatch
):
    path = tmp_path / "akun.csv"
    path.write_text(ROWS, encoding="utf-8")
    monkeypatch.setattr(imports, "CHUNK", 3)
    real = imports._one
    calls = {"n": 0}

    def breaks_on_the_fifth(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_one", breaks_on_the_fifth)
    with pytest.raises(RuntimeError):
        imports.import_file(SYSTEM, path)
    run = RegistryImport.objects.get()
    assert run.status == RegistryImport.Status.FAILED
    assert "disk full" in run.error and run.finished_at is not None
    assert KnownAccount.objects.count() == 3  # the first chunk was committed

    monkeypatch.setattr(imports, "_one", real)
    again = imports.import_file(SYSTEM, path)
    assert (again.created, again.unchanged) == (4, 3)


def test_an_import_left_running_by_a_killed_process_is_closed():
    old = RegistryImport.objects.create(file_name="akun.csv", actor="system")
    fresh = RegistryImport.objects.create(file_name="baru.csv", actor="system")
    RegistryImport.objects.filter(id=old.id).update(
        started_at=timezone.now() - timedelta(minutes=31)
    )
    closed = close_stranded()
    assert closed.registry_imports == [old.id]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == RegistryImport.Status.FAILED and "akun.csv" in old.error
    assert fresh.status == RegistryImport.Status.RUNNING
    assert "known-accounts import" in str(closed)
