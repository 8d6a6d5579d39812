"""Hoax candidates: posts linked to a published clarification whose verdict says "false".

The evidence is the link itself (which clarification, its verdict, the match score and how the
link was made), so an analyst sees why a post is a candidate, and the link's review history.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from saring.factcheck.models import PostMatch
from saring.sources.claimreview import FALSE_VERDICTS


def evidence_q(prefix: str = "") -> Q:
    """Conditions on PostMatch rows (prefixed from Post: `claim_matches__`)."""
    return Q(
        **{
            f"{prefix}decision__in": PostMatch.LINKED,
            f"{prefix}clarification__status": "published",
            f"{prefix}clarification__verdict__in": sorted(FALSE_VERDICTS),
        }
    )


def candidates(posts: QuerySet) -> QuerySet:
    """The hoax candidates among `posts`. An official account's post that matches a false
    claim is its clarification (a counter-message, decision 0013), not a candidate."""
    return posts.harm_readable().filter(evidence_q("claim_matches__")).distinct()


def evidence(post) -> QuerySet[PostMatch]:
    return (
        PostMatch.objects.filter(evidence_q(), post=post)
        .select_related("clarification")
        .order_by("-score")
    )
