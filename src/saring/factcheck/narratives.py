"""Narratives: posts grouped into families of copies and paraphrases, kept current in the
background (saring.text.narratives does the clustering; this module persists it).

Rules:
- Clustering is incremental: the clusterer's state is kept in the database (NarrativeState) and
  each job adds the posts of one import chunk. Jobs take the state row's lock, so two workers
  never cluster at once (they would lose each other's posts).
- A narrative's `number` never changes as it grows. A merge keeps the older narrative; the
  younger one's posts move to it, its row stays with `merged_into` set, and an event records it
  (a NarrativeEvent for the page, NARRATIVE_MERGED in the audit trail, by the system).
- Splits are an analyst's correction: the analyst role is needed (narratives group public
  posts, so any region's analysts may split), refused otherwise with SplitPermissionError (a
  ScopeError); each split is a NARRATIVE_SPLIT audit event naming the posts moved.
- Aggregates (posts, accounts, views, shares, first/last seen, representative post) are
  recomputed for the narratives a job touched.
- A growth alert fires once per narrative when the posts of its last GROWTH_WINDOW hours are at
  least GROWTH_RATIO times the window before and at least GROWTH_MIN_POSTS: shown on the
  dashboard, and e-mailed to the analysts who follow the narrative.
"""

from __future__ import annotations

import base64
import json
import logging
import zlib
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from saring import config
from saring.accounts.scope import SYSTEM, Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.factcheck.models import Narrative, NarrativeEvent, NarrativeState, PostNarrative
from saring.monitoring.models import Post
from saring.text.narratives.clusterer import NarrativeClusterer
from saring.text.narratives.signals import growth_alert, representative

logger = logging.getLogger("saring.narratives")
GROWTH_WINDOW, GROWTH_RATIO, GROWTH_MIN_POSTS = 6, 3.0, 20
REPRESENTATIVE_SAMPLE = 200
# e5 vectors of unrelated posts already have cosines of 0.82-0.91: paraphrase search works on
# vectors centred on a sample mean, where 0.7 separated the demo's hoaxes (docs/narratives.md).
PARAPHRASE_THRESHOLD = 0.7
MEAN_SAMPLE = 2000


class _PassageEmbedder:
    """Adapts the matching embedder (encode_passages) to the clusterer's `encode`."""

    def __init__(self, embedder) -> None:
        self._embedder = embedder

    def encode(self, texts):
        return self._embedder.encode_passages(texts)


def _paraphrase_embedder():
    if not config.env_bool("SARING_NARRATIVE_PARAPHRASES"):
        return None
    from saring.factcheck.matching import embedder

    model = embedder()
    return _PassageEmbedder(model) if model.dim else None


def _encode_state(state: dict[str, Any]) -> bytes:
    def default(value):
        if isinstance(value, bytes):
            return {"__b64__": base64.b64encode(value).decode("ascii")}
        raise TypeError(type(value))

    return zlib.compress(json.dumps(state, default=default).encode(), 6)


def _decode_state(blob: bytes) -> dict[str, Any]:
    def hook(obj):
        return base64.b64decode(obj["__b64__"]) if set(obj) == {"__b64__"} else obj

    return json.loads(zlib.decompress(bytes(blob)), object_hook=hook)


