"""/api/v1/elections and /api/v1/elections/{id}: the elections calendar (public data: every
caller, with or without a token, reads all of it; `saring.elections.querysets.elections`
filters). `?since=` is the change feed (saring.api.cursors): an edit of a stage saves its
election (saring.elections.services), so a platform polling sees the election again."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from saring.api import cursors
from saring.api.auth import PUBLIC_OPENAPI, PUBLIC_READ
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, Error, PageQuery, Region, region_of
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
    since: str | None = Field(
        None, max_length=200, description="A `next` cursor of an earlier answer: only changes."
    )


class StageOut(Schema):
    kind: Literal["campaign", "quiet", "voting", "counting", "recapitulation"]
    label: str
    starts_on: date
    ends_on: date = Field(description="Inclusive.")


class TimetableStage(StageOut):
    time_zone: Literal["WIB", "WITA", "WIT"] = Field(description="The days are local days here.")


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
    timetable: list[TimetableStage] = Field(description="The stages in calendar order, typed.")
    updated_at: datetime


class ElectionPage(Schema):
    count: int = Field(description="Elections in the list; with `since`: changes from it.")
    results: list[ElectionOut]
    next: str | None = Field(description="The cursor to pass as `since` next time.")
    removed: list[str] = Field(description="Always empty: elections are not withdrawn.")


def _election(e: Election) -> dict:
    zone = zone_label(e.province_id)
    stages = [
        {
            "kind": s.kind,
            "label": s.get_kind_display(),
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
        }
        for s in e.stages.all()
    ]
    return {
        "id": e.pk,
        "kind": e.kind,
        "name": e.name,
        "voting_day": e.voting_day,
        "region": region_of(e),
        "parent": e.parent_id,
        "time_zone": zone,
        "legal_basis": e.legal_basis,
        "stages": stages,
        "timetable": [{**stage, "time_zone": zone} for stage in stages],
        "updated_at": e.updated_at,
    }


@router.get(
    "/elections",
    response={200: ElectionPage, 400: Error, **READ_ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="List elections",
)
def list_elections(request: HttpRequest, filters: Query[ElectionFilters]):
    """Elections with their stages: the round first, then each province's governor race and
    its regencies' races; with `since`, the elections changed after that cursor."""
    region = filters.region or ""
    regency = region if "." in region else ""
    rows = elections(
        kind=filters.kind or "", region="" if regency else region, regency=regency, on=filters.on
    )
    if filters.since:
        try:
            changed, cursor, count = cursors.changes_since(
                rows, filters.since, filters.page_size, integer_keys=False
            )
        except cursors.CursorError as error:
            raise HttpError(400, str(error)) from None
        results = [_election(e) for e in changed]
        return {"count": count, "results": results, "next": cursor, "removed": []}
    page = page_of(rows, filters, lambda page: [_election(e) for e in page])
    return {**page, "next": cursors.latest(rows), "removed": []}


@router.get(
    "/elections/{id}",
    response={200: ElectionOut, **ONE_ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="One election",
)
def get_election(request: HttpRequest, id: str):
    if not ELECTION_ID.fullmatch(id):
        raise Http404  # not an id at all (and never a NUL byte sent to the database)
    election = get_object_or_404(
        Election.objects.select_related("province", "regency").prefetch_related(stages_in_order()),
        pk=id,
    )
    return _election(election)
