"""/api/v1/announcements, /pages, /faqs and one of each by slug: public, read-only (thin: the
items and the change feed are saring.guide.publicdata's, which the static snapshots share).

Every caller, with or without a token, reads the same published content in force; drafts stay
on the officers' pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from saring.api.auth import PUBLIC_OPENAPI, PUBLIC_READ
from saring.api.cursors import CursorError
from saring.api.schemas import Error, PageQuery, Region, ValidationErrors
from saring.guide import publicdata
from saring.guide.models import Entry

router = Router(tags=["guide"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
ERRORS: dict[int, type[Schema]] = {400: Error, 401: Error, 403: Error, 422: ValidationErrors}
ONE_ERRORS: dict[int, type[Schema]] = {**ERRORS, 404: Error}
NoticeKind = Literal[tuple(Entry.Notice.values)]  # type: ignore[valid-type]
TopicKind = Literal[tuple(Entry.Topic.values)]  # type: ignore[valid-type]


class GuideText(Schema):
    id: str = Field(description="Indonesian.")
    en: str | None = Field(description="English, or null when there is none (show `id`).")


class GuideItemBase(Schema):
    id: int = Field(description="Stable; the change feed's `removed` lists these.")
    slug: str
    title: GuideText
    body: GuideText = Field(description="Sanitised HTML (p, h2, h3, lists, links, tables).")
    region: Region | None = Field(description="null: national.")
    election: str | None = Field(description="The election's id, e.g. pilkada.3205.2024-11-27.")
    valid_from: datetime | None
    valid_until: datetime | None
    published_at: datetime | None
    updated_at: datetime
    version: int = Field(description="The approved revision's number.")
    url: str = Field(description="The public page.")


class GuideAnnouncement(GuideItemBase):
    notice: NoticeKind = Field(description="The type of notification.")


class GuideEntryOut(GuideItemBase):
    topic: TopicKind
    position: int = Field(description="Order within its topic on the site.")


COUNT = "Items in the list; with `since`: changes from the cursor."
NEXT = "The cursor to pass as `since` next time."
REMOVED = "With `since`: ids withdrawn or out of force since the cursor."


class AnnouncementPage(Schema):
    count: int = Field(description=COUNT)
    results: list[GuideAnnouncement]
    next: str | None = Field(description=NEXT)
    removed: list[int] = Field(description=REMOVED)


class GuideEntryPage(Schema):
    count: int = Field(description=COUNT)
    results: list[GuideEntryOut]
    next: str | None = Field(description=NEXT)
    removed: list[int] = Field(description=REMOVED)


class GuideFilters(PageQuery):
    since: str | None = Field(
        None, max_length=200, description="A `next` cursor of an earlier answer: only changes."
    )
    region: str | None = Field(
        None,
        pattern=r"^[0-9]{2}(\.[0-9]{2})?$",
        description="A province (`32`) or regency/city (`32.05`): national entries and that "
        "region's (a regency also gets its province's).",
    )


class AnnouncementFilters(GuideFilters):
    notice: NoticeKind | None = None


class EntryFilters(GuideFilters):
    topic: TopicKind | None = None


def _page(kind: str, filters: GuideFilters, **extra):
    try:
        return publicdata.entry_page(
            kind,
            since=filters.since,
            page=filters.page,
            page_size=filters.page_size,
            region=filters.region,
            **extra,
        )
    except CursorError as error:
        raise HttpError(400, str(error)) from None


@router.get(
    "/announcements",
    response={200: AnnouncementPage, **ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="Announcements in force (typed notifications)",
)
def list_announcements(request: HttpRequest, filters: Query[AnnouncementFilters]):
    """Official notices (quiet period, a re-vote at a TPS, a moved polling day, …) in force
    now, newest first; with `since`, what changed after that cursor."""
    return _page(Entry.Kind.ANNOUNCEMENT, filters, notice=filters.notice)


def _details(path: str, kind: str, schema: type[Schema], summary: str):
    @router.get(
        path,
        response={200: schema, **ONE_ERRORS},
        auth=PUBLIC_READ,
        openapi_extra=PUBLIC_OPENAPI,
        summary=summary,
        operation_id=f"get_{publicdata.LIST_NAMES[kind]}_one",
    )
    def one(request: HttpRequest, slug: str):
        if not SLUG.fullmatch(slug):
            raise Http404  # not a slug at all: never looked up
        entry = publicdata.public_entry(kind, slug)
        if entry is None:
            raise Http404
        return publicdata.entry_item(entry)

    return one


@router.get(
    "/pages",
    response={200: GuideEntryPage, **ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="Guide pages",
)
def list_pages(request: HttpRequest, filters: Query[EntryFilters]):
    """How to vote, documents to bring, polling hours, checking the voter list, rights of
    voters with disabilities, …: the pages in force, newest first; with `since`, changes."""
    return _page(Entry.Kind.PAGE, filters, topic=filters.topic)


@router.get(
    "/faqs",
    response={200: GuideEntryPage, **ERRORS},
    auth=PUBLIC_READ,
    openapi_extra=PUBLIC_OPENAPI,
    summary="Frequently asked questions",
)
def list_faqs(request: HttpRequest, filters: Query[EntryFilters]):
    """Questions and answers in force, newest first (`title` is the question, `body` the
    answer); with `since`, changes."""
    return _page(Entry.Kind.FAQ, filters, topic=filters.topic)


get_announcement = _details(
    "/announcements/{slug}", Entry.Kind.ANNOUNCEMENT, GuideAnnouncement, "One announcement"
)
get_page = _details("/pages/{slug}", Entry.Kind.PAGE, GuideEntryOut, "One guide page")
get_faq = _details("/faqs/{slug}", Entry.Kind.FAQ, GuideEntryOut, "One FAQ")
