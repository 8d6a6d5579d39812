"""/api/v1/known-accounts: the registry of official and registered campaign accounts (thin: the
filter is `saring.registry.querysets.accounts`).

Both kinds are public information (the bodies' own accounts; the accounts participants
registered with the KPU), so every caller reads every active entry; internal notes are never
part of the answer."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from saring.api.auth import caller_scope
from saring.api.pagination import page_of
from saring.api.schemas import READ_ERRORS, PageQuery, Region, region_of
from saring.registry.models import KnownAccount
from saring.registry.querysets import AccountFilter, accounts

router = Router(tags=["known accounts"])


class KnownAccountFilters(PageQuery):
    kind: Literal["official", "campaign"] | None = Field(
        None,
        description="official (KPU, Bawaslu, Komdigi…) or campaign (registered by a participant).",
    )
    platform: str | None = Field(
        None, description="tiktok, instagram, x, facebook, youtube, threads."
    )
    q: str | None = Field(None, description="Part of the handle, display name or participant.")


class KnownAccountOut(Schema):
    id: int
    platform: str
    handle: str = Field(description="Lower case, without @.")
    display_name: str
    kind: str
    body: str = Field(description="Official accounts: kpu, bawaslu, komdigi, dkpp or other.")
    participant: str = Field(description="Campaign accounts: who registered it.")
    election: str | None = Field(description="Campaign accounts: the election id.")
    registered_on: date | None
    closed_on: date | None
    url: str
    region: Region | None = Field(description="None: national.")


class KnownAccountPage(Schema):
    count: int
    results: list[KnownAccountOut]


def _out(a: KnownAccount) -> dict:
    return {
        "id": a.id,
        "platform": a.platform,
        "handle": a.handle,
        "display_name": a.display_name,
        "kind": a.kind,
        "body": a.body,
        "participant": a.participant,
        "election": a.election_id,
        "registered_on": a.registered_on,
        "closed_on": a.closed_on,
        "url": a.url,
        "region": region_of(a),
    }


@router.get(
    "/known-accounts",
    response={200: KnownAccountPage, **READ_ERRORS},
    summary="List known accounts",
)
def list_known_accounts(request: HttpRequest, filters: Query[KnownAccountFilters]):
    """Active official accounts of election bodies and registered campaign accounts, by
    platform and handle."""
    caller_scope(request)
    items = accounts(
        AccountFilter(q=filters.q or "", kind=filters.kind or "", platform=filters.platform or "")
    )
    return page_of(items, filters, lambda rows: [_out(a) for a in rows])
