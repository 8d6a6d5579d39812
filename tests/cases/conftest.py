"""Builders for RESPOND's database tests: offices along the Bawaslu hierarchy, a platform
liaison, a channel, and a case made straight through the ORM (no service), for tests of what
comes after intake."""

from __future__ import annotations

from itertools import count

import pytest

from saring.accounts.models import Organisation
from saring.accounts.scope import scope_for
from saring.cases.models import Case, CaseItem, Channel, Report
from tests.factories import member

_n = count(1)

# Jawa Barat (32) with Kota Bandung (32.73) and its sibling Kabupaten Bogor (32.01).
JABAR, BANDUNG, BOGOR = "32", "32.73", "32.01"


@pytest.fixture
def bawaslu_ri():
    return member("analyst", kind=Organisation.Kind.BAWASLU)


@pytest.fixture
def bawaslu_jabar():
    return member("analyst", JABAR, kind=Organisation.Kind.BAWASLU)


@pytest.fixture
def bawaslu_bandung():
    return member("analyst", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU)


@pytest.fixture
def bawaslu_bogor():
    return member("analyst", JABAR, BOGOR, kind=Organisation.Kind.BAWASLU)


@pytest.fixture
def tiktok_liaison():
    return member("analyst", kind=Organisation.Kind.PLATFORM)


@pytest.fixture
def tiktok_channel(tiktok_liaison):
    return Channel.objects.create(
        name="TikTok",
        platform="tiktok",
        kind=Channel.Kind.WEBHOOK,
        organisation=tiktok_liaison.membership.organisation,
        webhook_url="http://127.0.0.1:9/unused",
        secret="tiktok-shared-secret",
        answer_hours=48,
    )


def scope(user):
    return scope_for(user)


def make_case(
    *,
    province: str | None = JABAR,
    regency: str | None = BANDUNG,
    state: str = Case.State.RECEIVED,
    url: str | None = None,
    platform: str = "tiktok",
    reporter_email: str = "pelapor@example.org",
    **fields,
) -> Case:
    """A case with one TikTok item and one public report, in Kota Bandung by default."""
    n = next(_n)
    org = Organisation.objects.filter(
        kind=Organisation.Kind.BAWASLU, province_id=province, regency_id=regency
    ).first()
    case = Case.objects.create(
        title=fields.pop("title", f"Video hoaks {n}"),
        state=state,
        origin=fields.pop("origin", Case.Origin.PUBLIC),
        category=fields.pop("category", "hoax"),
        organisation=org,
        province_id=province,
        regency_id=regency,
        **fields,
    )
    content_id = str(7300000000000000000 + n)
    CaseItem.objects.create(
        case=case,
        url=url or f"https://www.tiktok.com/@akun{n}/video/{content_id}",
        canonical_url=f"https://www.tiktok.com/video/{content_id}",
        platform=platform,
        content_id=content_id,
        key=f"{platform}:{content_id}",
        origin_case=case,
    )
    Report.objects.create(
        case=case,
        tracking_code=f"LPR-T{n:05d}",
        channel=Report.Channel.PUBLIC,
        urls=[url or f"https://www.tiktok.com/@akun{n}/video/{content_id}"],
        category=case.category,
        description="Video ini menyebarkan informasi palsu tentang TPS.",
        reporter_name="Siti Pelapor",
        reporter_email=reporter_email,
        reporter_phone="+6281234567890",
        good_faith=True,
        consent=True,
        province_id=province,
        regency_id=regency,
    )
    return case
