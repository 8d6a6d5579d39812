"""Re-analysis of stored posts after the text analysis changed (`saring reanalyse`).

The normalised text, language and election relevance are computed once, at import. When the
normaliser learns something (election words it must not rewrite, say), posts stored before keep
the old result, and search, which reads the normalised text through the full-text index, would
keep missing them. This walks the posts in id chunks, recomputes those fields with the same
Analyzer an import builds, and writes only the rows that changed; the full-text index follows
(SQLite: its update trigger; PostgreSQL: the expression index). Flags are the watchlists' own
job (`saring watchlists rescore`), regions and stages stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from saring.kernel.jobs import JobResult, Progress, for_each_chunk, in_range
from saring.monitoring.models import Post
from saring.monitoring.services.analysis import build_context

FIELDS = ("normalized_text", "language", "language_score", "election_relevance", "election_terms")
CHUNK = 5_000


@dataclass
class ReanalyseResult(JobResult):
    posts: int = 0  # posts read
    changed: int = 0  # posts whose analysis changed and was written

    def __str__(self) -> str:
        return (
            f"reanalyse: {self.posts:,} posts read, {self.changed:,} changed, "
            f"in {self.seconds:.1f} s"
        )


def reanalyse_posts(
    first_id: int | None = None,
    last_id: int | None = None,
    *,
    chunk: int = CHUNK,
    progress: Progress | None = None,
) -> ReanalyseResult:
    """Recompute the text analysis of the posts first_id..last_id (default every post)."""
    analyzer = build_context().analyzer
    result = ReanalyseResult()

    def work(ids: list[int]) -> str:
        changed: list[Post] = []
        for post in Post.objects.filter(id__in=ids).only("id", "text", "hashtags", *FIELDS):
            analysis = analyzer.analyse(post.text, post.hashtags or ())
            fresh = {
                "normalized_text": analysis.normalized,
                "language": analysis.language,
                "language_score": analysis.language_score,
                "election_relevance": analysis.election_relevance,
                "election_terms": list(analysis.election_terms),
            }
            if any(getattr(post, name) != value for name, value in fresh.items()):
                for name, value in fresh.items():
                    setattr(post, name, value)
                changed.append(post)
        with transaction.atomic():
            Post.objects.bulk_update(changed, FIELDS, batch_size=500)
        result.posts += len(ids)
        result.changed += len(changed)
        return f": {len(changed):,} changed"

    for_each_chunk(in_range(Post.objects.all(), first_id, last_id), chunk, work, progress)
    return result.stop()
