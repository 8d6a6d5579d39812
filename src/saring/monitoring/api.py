"""/api/v1/posts: the search page's selection as JSON (thin: the reads are in querysets).

The filters are the search page's (`PostSelection`, the same queryset method), with the same
defaults: without `province` a caller of a province or regency gets their own region, as the
page opens on it; `province=all` widens to national. Posts are public; the flags listed on each
are only those of watchlists the caller's scope may see.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from saring.accounts.scope import Scope
from saring.api.auth import caller_scope
from saring.api.pagination import page_of
from saring.api.schemas import ONE_ERRORS, READ_ERRORS, PageQuery, Region, region_of
from saring.elections.querysets import stage_filter_q
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.querysets import PostSelection
from saring.regions.models import Province, Regency

router = Router(tags=["posts"])
NATIONAL = "all"
Sort = Literal["newest", "oldest", "viral", "engagement"]


class PostFilters(PageQuery):
    q: str = Field("", max_length=500, description="Words, as on the search page.")
    province: str | None = Field(
        None,
        pattern=r"^(all|\d{2})$",
        description='Province code, or "all" for national. Omitted: your own region.',
    )
    regency: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}$", description="Regency/city code (its province is implied)."
    )
    platform: str | None = Field(None, pattern=r"^[a-z0-9][a-z0-9_.-]{0,29}$")
    language: Literal["id", "en", "ms", "jv", "und"] | None = None
    category: str | None = Field(
        None,
        max_length=40,
        description='Flagged by this harm category (a code), or "any" flag you may see.',
    )
    election: bool = Field(False, description="Election-related posts only.")
    stage: str | None = Field(
        None,
        max_length=80,
        description='Written in this stage of an election round, e.g. "pemilu.2024-02-14:quiet" '
        "(GET /api/v1/elections lists the rounds; stages: campaign, quiet, voting, counting, "
        "recapitulation).",
    )
    speaker: Literal["official", "campaign", "flagged", "quiet_period", "impostor"] | None = Field(
        None,
        description="Who speaks: registered official or campaign accounts, or the posts the "
        "registry flags (flagged = quiet_period or impostor).",
    )
    start: date | None = Field(None, description="Posted on or after this day.")
    end: date | None = Field(None, description="Posted on or before this day.")
    sort: Sort = "newest"


class PostStage(Schema):
    election: str = Field(description="The election's id, e.g. pilkada.1871.2024-11-27.")
    kind: Literal["campaign", "quiet", "voting", "counting", "recapitulation"]


class PostOut(Schema):
    id: int
    url: str
    platform: str
    author: str
    text: str
    created_at: datetime
    region: Region | None
    stage: PostStage | None = Field(description="The elections calendar's stage it was written in.")
    speaker: Literal["", "official", "campaign"] = Field(
        description="A registered official or campaign account; empty: anyone else."
    )
    account_flag: Literal["", "quiet_period", "impostor"] = Field(
        description="A campaign account posting in the quiet period, or an unregistered account "
        "imitating an official one."
    )
    flags: list[str] = Field(
        description="Codes of the harm categories flagged, as you see them (an official "
        "account's hits are counter-messages, not listed)."
    )


class PostPage(Schema):
    count: int
    results: list[PostOut]


class Engagement(Schema):
    views: int | None
    likes: int | None
    shares: int | None
    comments: int | None
    observed_at: datetime


class PostDetail(PostOut):
    author_name: str
    language: str
    election_relevance: float
    hashtags: list[str]
    engagement: Engagement


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError([{"type": "value_error", "loc": ["query", field], "msg": message}])


def _selection(filters: PostFilters, scope: Scope) -> PostSelection:
    """The search page's selection for these filters; unknown codes are a 422 naming the field
    (where the page would silently show nothing)."""
    province, regency = filters.province, filters.regency
    if province is None and regency is None:
        province, regency = scope.province_code, scope.regency_code  # as the page opens
    if province == NATIONAL:
        if regency is not None:
            raise _invalid("regency", _('A regency cannot go with province "all".'))
        province = None
    if regency is not None:
        owner = Regency.objects.filter(code=regency).values_list("province_id", flat=True).first()
        if owner is None:
            raise _invalid("regency", _("Unknown regency/city code."))
        if province is not None and province != owner:
            raise _invalid("regency", _("This regency/city is not in that province."))
        province = owner
    elif province is not None and not Province.objects.filter(code=province).exists():
        raise _invalid("province", _("Unknown province code."))
    if filters.stage:
        try:
            stage_filter_q(filters.stage)
        except ValueError:
            raise _invalid("stage", _("Unknown election stage.")) from None
    category = filters.category or ""
    if category and category != "any":
        visible = Watchlist.objects.visible_to(scope).filter(category__code=category)
        if not visible.exists():
            raise _invalid("category", _("No watchlist you may see has this category."))
    return PostSelection(
        q=filters.q,
        province=province,
        regency=regency,
        platform=filters.platform or "",
        language=filters.language or "",
        election=filters.election,
        stage=filters.stage or "",
        speaker=filters.speaker or "",
        category=category,
        start=filters.start,
        end=filters.end,
        sort=filters.sort,
    )


def _flags(scope: Scope, post_ids: list[int]) -> dict[int, list[str]]:
    flags: dict[int, set[str]] = {}
    rows = (
        PostFlag.objects.visible_to(scope)
        .harms()
        .filter(post_id__in=post_ids)
        .values_list("post_id", "category__code")
    )
    for post_id, code in rows:
        flags.setdefault(post_id, set()).add(code)
    return {post_id: sorted(codes) for post_id, codes in flags.items()}


def _item(post: Post, flags: dict[int, list[str]]) -> dict:
    return {
        "id": post.id,
        "url": post.url,
        "platform": post.platform,
        "author": post.author_handle,
        "text": post.text,
        "created_at": post.created_at,
        "region": region_of(post),
        "stage": {"election": post.stage.election_id, "kind": post.stage.kind}
        if post.stage_id
        else None,
        "speaker": post.speaker,
        "account_flag": post.account_flag,
        "flags": flags.get(post.id, []),
    }


@router.get("/posts", response={200: PostPage, **READ_ERRORS}, summary="Search posts")
def list_posts(request: HttpRequest, filters: Query[PostFilters]):
    """The posts the search page shows for the same filters, newest first by default."""
    scope = caller_scope(request)
    selection = _selection(filters, scope)
    posts = Post.objects.selected(selection, scope).select_related("province", "regency", "stage")

    def render(rows: list[Post]) -> list[dict]:
        flags = _flags(scope, [p.id for p in rows])
        return [_item(p, flags) for p in rows]

    return page_of(posts, filters, render)


@router.get("/posts/{id}", response={200: PostDetail, **ONE_ERRORS}, summary="One post")
def get_post(request: HttpRequest, id: int):
    """Any post (posts are public), with the flags your scope may see."""
    scope = caller_scope(request)
    post = get_object_or_404(Post.objects.select_related("province", "regency", "stage"), pk=id)
    return {
        **_item(post, _flags(scope, [post.id])),
        "author_name": post.author_name,
        "language": post.language,
        "election_relevance": post.election_relevance,
        "hashtags": [str(tag) for tag in post.hashtags or []],
        "engagement": {
            "views": post.views,
            "likes": post.likes,
            "shares": post.shares,
            "comments": post.comments,
            "observed_at": post.observed_at,
        },
    }
