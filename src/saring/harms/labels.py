"""Analysts' harm labels on posts: set, clear, in bulk; the majority label for training.

Rules:
- Labelling needs the analyst role (analysts and administrators of any region and organisation:
  posts are public) and a person: a label is someone's judgement, so the system never labels.
  Any other scope gets LabelPermissionError (a ScopeError), whatever the caller.
- Each analyst has one decision per post and label (present or absent); setting it again
  overwrites that analyst's own decision only, with the time.
- Every decision that changes something leaves an audit event on the post: LABEL_SET (a new
  decision), LABEL_CHANGED (present <-> absent) or LABEL_CLEARED, with the from/to values
  ("present", "absent", "" for none) and the label's code.
- A post's training label is the majority of its analysts' decisions. Any split vote is a
  disagreement shown on the post page; a tie counts as "not present" in training and is
  reported in the training's label counts.
- Setting a hate-speech detail (target, scope, strength) as present sets hate speech too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.harms.models import PostLabel
from saring.monitoring.models import Post
from saring.taxonomy.models import HarmCategory

# A label is learnt only with at least this many positive and negative examples; fewer make
# the held-out thresholds noise. Such labels are left out of the version (and listed on it),
# rather than failing a training that the other labels can make.
MIN_EXAMPLES = 5


class LabelPermissionError(ScopeError):
    """The scope does not allow labelling (below analyst, or nobody in person)."""


def _categories() -> dict[str, HarmCategory]:
    return {c.code: c for c in HarmCategory.objects.select_related("parent")}


def _value(present: bool | None) -> str:
    return "" if present is None else ("present" if present else "absent")


def _trace(
    scope: Scope, code: str, post_ids: Iterable[int], old: bool | None, new: bool | None
) -> None:
    """One audit event per post whose decision on `code` went from `old` to `new`."""
    if new is None:
        action = Action.LABEL_CLEARED
    else:
        action = Action.LABEL_SET if old is None else Action.LABEL_CHANGED
    for post_id in post_ids:
        record(
            scope,
            action,
            subject_type="monitoring.post",
            subject_id=str(post_id),
            from_state=_value(old),
            to_state=_value(new),
            details={"label": code},
        )


@transaction.atomic
def set_labels(
    post_ids: Iterable[int], decisions: Mapping[str, bool | None], *, scope: Scope
) -> int:
    """Record the decisions of `scope`'s person (code -> present / absent / None to clear) on
    every post. Returns the number of label rows written or cleared."""
    if not scope.can("analyst") or scope.user_id is None:
        raise LabelPermissionError(_("Labelling needs the analyst role."))
    categories = _categories()
    unknown = set(decisions) - categories.keys()
    if unknown:
        raise ValueError(f"unknown harm categories: {', '.join(sorted(unknown))}")
    wanted = dict(decisions)
    for code, present in decisions.items():  # a detail of hate speech implies hate speech
        parent = categories[code].parent
        if present and parent is not None and wanted.get(parent.code) is None:
            wanted[parent.code] = True
    ids = list(Post.objects.filter(id__in=list(post_ids)).values_list("id", flat=True))
    changed = 0
    for code, present in wanted.items():
        category = categories[code]
        mine = PostLabel.objects.filter(
            post_id__in=ids, category=category, labelled_by_id=scope.user_id
        )
        before = dict(mine.values_list("post_id", "present"))
        if present is None:
            changed += mine.delete()[0]
            for old in (True, False):
                _trace(scope, code, [p for p, v in before.items() if v is old], old, None)
            continue
        # update() skips auto_now: a changed decision must carry its own time.
        mine.exclude(present=present).update(present=present, labelled_at=timezone.now())
        PostLabel.objects.bulk_create(
            [
                PostLabel(
                    post_id=pid, category=category, present=present, labelled_by_id=scope.user_id
                )
                for pid in ids
                if pid not in before
            ]
        )
        _trace(
            scope, code, [p for p, v in before.items() if v is not present], not present, present
        )
        _trace(scope, code, [p for p in ids if p not in before], None, present)
        changed += len(ids)
    return changed


@dataclass(frozen=True)
class LabelSummary:
    """What analysts decided on one label of one post."""

    code: str
    present: int
    absent: int
    mine: bool | None

    @property
    def majority(self) -> bool | None:
        if self.present == self.absent:
            return None
        return self.present > self.absent

    @property
    def disputed(self) -> bool:
        return self.present > 0 and self.absent > 0


def disputed_posts(posts):
    """The posts among `posts` where analysts disagree on at least one label (someone said
    present, someone absent): the ones to settle before they teach a model noise."""
    split = (
        PostLabel.objects.values("post_id", "category_id")
        .annotate(answers=Count("present", distinct=True))
        .filter(answers=2)
        .values("post_id")
    )
    return posts.filter(id__in=split)


def summary(post: Post, user=None) -> dict[str, LabelSummary]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    mine: dict[str, bool] = {}
    for code, present, by in PostLabel.objects.filter(post=post).values_list(
        "category__code", "present", "labelled_by"
    ):
        counts[code][0 if present else 1] += 1
        if user is not None and by == user.pk:
            mine[code] = present
    return {code: LabelSummary(code, yes, no, mine.get(code)) for code, (yes, no) in counts.items()}


def training_labels(codes: list[str]) -> tuple[list[int], list[list[int]], int]:
    """Posts with a majority decision on at least one of `codes`: their ids, a 0/1 row per post
    (a label nobody decided counts as absent) and how many (post, label) ties were left out."""
    votes: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for post_id, code, present in PostLabel.objects.filter(category__code__in=codes).values_list(
        "post_id", "category__code", "present"
    ):
        votes[post_id][code][0 if present else 1] += 1
    ids, rows, ties = [], [], 0
    for post_id in sorted(votes):
        row = []
        decided = False
        for code in codes:
            yes, no = votes[post_id].get(code, (0, 0))
            if yes == no and yes:
                ties += 1
            row.append(int(yes > no))
            decided = decided or yes != no
        if decided:
            ids.append(post_id)
            rows.append(row)
    return ids, rows, ties
