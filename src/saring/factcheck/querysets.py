"""Reads for clarifications and matches: what a scope may see, and the reach of each answer.

Published clarifications are public; drafts are internal records (accounts.scope): a scope sees
the drafts of its own branch of regions and its own kind of organisation (a national KPU admin
sees KPU RI's drafts; nobody sees a sibling region's or another kind's). The review queue is
internal work of the clarification's organisation in the same way.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from saring.accounts.scope import Scope
from saring.factcheck.models import Clarification, PostMatch


def visible_clarifications(scope: Scope) -> QuerySet[Clarification]:
    """Published clarifications are public; drafts follow the region rules of internal records."""
    return Clarification.objects.filter(Q(status="published") | scope.visible_q())


def review_queue(scope: Scope) -> QuerySet[PostMatch]:
    """Suggestions on published clarifications of the scope's branch and organisation kind,
    most confident first (factcheck.review says who may decide them)."""
    return (
        PostMatch.objects.filter(
            scope.visible_q("clarification__"),
            decision=PostMatch.Decision.SUGGESTED,
            clarification__status="published",
        )
        .select_related("post", "clarification", "clarification__claim")
        .order_by("-score", "id")
    )


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
