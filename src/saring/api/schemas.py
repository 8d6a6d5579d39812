"""Response shapes every context's API shares: errors, regions, pages."""

from __future__ import annotations

from ninja import Schema
from pydantic import Field


class Error(Schema):
    """Every error but a validation error: `{"detail": "what went wrong"}`."""

    detail: str


class Problem(Schema):
    """One invalid parameter: where (`loc`, e.g. ["query", "page_size"]), why (`msg`)."""

    type: str
    loc: list[str | int]
    msg: str


class ValidationErrors(Schema):
    """422: `{"detail": [{"type", "loc", "msg"}, …]}`, one item per invalid parameter."""

    detail: list[Problem]


class Place(Schema):
    code: str
    name: str


class Region(Schema):
    province: Place
    regency: Place | None = None


def region_of(obj) -> Region | None:
    """The region of a row with `province`/`regency` foreign keys (select_related them)."""
    if not obj.province_id:
        return None
    regency = obj.regency if obj.regency_id else None
    return Region(
        province=Place(code=obj.province.code, name=obj.province.name),
        regency=Place(code=regency.code, name=regency.name) if regency else None,
    )


# The answers every authenticated read may give besides 200.
READ_ERRORS: dict[int, type[Schema]] = {401: Error, 403: Error, 422: ValidationErrors}
ONE_ERRORS: dict[int, type[Schema]] = {**READ_ERRORS, 404: Error}


MAX_PAGE = 1_000_000


class PageQuery(Schema):
    # Bounded so that (page - 1) * page_size stays a 64-bit offset on every database.
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=200, description="Items per page (1–200).")
