"""/api/v1/narratives and /api/v1/clarifications (thin: what a scope sees is decided by
`saring.factcheck.querysets`).

Narratives are built from public posts and listed as on the narratives page (merged ones left
out, single posts too). Clarifications are public (no token needed): a caller without
credentials reads the published ones; a token or session adds the drafts within the caller's
scope, through `visible_clarifications`. `?since=` is the change feed (saring.api.cursors):
for a public caller, a clarification published once and back to draft is `removed`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.db.models import Count
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from saring.api import cursors
from saring.api.auth import PUBLIC_OPENAPI, PUBLIC_READ, caller_scope, is_public
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, Error, PageQuery, Place, Region, region_of
from saring.factcheck.models import Clarification, Narrative, PostMatch
from saring.factcheck.querysets import reach, visible_clarifications
from saring.monitoring.models import Post

router = Router(tags=["fact-checks"])
NARRATIVE_ORDERS = {"size": "-size", "recent": "-last_seen", "views": "-views"}


# --- narratives -------------------------------------------------------------------------


class NarrativeFilters(PageQuery):
    alerts: bool = Field(False, description="Only narratives that raised a growth alert.")
    sort: Literal["size", "recent", "views"] = "size"


class PostRef(Schema):
    id: int
    text: str


class NarrativeOut(Schema):
    number: int
    size: int
    accounts: int
    views: int
    shares: int
    first_seen: datetime | None
    last_seen: datetime | None
    alerted_at: datetime | None
    representative: PostRef | None


class NarrativePage(Schema):
    count: int
    results: list[NarrativeOut]


class ProvinceCount(Place):
    posts: int


class ClarificationRef(Schema):
    id: int
    headline: str
    verdict: str
    posts: int


class NarrativeDetail(NarrativeOut):
    merged_into: int | None = Field(description="The surviving narrative's number, if merged.")
    provinces: list[ProvinceCount]
    clarifications: list[ClarificationRef]


def _narrative(n: Narrative) -> dict:
    post = n.representative
    return {
        "number": n.number,
        "size": n.size,
        "accounts": n.accounts,
        "views": n.views,
        "shares": n.shares,
        "first_seen": n.first_seen,
        "last_seen": n.last_seen,
        "alerted_at": n.alerted_at,
        "representative": {"id": post.id, "text": post.text} if post else None,
    }


@router.get("/narratives", response={200: NarrativePage, **READ_ERRORS}, summary="List narratives")
def list_narratives(request: HttpRequest, filters: Query[NarrativeFilters]):
    """Families of copies and paraphrases, largest first (as the narratives page lists them)."""
    caller_scope(request)
    items = Narrative.objects.filter(merged_into=None, size__gt=1).select_related("representative")
    if filters.alerts:
        items = items.filter(alerted_at__isnull=False)
    items = items.order_by(NARRATIVE_ORDERS[filters.sort], "number")
    return page_of(items, filters, lambda rows: [_narrative(n) for n in rows])


@router.get(
    "/narratives/{number}",
    response={200: NarrativeDetail, **ONE_ERRORS},
    summary="One narrative",
)
def get_narrative(request: HttpRequest, number: int):
    scope = caller_scope(request)
    narrative = get_object_or_404(
        Narrative.objects.select_related("representative", "merged_into"), number=number
    )
    members = Post.objects.filter(narrative_link__narrative=narrative, province__isnull=False)
    provinces = (
        members.order_by()
        .values("province_id", "province__name")
        .annotate(n=Count("id"))
        .order_by("-n", "province_id")[:15]
    )
    answers = (
        visible_clarifications(scope)
        .filter(
            matches__post__narrative_link__narrative=narrative,
            matches__decision__in=PostMatch.LINKED,
        )
        .annotate(posts=Count("matches", distinct=True))
        .order_by("-posts", "id")
    )
    return {
        **_narrative(narrative),
        "merged_into": narrative.merged_into.number if narrative.merged_into else None,
        "provinces": [
            {"code": p["province_id"], "name": p["province__name"], "posts": p["n"]}
            for p in provinces
        ],
        "clarifications": [
            {"id": c.id, "headline": c.headline, "verdict": c.verdict, "posts": c.posts}
            for c in answers
        ],
    }


# --- clarifications ---------------------------------------------------------------------


class ClarificationFilters(PageQuery):
    status: Literal["draft", "published"] | None = None
    verdict: Literal[tuple(Clarification.Verdict.values)] | None = None  # type: ignore[valid-type]
    since: str | None = Field(
        None, max_length=200, description="A `next` cursor of an earlier answer: only changes."
    )


class ClarificationOut(Schema):
    id: int
    status: Literal["draft", "published"]
    headline: str
    claim: str
    verdict: str
    verdict_label: str
    explanation: str
    url: str
    publisher: str
    publisher_url: str
    sources: list[str]
    language: str
    claimant: str
    claim_date: datetime | None
    published_at: datetime | None
    organisation: str | None
    region: Region | None
    created_at: datetime
    updated_at: datetime


class ClarificationPage(Schema):
    count: int = Field(description="Clarifications in the list; with `since`: changes from it.")
    results: list[ClarificationOut]
    next: str | None = Field(description="The cursor to pass as `since` next time.")
    removed: list[int] = Field(
        description="With `since`: ids changed that you no longer see (unpublished, or out of "
        "your `status` filter)."
    )


class Reach(Schema):
    posts: int = Field(description="Posts linked to it (automatically or by a reviewer).")
    accounts: int
    views: int
    suggested: int = Field(description="Posts suggested, awaiting review.")


class ClarificationDetail(ClarificationOut):
    reach: Reach


def _clarification(c: Clarification) -> dict:
    return {
        "id": c.id,
        "status": c.status,
        "headline": c.headline,
        "claim": c.claim.text,
        "verdict": c.verdict,
        "verdict_label": c.verdict_label,
        "explanation": c.explanation,
        "url": c.url,
        "publisher": c.publisher,
        "publisher_url": c.publisher_url,
        "sources": [str(s) for s in c.sources or []],
        "language": c.language,
        "claimant": c.claimant,
        "claim_date": c.claim_date,
        "published_at": c.published_at,
        "organisation": c.organisation.name if c.organisation_id else None,
        "region": region_of(c),
        "created_at": c.created_at,
        "updated_at": c.updated_at,
    }


_RELATED = ("claim", "organisation", "province", "regency")


def _clarifications(request: HttpRequest):
    """What the caller reads: the published ones for a public caller (no credentials), else
    the published ones and the drafts of the caller's scope."""
    if is_public(request):
        return Clarification.objects.filter(status="published").select_related(*_RELATED)
    return visible_clarifications(caller_scope(request)).select_related(*_RELATED)


