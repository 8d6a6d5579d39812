"""A small world for the API tests: posts in three regions, flags of two sibling regencies'
watchlists, clarifications published and drafted by several organisations, one narrative."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM
from saring.api.services import issue_token
from saring.factcheck.models import Claim, Clarification, Narrative, PostMatch, PostNarrative
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.services.ingest import ingest_file
from saring.registry.models import KnownAccount
from saring.taxonomy.models import HarmCategory
from tests.factories import member, post_line, write_jsonl

BANDUNG, BOGOR = "32.73", "32.01"  # two regencies of Jawa Barat (32)


@dataclass
class World:
    bandung: object  # users
    bogor: object
    national: object
    bawaslu_bandung: object
    bandung_watchlist: Watchlist
    bogor_watchlist: Watchlist
    published: Clarification
    bandung_draft: Clarification
    bogor_draft: Clarification
    bawaslu_draft: Clarification
    narrative: Narrative
    case: object  # a case KPU Kota Bandung reported, escalated to a channel addressed to it
    escalation: object
    guide_slugs: dict  # /api/v1/<list> → the slug of a published entry of that kind


def _org(user) -> Organisation:
    return user.membership.organisation


def _clarification(user, headline: str, status: str, verdict: str = "HOAKS") -> Clarification:
    org = _org(user) if user is not None else None
    return Clarification.objects.create(
        claim=Claim.objects.create(text=f"klaim: {headline}"),
        headline=headline,
        verdict=verdict,
        status=status,
        organisation=org,
        province_id=org.province_id if org else None,
        regency_id=org.regency_id if org else None,
        url="https://kpu.go.id/klarifikasi",
        sources=["https://kpu.go.id/sumber"],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """Built once per module inside a transaction rolled back at its end (each test's own
    changes roll back to a savepoint, as usual): importing posts costs a second."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world(tmp_path_factory.mktemp("world"))
        transaction.set_rollback(True)


def _build_world(tmp_path) -> World:
    lines = [
        post_line("1", "Surat suara sudah dicoblos di Kota Bandung, kotak suara dibuka", hours=1),
        post_line("2", "Serangan fajar di Surabaya, amplop dibagi", hours=2),
        post_line("3", "Debat capres malam ini seru, surat suara aman", hours=3, region_code="31"),
        post_line("4", "Kotak suara di Bogor dibawa lari, surat suara hilang", hours=4),
        post_line("5", "Kotak suara di Bogor dibawa lari, surat suara hilang!", hours=5),
        post_line("6", "Antre di TPS Kota Bandung, surat suara cukup", hours=6, platform="tiktok"),
    ]
    ingest_file(write_jsonl(tmp_path / "posts.jsonl", lines), "generic-jsonl")
    bandung = member("analyst", "32", BANDUNG, username="kpu.bandung")
    bogor = member("analyst", "32", BOGOR, username="kpu.bogor")
    national = member("viewer", username="kpu.ri")
    bawaslu = member("analyst", "32", BANDUNG, kind=Organisation.Kind.BAWASLU, username="bw.bdg")
    # Categories no national watchlist uses, so a flag's category says whose watchlist fired.
    bandung_only = HarmCategory.objects.create(code="bandung_only", name_id="B", name_en="B")
    bogor_only = HarmCategory.objects.create(code="bogor_only", name_id="G", name_en="G")
    watchlists = []
    for user, cat in ((bandung, bandung_only), (bogor, bogor_only)):
        org = _org(user)
        watchlists.append(
            Watchlist.objects.create(
                name=f"kotak {org.name}",
                category=cat,
                terms="kotak suara",
                organisation=org,
                province_id=org.province_id,
                regency_id=org.regency_id,
            )
        )
    for post in Post.objects.filter(text__icontains="kotak suara"):
        for watchlist in watchlists:
            PostFlag.objects.create(post=post, watchlist=watchlist, category=watchlist.category)
    published = _clarification(national, "Surat suara tidak dicoblos", "published")
    published.published_at = published.created_at
    published.save()
    narrative = Narrative.objects.create(number=7, size=2, accounts=2, views=200, shares=2)
    copies = list(Post.objects.filter(platform_id__in=["4", "5"]))
    for post in copies:
        PostNarrative.objects.create(post=post, narrative=narrative, how="copy", similarity=1.0)
    narrative.representative = copies[0]
    narrative.save()
    # the registry's list answers something (its own tests are in tests/registry)
    KnownAccount.objects.create(platform="x", handle="kpu_ri", kind="official", body="kpu")
    w = World(
        bandung=bandung,
        bogor=bogor,
        national=national,
        bawaslu_bandung=bawaslu,
        bandung_watchlist=watchlists[0],
        bogor_watchlist=watchlists[1],
        published=published,
        bandung_draft=_clarification(bandung, "Draf Bandung", "draft"),
        bogor_draft=_clarification(bogor, "Draf Bogor", "draft"),
        bawaslu_draft=_clarification(bawaslu, "Draf Bawaslu Bandung", "draft", "SALAH"),
        narrative=narrative,
        **_cases(bandung),
        guide_slugs=_guide_entries(),
    )
    for clarification in (published, w.bogor_draft):
        for post in copies:
            PostMatch.objects.create(
                post=post, clarification=clarification, score=0.9, decision="confirmed"
            )
    return w


