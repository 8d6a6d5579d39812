"""The known-accounts pages (list, form, import with its quarantine), the admin and the API,
through Django's test client in the Indonesian context."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from saring.accounts.models import Membership
from saring.accounts.scope import SYSTEM
from saring.registry.models import KnownAccount, QuarantinedAccountRow, RegistryImport
from saring.registry.services import save_account
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db
PEMILU = "pemilu.2024-02-14"


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    client.cookies["django_language"] = "id"
    return client


@pytest.fixture
def registry():
    save_account(SYSTEM, platform="x", handle="kpu_ri", kind="official", body="kpu",
                 display_name="KPU RI", notes="rahasia internal")  # fmt: skip
    save_account(SYSTEM, platform="instagram", handle="kpu_kotabandung", kind="official",
                 body="kpu", region="32.73")  # fmt: skip
    for i in range(3):
        save_account(SYSTEM, platform="tiktok", handle=f"paslon01_{i}", kind="campaign",
                     participant="Paslon 01 (fiktif)", election=PEMILU,
                     registered_on=date(2023, 11, 20))  # fmt: skip


def test_the_list_filters_and_counts_against_the_limit(client, registry):
    _login(client, member(Membership.Role.VIEWER))
    page = client.get(reverse("web:registry"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="id"' in html
    assert "@kpu_ri" in html and "@paslon01_2" in html
    assert "3 / 20" in html  # Paslon 01 on TikTok
    assert "rahasia internal" not in html
    found = client.get(reverse("web:registry"), {"q": "@KPU_RI"}).context["page"]
    assert [a.handle for a in found] == ["kpu_ri"]
    regional = client.get(reverse("web:registry"), {"region": "32"}).context["page"]
    assert [a.handle for a in regional] == ["kpu_kotabandung"]
    campaign = client.get(reverse("web:registry"), {"kind": "campaign", "platform": "tiktok"})
    assert campaign.context["page"].paginator.count == 3
    assert not campaign.context["can_write"]
    # a viewer reads an entry but cannot save it
    account = KnownAccount.objects.get(handle="kpu_ri")
    detail = client.get(reverse("web:registry_edit", args=[account.pk]))
    assert detail.status_code == 200 and not detail.context["editable"]
    client.post(reverse("web:registry_edit", args=[account.pk]), {"display_name": "diubah"})
    assert KnownAccount.objects.get(pk=account.pk).display_name == "KPU RI"


def test_the_form_saves_and_names_the_field_in_error(client, registry):
    _login(client, member(Membership.Role.ANALYST))
    assert client.get(reverse("web:registry_new")).status_code == 200
    data = {"kind": "campaign", "platform": "tiktok", "handle": "https://www.tiktok.com/@Paslon01_X",
            "participant": "Paslon 01 (fiktif)", "election": PEMILU, "region": "",
            "registered_on": "2023-11-27"}  # fmt: skip
    refused = client.post(reverse("web:registry_new"), data)
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["registered_on"]
    assert not KnownAccount.objects.filter(handle="paslon01_x").exists()
    saved = client.post(reverse("web:registry_new"), {**data, "registered_on": "2023-11-25"})
    account = KnownAccount.objects.get(handle="paslon01_x")
    assert saved.status_code == 302 and saved["Location"].endswith(f"/registry/{account.pk}/")
    assert account.closed_on == date(2024, 2, 10)
    assert account.url == "https://www.tiktok.com/@Paslon01_X"
    client.post(reverse("web:registry_deactivate", args=[account.pk]), {"reason": "ditutup"})
    assert not KnownAccount.objects.get(pk=account.pk).is_active


def test_a_regency_analyst_cannot_edit_a_national_account(client, registry):
    _login(client, member(Membership.Role.ANALYST, "32", "32.73"))
    national = KnownAccount.objects.get(handle="kpu_ri")
    own = KnownAccount.objects.get(handle="kpu_kotabandung")
    assert not client.get(reverse("web:registry_edit", args=[national.pk])).context["editable"]
    page = client.get(reverse("web:registry_edit", args=[own.pk]))
    assert page.context["editable"]
    assert [c for c, _l in page.context["form"].fields["region"].choices[0][1]] == ["32.73"]
    client.post(
        reverse("web:registry_edit", args=[own.pk]),
        {"kind": "official", "platform": "instagram", "handle": "kpu_kotabandung",
         "body": "kpu", "region": "32.73", "display_name": "KPU Kota Bandung"},
    )  # fmt: skip
    assert KnownAccount.objects.get(pk=own.pk).display_name == "KPU Kota Bandung"


def test_the_import_page_shows_the_result_and_fixes_a_row(client):
    _login(client, member(Membership.Role.ANALYST))
    assert client.get(reverse("web:registry_import")).status_code == 200
    csv = (
        b"platform,akun,jenis,lembaga\n"
        b"tiktok,kpu_ri,resmi,KPU\n"
        b"friendster,kpu_lama,resmi,KPU\n"
        b"youtube,,resmi,KPU\n"
    )
    upload = SimpleUploadedFile("akun-resmi.csv", csv, content_type="text/csv")
    done = client.post(reverse("web:registry_import"), {"file": upload})
    run = RegistryImport.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/registry/import/{run.pk}/")
    page = client.get(done["Location"])
    assert page.status_code == 200
    assert [(r.line, r.field) for r in page.context["rows"]] == [(3, "platform"), (4, "akun")]
    assert (run.created, run.quarantined) == (1, 2)
    row = run.rows.get(line=3)
    with translation.override("en"):
        assert "friendster" in page.context["rows"][0].reason_text
    fixed = {**row.raw, "platform": "facebook"}
    client.post(reverse("web:registry_row_retry", args=[row.pk]),
                {"raw": json.dumps(fixed), "next": done["Location"]})  # fmt: skip
    assert QuarantinedAccountRow.objects.get(pk=row.pk).status == "resolved"
    assert KnownAccount.objects.filter(platform="facebook", handle="kpu_lama").exists()
    other = run.rows.get(line=4)
    client.post(reverse("web:registry_row_discard", args=[other.pk]))
    assert QuarantinedAccountRow.objects.get(pk=other.pk).status == "discarded"
    # a file that is not CSV/XLSX is refused on the form, naming the file
    bad = SimpleUploadedFile("foto.png", b"\x89PNG\r\n", content_type="image/png")
    refused = client.post(reverse("web:registry_import"), {"file": bad})
    assert refused.status_code == 200 and "foto.png" in str(refused.context["form"].errors)


def test_a_viewer_cannot_import_or_retry(client):
    _login(client, member(Membership.Role.VIEWER))
    upload = SimpleUploadedFile("a.csv", b"platform,akun\nx,kpu_ri\n", content_type="text/csv")
    client.post(reverse("web:registry_import"), {"file": upload})
    assert not RegistryImport.objects.exists()


def test_the_admin_saves_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:registry_knownaccount_add"),
        {"platform": "x", "handle": "@Bawaslu_RI", "kind": "official", "body": "", "url": "",
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 200  # no body: refused, the field named
    assert "body" in response.context["adminform"].form.errors
    admin_client.post(
        reverse("admin:registry_knownaccount_add"),
        {"platform": "x", "handle": "@Bawaslu_RI", "kind": "official", "body": "bawaslu",
         "url": "", "is_active": "on"},
    )  # fmt: skip
    assert KnownAccount.objects.get().handle == "bawaslu_ri"
    assert admin_client.get(reverse("admin:registry_registryimport_changelist")).status_code == 200
    assert (
        admin_client.get(reverse("admin:registry_quarantinedaccountrow_changelist")).status_code
        == 200
    )


def test_the_api_lists_public_fields_only(client, registry):
    client.force_login(member(Membership.Role.VIEWER, "35"))
    answer = client.get("/api/v1/known-accounts", {"kind": "campaign", "platform": "tiktok"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 3
    item = body["results"][0]
    assert item["participant"] == "Paslon 01 (fiktif)" and item["election"] == PEMILU
    assert item["closed_on"] == "2024-02-10" and "notes" not in item
    found = client.get("/api/v1/known-accounts", {"q": "https://x.com/KPU_RI"}).json()
    assert [a["handle"] for a in found["results"]] == ["kpu_ri"]
    regional = client.get("/api/v1/known-accounts", {"q": "kotabandung"}).json()["results"][0]
    assert regional["region"]["regency"]["code"] == "32.73"
    assert client.get("/api/v1/known-accounts", {"kind": "other"}).status_code == 422
    client.logout()
    assert client.get("/api/v1/known-accounts").status_code == 401


def test_the_admin_changes_through_the_service(admin_client, registry):
    account = KnownAccount.objects.get(handle="paslon01_0")
    url = reverse("admin:registry_knownaccount_change", args=[account.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "platform": "tiktok",
        "handle": "paslon01_0",
        "kind": "campaign",
        "participant": "Paslon 01 (fiktif)",
        "election": PEMILU,
        "url": "",
        "registered_on": "2023-11-20",
        "closed_on": "2024-02-11",
        "is_active": "on",
    }
    refused = admin_client.post(url, data)
    assert "closed_on" in refused.context["adminform"].form.errors
    admin_client.post(url, {**data, "closed_on": "2024-02-01", "display_name": "Paslon 01"})
    account.refresh_from_db()
    assert (account.closed_on, account.display_name) == (date(2024, 2, 1), "Paslon 01")


def test_the_pages_need_a_login(client):
    for name in ("web:registry", "web:registry_new", "web:registry_import"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get("/api/v1/known-accounts").status_code == 401
