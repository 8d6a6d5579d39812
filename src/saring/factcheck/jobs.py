"""Background jobs of the factcheck context: one function each, the body of a `saring …`
command and of a task in `tasks.py`, called by both with the same arguments.

- `embed_clarifications`: `saring embed clarifications [--ids N …]`; `embed_clarifications_task`.
- `match_posts`: `saring match posts [--from-id A] [--to-id B]`; `match_new_posts_task` (an
  import's new posts) and `match_all_posts_task` (every post, after a bulk publication).
- `match_clarification`: `saring match clarification ID`; `match_clarification_task`.
- `cluster_posts`: `saring narratives cluster [--from-id A] [--to-id B]`; `cluster_posts_task`.
- `calibration.retune_thresholds` (no wrapper needed): `saring clarifications retune`;
  `retune_thresholds_task`.

The matcher, the embedder and the clusterer are imported inside the functions, so only the
process that runs a job loads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from saring.accounts.scope import SYSTEM
from saring.factcheck.models import Clarification, PassageVector
from saring.kernel.jobs import JobResult, Progress, for_each_chunk, in_range
from saring.monitoring.models import Post

EMBED_CHUNK = 250  # clarifications per encoding call
MATCH_CHUNK = 2000  # posts per chunk: as many as one background job of an import
CLUSTER_CHUNK = 5000


@dataclass
class EmbedResult(JobResult):
    clarifications: int = 0
    stored: int = 0  # vectors newly stored (a text already encoded keeps its vector)
    dense: bool = False  # False: no embedder (lexical matching only), nothing is stored

    def __str__(self) -> str:
        if not self.dense:
            return (
                f"embed clarifications: no embedder (SARING_EMBEDDER), {self.clarifications:,} "
                "clarifications left to lexical matching"
            )
        return (
            f"embed clarifications: {self.clarifications:,} clarifications, {self.stored:,} "
            f"vectors newly stored in {self.seconds:.1f} s"
        )


@dataclass
class MatchResult(JobResult):
    posts: int = 0  # posts looked at (those without words are skipped inside)
    links: int = 0  # new automatic links and suggestions
    clarifications: int = 0  # published clarifications matched against

    def __str__(self) -> str:
        if not self.clarifications:
            return "match posts: no published clarification, nothing to match"
        return (
            f"match posts: {self.posts:,} posts against {self.clarifications:,} clarifications, "
            f"{self.links:,} new links in {self.seconds:.1f} s"
        )


@dataclass
class BackwardMatchResult(JobResult):
    clarification: int = 0
    published: bool = False
    links: int = 0

    def __str__(self) -> str:
        if not self.published:
            return f"match clarification {self.clarification}: not published, nothing to match"
        return (
            f"match clarification {self.clarification}: {self.links:,} new links "
            f"in {self.seconds:.1f} s"
        )


@dataclass
class ClusterResult(JobResult):
    posts: int = 0  # posts in the range (those already in a narrative are left where they are)
    clustered: int = 0

    def __str__(self) -> str:
        return (
            f"narratives cluster: {self.clustered:,} of {self.posts:,} posts clustered "
            f"in {self.seconds:.1f} s"
        )


def embed_clarifications(
    clarification_ids: list[int] | None = None,
    *,
    chunk: int = EMBED_CHUNK,
    progress: Progress | None = None,
) -> EmbedResult:
    """Store the vectors of these clarifications (default: every published one) that are not
    stored yet, so that every worker's matcher finds them instead of encoding them itself."""
    from saring.factcheck import matching

    result = EmbedResult(dense=bool(matching.embedder().dim))
    wanted = Clarification.objects.all()
    if clarification_ids is None:
        wanted = wanted.filter(status=Clarification.Status.PUBLISHED)
    else:
        wanted = wanted.filter(id__in=clarification_ids)
    before = PassageVector.objects.count()

    def embed(ids: list[int]) -> str:
        result.clarifications += matching.embed_clarifications(ids)
        return f", {result.elapsed():.1f} s"

    for_each_chunk(wanted, chunk, embed, progress, what="clarifications")
    result.stored = PassageVector.objects.count() - before
    return result.stop()


def match_posts(
    first_id: int | None = None,
    last_id: int | None = None,
    *,
    chunk: int = MATCH_CHUNK,
    progress: Progress | None = None,
) -> MatchResult:
    """Match the posts first_id..last_id (default: every post) against every published
    clarification and store their links; reviewers' decisions are never overwritten."""
    from saring.factcheck import matching

    result = MatchResult(
        clarifications=Clarification.objects.filter(status=Clarification.Status.PUBLISHED).count()
    )
    if not result.clarifications:
        return result.stop()

    def match(ids: list[int]) -> str:
        result.links += matching.match_new_posts(ids[0], ids[-1])
        return f", {result.links:,} new links, {result.elapsed():.1f} s"

    posts = in_range(Post.objects.all(), first_id, last_id)
    result.posts = for_each_chunk(posts, chunk, match, progress)
    return result.stop()


def match_clarification(clarification_id: int) -> BackwardMatchResult:
    """Backwards: link the existing posts that repeat this published clarification.
    Clarification.DoesNotExist when there is no such clarification."""
    from saring.factcheck import matching

    clarification = Clarification.objects.get(id=clarification_id)
    result = BackwardMatchResult(
        clarification=clarification_id,
        published=clarification.status == Clarification.Status.PUBLISHED,
    )
    if result.published:
        result.links = matching.match_clarification(clarification_id)
    return result.stop()


def cluster_posts(
    first_id: int | None = None,
    last_id: int | None = None,
    *,
    chunk: int = CLUSTER_CHUNK,
    progress: Progress | None = None,
) -> ClusterResult:
    """Add the posts first_id..last_id (default: every post) that are in no narrative yet to
    the narratives, chunk by chunk (each chunk one short transaction holding the state lock)."""
    from saring.factcheck import narratives

    result = ClusterResult()

    def cluster(ids: list[int]) -> str:
        result.clustered += narratives.cluster_posts(ids[0], ids[-1], scope=SYSTEM)
        return f", {result.clustered:,} clustered, {result.elapsed():.1f} s"

    posts = in_range(Post.objects.all(), first_id, last_id)
    result.posts = for_each_chunk(posts, chunk, cluster, progress)
    return result.stop()