def _guide_entries() -> dict[str, str]:
    """One published announcement, page and FAQ (national), as the guide's approval leaves
    them, and one withdrawn announcement."""
    from django.utils import timezone

    from saring.guide.models import Entry, Revision

    slugs = {}
    for list_name, kind, status in (
        ("announcements", "announcement", "published"),
        ("pages", "page", "published"),
        ("faqs", "faq", "published"),
        ("announcements", "announcement", "withdrawn"),
    ):
        entry = Entry.objects.create(
            kind=kind,
            slug=f"{kind}-{status}",
            status=status,
            notice="quiet_period" if kind == "announcement" else "",
            topic="how_to_vote" if kind != "announcement" else "",
            election_id="pilkada.2024-11-27",
            published_at=timezone.now(),
        )
        entry.live = Revision.objects.create(
            entry=entry,
            number=1,
            title_id=f"Judul {kind}",
            title_en=f"Title {kind}",
            body_id="<p>Isi</p>",
            state="approved",
        )
        entry.save()
        if status == "published":
            slugs[list_name] = entry.slug
    return slugs


def _cases(reporter) -> dict:
    """A case in Kota Bandung that KPU Kota Bandung reported and whose escalation is addressed
    to it (what a KPU office sees of RESPOND), with one platform decision."""
    from saring.cases.models import Case, CaseItem, Channel, Escalation, Report

    org = _org(reporter)
    case = Case.objects.create(
        title="Video hoaks TPS", state="escalated", origin="partner", category="hoax",
        province_id="32", regency_id=BANDUNG, is_valid=True,
    )  # fmt: skip
    CaseItem.objects.create(
        case=case, url="https://www.tiktok.com/@a/video/7301", platform="tiktok",
        canonical_url="https://www.tiktok.com/@/video/7301", content_id="7301", key="tiktok:7301",
    )  # fmt: skip
    Report.objects.create(
        case=case, tracking_code="LP-WORLD001", channel="partner", organisation=org,
        urls=["https://www.tiktok.com/@a/video/7301"], category="hoax", good_faith=True,
    )  # fmt: skip
    channel = Channel.objects.create(
        name="KPU Kota Bandung inbox", platform="komdigi", kind="email", organisation=org,
        email_to="inbox@example.org",
    )  # fmt: skip
    escalation = Escalation.objects.create(
        case=case, channel=channel, reference="ESC-2024-000001", state="sent"
    )
    return {"case": case, "escalation": escalation}


@pytest.fixture
def bearer():
    """`bearer(user)`: request headers carrying a fresh API token of `user`."""

    def _bearer(user) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(SYSTEM, user).secret}"}

    return _bearer