def _new_clusterer(paraphrase, last_id: int) -> NarrativeClusterer:
    if paraphrase is None:
        return NarrativeClusterer()
    ids = (
        Post.objects.filter(id__lte=last_id)
        .order_by("id")
        .values_list("normalized_text", flat=True)
    )
    total = ids.count()
    step = max(1, total // MEAN_SAMPLE)
    sample = [text for i, text in enumerate(ids.iterator()) if i % step == 0][:MEAN_SAMPLE]
    mean = paraphrase.encode(sample).mean(axis=0) if sample else None
    return NarrativeClusterer(
        embedder=paraphrase, threshold_paraphrase=PARAPHRASE_THRESHOLD, embedding_mean=mean
    )


def cluster_posts(first_id: int, last_id: int, *, scope: Scope = SYSTEM) -> int:
    """Add posts first_id..last_id to the narratives; returns how many were clustered. The
    clusterer's merges are recorded as `scope`'s (the system's, in the worker)."""
    with transaction.atomic():
        row, _ = NarrativeState.objects.select_for_update().get_or_create(
            pk=1, defaults={"state": b""}
        )
        paraphrase = _paraphrase_embedder()
        clusterer = (
            NarrativeClusterer.from_state(
                _decode_state(row.state),
                embedder=paraphrase,
                threshold_paraphrase=PARAPHRASE_THRESHOLD,
            )
            if row.state
            else _new_clusterer(paraphrase, last_id)
        )
        posts = list(
            Post.objects.filter(id__gte=first_id, id__lte=last_id)
            .exclude(narrative_link__isnull=False)
            .order_by("id")
            .values_list("id", "normalized_text")
        )
        assignments = clusterer.add_many((pid, text.split()) for pid, text in posts)
        clustered = [
            a
            for a in assignments
            if a.narrative_id is not None and a.how in ("copy", "paraphrase", "new")
        ]
        touched = _save_assignments(clustered, clusterer)
        touched |= _apply_merges(clusterer, row.merges_seen, scope)
        row.state, row.posts = _encode_state(clusterer.to_state()), len(clusterer)
        row.merges_seen, row.version = len(clusterer.merges), row.version + 1
        row.save()
        _refresh(touched)
    logger.info(
        "clustered %s of %s posts into %s narratives touched",
        len(clustered),
        len(posts),
        len(touched),
    )
    return len(clustered)


class SplitError(ValueError):
    """A split the narrative's membership does not allow (message is for the user)."""


class SplitPermissionError(ScopeError):
    """The scope's role does not allow splitting narratives."""


def split_narrative(narrative: Narrative, post_ids: Iterable[int], *, scope: Scope) -> Narrative:
    """An analyst separates posts that the clusterer put together wrongly.

    The posts move to a new narrative (new number); the clusterer remembers the split, so the
    two parts are never merged again automatically and new copies of the moved posts join the
    new narrative. Both narratives record the split in their history, and the audit trail
    names the posts moved.
    """
    if not scope.can("analyst"):
        raise SplitPermissionError(_("Splitting a narrative needs the analyst role."))
    wanted = sorted(set(post_ids))
    members = PostNarrative.objects.filter(narrative=narrative)
    if members.filter(post_id__in=wanted).count() != len(wanted):
        raise SplitError(_("Some selected posts are not in this narrative."))
    if len(wanted) >= members.count():
        raise SplitError(_("A split must leave at least one post in this narrative."))
    with transaction.atomic():
        row = NarrativeState.objects.select_for_update().filter(pk=1).first()
        if row is None or not row.state:
            raise SplitError("nothing has been clustered yet")
        clusterer = NarrativeClusterer.from_state(
            _decode_state(row.state),
            embedder=_paraphrase_embedder(),
            threshold_paraphrase=PARAPHRASE_THRESHOLD,
        )
        try:
            number = clusterer.split(narrative.number, wanted)
        except ValueError as error:
            raise SplitError(str(error)) from error
        new = Narrative.objects.create(number=number)
        PostNarrative.objects.filter(post_id__in=wanted, narrative=narrative).update(
            narrative=new, how="split"
        )
        by = scope.user_id
        NarrativeEvent.objects.create(
            narrative=narrative,
            kind=NarrativeEvent.Kind.SPLIT,
            details={"into": number, "posts": len(wanted), "by": by},
        )
        NarrativeEvent.objects.create(
            narrative=new,
            kind=NarrativeEvent.Kind.SPLIT,
            details={"from": narrative.number, "posts": len(wanted), "by": by},
        )
        record(
            scope,
            Action.NARRATIVE_SPLIT,
            narrative,
            details={"from": narrative.number, "into": number, "posts": wanted},
        )
        row.state, row.version = _encode_state(clusterer.to_state()), row.version + 1
        row.save(update_fields=["state", "version", "updated_at"])
        # The representative may have left: choose both again.
        Narrative.objects.filter(id__in=[narrative.id, new.id]).update(representative=None)
        _refresh([narrative.id, new.id])
    return new


def _save_assignments(assignments, clusterer) -> set[int]:
    numbers = {clusterer.resolve(a.narrative_id) for a in assignments}
    existing = dict(Narrative.objects.filter(number__in=numbers).values_list("number", "id"))
    Narrative.objects.bulk_create([Narrative(number=n) for n in numbers - existing.keys()])
    ids = dict(Narrative.objects.filter(number__in=numbers).values_list("number", "id"))
    PostNarrative.objects.bulk_create(
        [
            PostNarrative(
                post_id=a.post_id,
                narrative_id=ids[clusterer.resolve(a.narrative_id)],
                how=a.how,
                similarity=float(a.similarity),
            )
            for a in assignments
        ],
        ignore_conflicts=True,
    )
    return set(ids.values())


def _apply_merges(clusterer, seen: int, scope: Scope) -> set[int]:
    touched: set[int] = set()
    for merge in clusterer.merges[seen:]:
        survivor_number = clusterer.resolve(merge.survivor)
        survivor, _ = Narrative.objects.get_or_create(number=survivor_number)
        absorbed = Narrative.objects.filter(number=merge.absorbed).first()
        if absorbed is None or absorbed.id == survivor.id:
            continue
        moved = PostNarrative.objects.filter(narrative=absorbed).update(narrative=survivor)
        Narrative.objects.filter(merged_into=absorbed).update(merged_into=survivor)
        absorbed.merged_into, absorbed.size = survivor, 0
        absorbed.save(update_fields=["merged_into", "size"])
        NarrativeEvent.objects.create(
            narrative=survivor,
            kind=NarrativeEvent.Kind.MERGE,
            details={"absorbed": absorbed.number, "similarity": round(merge.similarity, 3)},
        )
        record(
            scope,
            Action.NARRATIVE_MERGED,
            survivor,
            details={
                "survivor": survivor.number,
                "absorbed": absorbed.number,
                "posts": moved,
                "similarity": round(merge.similarity, 3),
            },
        )
        touched.add(survivor.id)
    return touched


def _refresh(narrative_ids: Iterable[int]) -> None:
    """Recompute aggregates of touched narratives with grouped queries (a job touches hundreds).

    The representative post is recomputed when a narrative is new or has doubled since: the
    medoid of a large family hardly moves with a few more copies, and it costs a sample read.
    """
    ids = list(narrative_ids)
    if not ids:
        return
    rows = (
        PostNarrative.objects.filter(narrative_id__in=ids)
        .values("narrative_id")
        .annotate(
            size=Count("post_id"),
            accounts=Count("post__author_handle", distinct=True),
            views=Sum("post__views"),
            shares=Sum("post__shares"),
            first=Min("post__created_at"),
            last=Max("post__created_at"),
        )
    )
    stats = {r["narrative_id"]: r for r in rows}
    changed = []
    for narrative in Narrative.objects.filter(id__in=ids, merged_into=None):
        agg = stats.get(narrative.id)
        if agg is None:
            continue
        grew = narrative.representative_id is None or agg["size"] >= 2 * max(narrative.size, 1)
        if grew:
            sample = list(
                PostNarrative.objects.filter(narrative=narrative)
                .order_by("post_id")
                .values_list("post_id", "post__normalized_text")[:REPRESENTATIVE_SAMPLE]
            )
            narrative.representative_id = sample[
                representative([text.split() for _, text in sample])
            ][0]
        narrative.size, narrative.accounts = agg["size"], agg["accounts"]
        narrative.views, narrative.shares = agg["views"] or 0, agg["shares"] or 0
        narrative.first_seen, narrative.last_seen = agg["first"], agg["last"]
        changed.append(narrative)
    Narrative.objects.bulk_update(
        changed,
        ["representative", "size", "accounts", "views", "shares", "first_seen", "last_seen"],
    )
    for narrative in changed:
        if narrative.size >= GROWTH_MIN_POSTS:  # smaller ones cannot alert
            _check_growth(narrative)


def hourly_counts(narrative: Narrative, hours: int) -> list[int]:
    """Posts per hour in the `hours` hours up to the narrative's latest post (oldest first).

    Measured against the narrative's own latest post, not the clock, so an import of last
    week's export still shows how fast the narrative grew then."""
    if narrative.last_seen is None:
        return []
    end = narrative.last_seen.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    start = end - timedelta(hours=hours)
    counts = [0] * hours
    for created in Post.objects.filter(
        narrative_link__narrative=narrative, created_at__gte=start, created_at__lt=end
    ).values_list("created_at", flat=True):
        counts[int((created - start).total_seconds() // 3600)] += 1
    return counts


def _check_growth(narrative: Narrative) -> None:
    if narrative.alerted_at is not None:
        return
    counts = hourly_counts(narrative, 2 * GROWTH_WINDOW)
    if not growth_alert(counts, GROWTH_RATIO, GROWTH_WINDOW, GROWTH_MIN_POSTS):
        return
    narrative.alerted_at = timezone.now()
    narrative.save(update_fields=["alerted_at"])
    NarrativeEvent.objects.create(
        narrative=narrative,
        kind=NarrativeEvent.Kind.ALERT,
        details={"last_hours": counts[-GROWTH_WINDOW:]},
    )
    recipients = [u.email for u in narrative.followers.all() if u.email]
    if recipients:
        # The follower list is internal; send one mail per person so addresses stay private.
        for address in recipients:
            send_mail(
                f"[Saring] Narasi N{narrative.number} tumbuh cepat",
                f"{sum(counts[-GROWTH_WINDOW:])} unggahan dalam {GROWTH_WINDOW} jam "
                f"terakhir. Buka Saring untuk melihat narasi ini.",
                None,
                [address],
                fail_silently=True,
            )
