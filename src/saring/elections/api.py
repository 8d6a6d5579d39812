"""/api/v1/elections and /api/v1/elections/{id}: the elections calendar (public data: every
authenticated caller reads all of it; `saring.elections.querysets.elections` filters)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from saring.api.auth import caller_scope
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, PageQuery, Region, region_of
from saring.elections.models import Election
from saring.elections.querysets import ELECTION_ID, elections, stages_in_order
from saring.elections.timezones import zone_label

router = Router(tags=["elections"])


class ElectionFilters(PageQuery):
    kind: Literal["pemilu", "pilkada"] | None = None
    region: str | None = Field(
        None,
        pattern=r"^(national|[0-9]{2}(\.[0-9]{2})?)$",
        description=(
            "`national` (elections without a region), a province code (`18`: its governor "
            "race and its regencies' races) or a regency/city code (`18.71`)."
        ),
    )
    on: date | None = Field(None, description="Only elections with a stage on this day.")


class StageOut(Schema):
    kind: Literal["campaign", "quiet", "voting", "counting", "recapitulation"]
    label: str
    starts_on: date
    ends_on: date = Field(description="Inclusive.")


class ElectionOut(Schema):
    id: str
    kind: Literal["pemilu", "pilkada"]
    name: str
    voting_day: date
    region: Region | None
    parent: str | None = Field(description="The round's id, for a regional Pilkada.")
    time_zone: Literal["WIB", "WITA", "WIT"] = Field(description="Stage dates are local days.")
    legal_basis: str
    stages: list[StageOut]


class ElectionPage(Schema):
    count: int
    results: list[ElectionOut]


def _election(e: Election) -> dict:
    return {
        "id": e.pk,
        "kind": e.kind,
        "name": e.name,
        "voting_day": e.voting_day,
        "region": region_of(e),
        "parent": e.parent_id,
        "time_zone": zone_label(e.province_id),
        "legal_basis": e.legal_basis,
        "stages": [
            {
                "kind": s.kind,
                "label": s.get_kind_display(),
                "starts_on": s.starts_on,
                "ends_on": s.ends_on,
            }
            for s in e.stages.all()
        ],
    }


@router.get("/elections", response={200: ElectionPage, **READ_ERRORS}, summary="List elections")
def list_elections(request: HttpRequest, filters: Query[ElectionFilters]):
    """Elections with their stages: the round first, then each province's governor race and
    its regencies' races."""
    caller_scope(request)
    region = filters.region or ""
    regency = region if "." in region else ""
    rows = elections(
        kind=filters.kind or "", region="" if regency else region, regency=regency, on=filters.on
    )
    return page_of(rows, filters, lambda page: [_election(e) for e in page])


@router.get(
    "/elections/{id}",
    response={200: ElectionOut, **ONE_ERRORS},
    summary="One election",
)
def get_election(request: HttpRequest, id: str):
    caller_scope(request)
    if not ELECTION_ID.fullmatch(id):
        raise Http404  # not an id at all (and never a NUL byte sent to the database)
    election = get_object_or_404(
        Election.objects.select_related("province", "regency").prefetch_related(stages_in_order()),
        pk=id,
    )
    return _election(election)
