"""The registry's write rules: PKPU 15/2023 limits, scope, normalising, audit and the hook."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from saring.accounts.models import Membership, Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.kernel import hooks
from saring.registry.models import KnownAccount
from saring.registry.services import deactivate_account, normalise_handle, save_account
from tests.factories import member

pytestmark = pytest.mark.django_db
PEMILU = "pemilu.2024-02-14"
PILKADA_LAMPUNG = "pilkada.1871.2024-11-27"


def campaign(handle: str, participant: str = "Paslon 01 (fiktif)", **extra) -> dict:
    fields = {
        "platform": "tiktok",
        "handle": handle,
        "kind": "campaign",
        "participant": participant,
        "election": PEMILU,
        "registered_on": date(2023, 11, 20),
    }
    return fields | extra


def codes(excinfo) -> dict[str, str]:
    return {field: errors[0].code for field, errors in excinfo.value.error_dict.items()}


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("@KPU_RI", "kpu_ri"),
        ("https://www.tiktok.com/@kpu_ri?lang=id", "kpu_ri"),
        ("https://x.com/KPU_ID/", "kpu_id"),
        ("instagram.com/kpu_ri", "kpu_ri"),
        ("https://www.youtube.com/c/KPURI", "kpuri"),
        ("https://www.youtube.com/@KPURI", "kpuri"),
        ("  bawaslu_ri ", "bawaslu_ri"),
    ],
)
def test_handles_are_normalised(raw, expected):
    assert normalise_handle(raw) == expected


def test_the_21st_campaign_account_on_a_platform_is_refused():
    for i in range(20):
        save_account(SYSTEM, **campaign(f"paslon01_{i}"))
    with pytest.raises(ValidationError) as refused:
        save_account(SYSTEM, **campaign("paslon01_20"))
    assert codes(refused) == {"participant": "over_limit"}
    # another platform, another participant and another election are counted apart
    save_account(SYSTEM, **campaign("paslon01_ig", platform="instagram"))
    save_account(SYSTEM, **campaign("paslon02_0", participant="Paslon 02 (fiktif)"))
    # the same participant written with other spacing and case is the same participant
    with pytest.raises(ValidationError):
        save_account(SYSTEM, **campaign("paslon01_21", participant="paslon  01 (FIKTIF)"))
    # deactivating one frees a place
    deactivate_account(SYSTEM, KnownAccount.objects.get(handle="paslon01_0"), "ditutup")
    save_account(SYSTEM, **campaign("paslon01_20"))
    assert KnownAccount.objects.filter(platform="tiktok", is_active=True).count() == 21


def test_registration_after_the_deadline_is_refused():
    # Pemilu 2024: campaign from 28 Nov 2023, so registered on 25 Nov at the latest
    save_account(SYSTEM, **campaign("tepat", registered_on=date(2023, 11, 25)))
    with pytest.raises(ValidationError) as refused:
        save_account(SYSTEM, **campaign("telat", registered_on=date(2023, 11, 26)))
    assert codes(refused) == {"registered_on": "registered_late"}
    assert "2023-11-25" in refused.value.error_dict["registered_on"][0].messages[0]
    with pytest.raises(ValidationError) as missing:
        save_account(SYSTEM, **campaign("tanpa", registered_on=None))
    assert codes(missing) == {"registered_on": "registered_required"}


def test_closed_on_defaults_to_the_campaigns_last_day_and_may_not_be_later():
    account = save_account(SYSTEM, **campaign("default"))
    assert account.closed_on == date(2024, 2, 10)
    early = save_account(SYSTEM, **campaign("early", closed_on=date(2024, 1, 31)))
    assert early.closed_on == date(2024, 1, 31)
    with pytest.raises(ValidationError) as refused:
        save_account(SYSTEM, **campaign("late", closed_on=date(2024, 2, 11)))
    assert codes(refused) == {"closed_on": "closed_after_campaign"}
    # Pilkada 2024: campaign 25 Sep - 23 Nov, closed before the quiet period (24 Nov)
    pilkada = save_account(
        SYSTEM,
        **campaign("pilkada", election=PILKADA_LAMPUNG, registered_on=date(2024, 9, 20)),
    )
    assert pilkada.closed_on == date(2024, 11, 23)
    assert (pilkada.province_id, pilkada.regency_id) == ("18", "18.71")  # the race's region


def test_campaign_and_official_accounts_need_their_fields():
    with pytest.raises(ValidationError) as refused:
        save_account(SYSTEM, platform="x", handle="a", kind="campaign")
    assert codes(refused) == {
        "participant": "participant_required",
        "election": "election_required",
    }
    with pytest.raises(ValidationError) as no_body:
        save_account(SYSTEM, platform="x", handle="kpu_ri", kind="official")
    assert codes(no_body) == {"body": "body_required"}
    with pytest.raises(ValidationError) as unknown:
        save_account(SYSTEM, **campaign("b", election="pemilu.2099-01-01", platform="myspace"))
    assert codes(unknown) == {"platform": "unknown_platform", "election": "unknown_election"}


def test_a_viewer_cannot_write():
    viewer = member(Membership.Role.VIEWER)
    with pytest.raises(ScopeError):
        save_account(scope_for(viewer), platform="x", handle="kpu_ri", kind="official", body="kpu")
    assert not KnownAccount.objects.exists()


def test_platforms_and_factcheckers_cannot_write():
    analyst = member(Membership.Role.ADMIN, kind=Organisation.Kind.PLATFORM)
    with pytest.raises(ScopeError):
        save_account(scope_for(analyst), platform="x", handle="kpu_ri", kind="official", body="kpu")


def test_a_regency_organisation_writes_only_its_own_regions_accounts():
    bandung = scope_for(member(Membership.Role.ANALYST, "32", "32.73"))
    own = save_account(
        bandung, platform="instagram", handle="kpu_kotabandung", kind="official", body="kpu",
        region="32.73",
    )  # fmt: skip
    other = save_account(
        SYSTEM, platform="instagram", handle="kpu_kotabekasi", kind="official", body="kpu",
        region="32.75",
    )  # fmt: skip
    national = save_account(SYSTEM, platform="x", handle="kpu_ri", kind="official", body="kpu")
    with pytest.raises(ScopeError):
        save_account(bandung, other, display_name="diubah")
    with pytest.raises(ScopeError):
        save_account(bandung, national, display_name="diubah")
    with pytest.raises(ScopeError):  # nor move its own account out of its region
        save_account(bandung, own, region="32.75")
    with pytest.raises(ScopeError):
        deactivate_account(bandung, other, "salah")
    save_account(bandung, own, display_name="KPU Kota Bandung")
    # a Bawaslu analyst of the same city shares the registry: the kind does not matter
    bawaslu = scope_for(member(Membership.Role.ANALYST, "32", "32.73", Organisation.Kind.BAWASLU))
    save_account(bawaslu, own, display_name="KPU Kota Bandung (resmi)")
    # the province writes inside itself, the national organisation anywhere
    jabar = scope_for(member(Membership.Role.ADMIN, "32"))
    save_account(jabar, other, display_name="KPU Kota Bekasi")
    save_account(scope_for(member(Membership.Role.ANALYST)), national, display_name="KPU RI")
    assert KnownAccount.objects.get(pk=other.pk).display_name == "KPU Kota Bekasi"


def test_writes_are_audited_and_announced(django_capture_on_commit_callbacks):
    heard: list = []
    hooks.REGISTRY_CHANGED.append(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            account = save_account(
                SYSTEM, platform="X", handle="@KPU_RI", kind="official", body="kpu"
            )
        with django_capture_on_commit_callbacks(execute=True):
            save_account(SYSTEM, account, handle="kpu_id")
        with django_capture_on_commit_callbacks(execute=True):
            deactivate_account(SYSTEM, account, "akun diganti")
    finally:
        hooks.REGISTRY_CHANGED.remove(heard.append)
    assert heard == [[("x", "kpu_ri")], [("x", "kpu_ri"), ("x", "kpu_id")], [("x", "kpu_id")]]
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["known_account.saved", "known_account.saved", "known_account.deactivated"]
    assert AuditEvent.objects.order_by("seq").last().reason == "akun diganti"


def test_a_handle_is_registered_once_per_platform():
    save_account(SYSTEM, platform="x", handle="kpu_ri", kind="official", body="kpu")
    with pytest.raises(ValidationError) as refused:
        save_account(SYSTEM, platform="twitter", handle="@KPU_RI", kind="official", body="kpu")
    assert codes(refused) == {"handle": "already_registered"}
