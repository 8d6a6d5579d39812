"""Reads for clarifications and matches: what a scope may see, and the reach of each answer.

Published clarifications are public; drafts are internal records (accounts.scope): a scope sees
the drafts of its own branch of regions and its own kind of organisation (a national KPU admin
sees KPU RI's drafts; nobody sees a sibling region's or another kind's). The review queue is
internal work of the clarification's organisation in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from saring.accounts.scope import Scope
from saring.factcheck.models import Clarification, Narrative, PostMatch, PostNarrative
from saring.sources.claimreview import FALSE_VERDICTS


def visible_clarifications(scope: Scope) -> QuerySet[Clarification]:
    """Published clarifications are public; drafts follow the region rules of internal records."""
    return Clarification.objects.filter(Q(status="published") | scope.visible_q())


def review_queue(
    scope: Scope, province: str | None = None, regency: str | None = None
) -> QuerySet[PostMatch]:
    """Suggestions on published clarifications of the scope's branch and organisation kind
    whose post is in the scope's region (a national scope: every post, or the `province` /
    `regency` it picks), widest reach first: the posts most seen, then the fastest growing,
    then the most confident (factcheck.review says who may decide them)."""
    province = scope.province_code or province
    regency = scope.regency_code or (regency if province else None)
    queue = PostMatch.objects.filter(
        scope.visible_q("clarification__"),
        decision=PostMatch.Decision.SUGGESTED,
        clarification__status="published",
    )
    if regency:
        queue = queue.filter(post__regency_id=regency)
    elif province:
        queue = queue.filter(post__province_id=province)
    related = ("post", "post__province", "clarification", "clarification__claim")
    return queue.select_related(*related).order_by(
        F("post__views").desc(nulls_last=True),
        F("post__virality").desc(nulls_last=True),
        "-score",
        "id",
    )


def review_queue_by_province(scope: Scope) -> list[dict]:
    """How many suggestions wait per province of the post (national scopes split the queue)."""
    rows = (
        review_queue(scope)
        .order_by()
        .values("post__province_id", "post__province__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return [
        {"code": r["post__province_id"] or "", "name": r["post__province__name"] or "", "n": r["n"]}
        for r in rows
    ]


def reach(clarification: Clarification) -> dict[str, int]:
    """How many linked posts, distinct accounts and views the clarification answers."""
    linked = PostMatch.objects.filter(clarification=clarification, decision__in=PostMatch.LINKED)
    totals = linked.aggregate(
        posts=Count("post_id", distinct=True),
        accounts=Count("post__author_handle", distinct=True),
        views=Sum("post__views"),
    )
    totals["suggested"] = PostMatch.objects.filter(
        clarification=clarification, decision="suggested"
    ).count()
    return {k: v or 0 for k, v in totals.items()}


def narrative_overview(narrative) -> dict:
    """Everything the narrative page shows, read in a handful of grouped queries."""
    from saring.monitoring.models import Post

    members = Post.objects.filter(narrative_link__narrative=narrative)
    curve = members.volume_by_day()
    provinces = (
        members.order_by().values("province__name").annotate(n=Count("id")).order_by("-n")[:15]
    )
    accounts = (
        members.order_by()
        .values("platform", "author_handle")
        .annotate(n=Count("id"), views=Sum("views"))
        .order_by("-n", "-views")[:10]
    )
    clarifications = (
        Clarification.objects.filter(
            matches__post__narrative_link__narrative=narrative,
            matches__decision__in=PostMatch.LINKED,
        )
        .annotate(posts=Count("matches", distinct=True))
        .order_by("-posts")
    )
    return {
        "curve": curve,
        "provinces": provinces,
        "accounts": accounts,
        "clarifications": clarifications,
        "members": members.order_by("-created_at"),
    }


NARRATIVE_ORDERS = {"size": "-size", "recent": "-last_seen", "views": "-views"}


@dataclass(frozen=True, slots=True)
class NarrativeSelection:
    """The narratives list's filters. `election`: narratives whose representative post is about
    the election (at `election_relevance`); `false_verdict`: a post linked to a published
    clarification whose verdict says false (SALAH, HOAKS, MENYESATKAN, PENIPUAN); `growing`:
    the growth alert fired (factcheck.narratives: the last 6 hours hold 3x the 6 before and at
    least 20 posts); `platform`/`province`/`regency`: at least one post there."""

    election: bool = True
    election_relevance: float = 0.5
    false_verdict: bool = False
    growing: bool = False
    platform: str = ""
    province: str | None = None
    regency: str | None = None
    sort: str = "size"


def listed_narratives(selection: NarrativeSelection) -> QuerySet[Narrative]:
    """Live narratives (not merged away, more than one post) of the selection, ordered.

    Each post condition is one EXISTS over the narrative's posts (PostNarrative is indexed by
    narrative), so a page costs the same whether the narrative has 2 posts or 20,000."""
    items = Narrative.objects.filter(merged_into=None, size__gt=1)
    if selection.election:
        items = items.filter(representative__election_relevance__gte=selection.election_relevance)
    if selection.growing:
        items = items.filter(alerted_at__isnull=False)
    members = PostNarrative.objects.filter(narrative=OuterRef("pk"))
    if selection.platform:
        items = items.filter(Exists(members.filter(post__platform=selection.platform)))
    if selection.regency:
        items = items.filter(Exists(members.filter(post__regency_id=selection.regency)))
    elif selection.province:
        items = items.filter(Exists(members.filter(post__province_id=selection.province)))
    if selection.false_verdict:
        # One IN over the few narratives with such a link: the database builds that set once,
        # where an EXISTS per narrative re-read the matches for each of thousands of them.
        answered = PostNarrative.objects.filter(
            post__claim_matches__decision__in=PostMatch.LINKED,
            post__claim_matches__clarification__status="published",
            post__claim_matches__clarification__verdict__in=sorted(FALSE_VERDICTS),
        ).values("narrative_id")
        items = items.filter(pk__in=answered)
    order = NARRATIVE_ORDERS.get(selection.sort, NARRATIVE_ORDERS["size"])
    return items.select_related("representative").order_by(order, "number")