def _feed(request: HttpRequest):
    """The rows of the change feed: for a public caller every clarification that was ever
    published (so an unpublished one shows as removed), else what the scope sees."""
    if is_public(request):
        return Clarification.objects.filter(published_at__isnull=False).select_related(*_RELATED)
    return visible_clarifications(caller_scope(request)).select_related(*_RELATED)


@router.get(
    "/clarifications",
    response={200: ClarificationPage, 400: Error, **READ_ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="List clarifications",
)
def list_clarifications(request: HttpRequest, filters: Query[ClarificationFilters]):
    """Published clarifications, and the drafts your scope may see; newest first. With
    `since`: the clarifications changed after that cursor, in the order they changed."""
    feed = _feed(request)
    if filters.verdict:
        feed = feed.filter(verdict=filters.verdict)
    if filters.since:
        try:
            rows, cursor, count = cursors.changes_since(feed, filters.since, filters.page_size)
        except cursors.CursorError as error:
            raise HttpError(400, str(error)) from None
        wanted = {filters.status} if filters.status else {"draft", "published"}
        if is_public(request):
            wanted.discard("draft")
        return {
            "count": count,
            "results": [_clarification(c) for c in rows if c.status in wanted],
            "next": cursor,
            "removed": [c.id for c in rows if c.status not in wanted],
        }
    items = _clarifications(request)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.verdict:
        items = items.filter(verdict=filters.verdict)
    items = items.order_by("-published_at", "-created_at", "-id")
    page = page_of(items, filters, lambda rows: [_clarification(c) for c in rows])
    return {**page, "next": cursors.latest(feed), "removed": []}


@router.get(
    "/clarifications/{id}",
    response={200: ClarificationDetail, **ONE_ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="One clarification",
)
def get_clarification(request: HttpRequest, id: int):
    clarification = get_object_or_404(_clarifications(request), pk=id)
    return {**_clarification(clarification), "reach": reach(clarification)}
