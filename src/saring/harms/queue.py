"""The labelling queue: the posts whose label would teach the model most, first.

Active learning: with a model, posts whose probability sits closest to a label's threshold
(the model is least sure) come first, weighted by virality (a wrong call on a spreading post
costs more): priority = uncertainty x (1 + log(1 + virality)). Before any model exists, the
fastest-spreading posts that a watchlist flagged come first, then the rest by virality.
A post the analyst has already labelled never comes back to them.
"""

from __future__ import annotations

from saring.harms.models import PostHarmScore, PostLabel
from saring.monitoring.models import Post, PostFlag


def _unlabelled(user):
    return Post.objects.exclude(id__in=PostLabel.objects.filter(labelled_by=user).values("post_id"))


def next_post(user, category: str | None = None) -> tuple[Post | None, str]:
    """The next post for `user` and why it was chosen ("uncertain" or "spreading")."""
    posts = _unlabelled(user).exclude(text="")
    if category:
        # An official account's hits and scores are counter-messages, not harms (decision 0013).
        flagged = PostFlag.objects.harms().filter(category__code=category).values("post_id")
        posts = posts.filter(id__in=flagged) | posts.harm_readable().filter(
            harm_score__predicted__contains=f",{category},"
        )
    scored = (
        posts.filter(harm_score__isnull=False)
        .select_related("harm_score")
        .order_by("-harm_score__priority", "id")
    )
    post = scored.first()
    if post is not None:
        return post, "uncertain"
    flagged_ids = PostFlag.objects.harms().values("post_id")
    post = posts.filter(id__in=flagged_ids).order_by("-virality", "id").first()
    if post is None:
        post = posts.order_by("-virality", "id").first()
    return post, "spreading"


def remaining(user) -> int:
    return PostHarmScore.objects.exclude(
        post_id__in=PostLabel.objects.filter(labelled_by=user).values("post_id")
    ).count()
