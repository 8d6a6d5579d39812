"""Scoring posts with the active harm model, and explaining a score on the post page.

priority (the labelling queue's order) = uncertainty x (1 + log(1 + virality)), where the
uncertainty of a post is the largest, over labels, of 1 - |p - threshold| / (distance from the
threshold to the far end): 1 exactly at a threshold, 0 at certainty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from django.db import transaction

from saring.harms import engine
from saring.harms.models import HarmModel, PostHarmScore
from saring.monitoring.models import Post

BATCH = 2000
_loaded: dict[int, object] = {}  # version -> loaded model, one per process


def loaded(model: HarmModel):
    if model.version not in _loaded:
        _loaded.clear()  # keep one model in memory
        _loaded[model.version] = engine.load(model.path)
    return _loaded[model.version]


def uncertainty(probabilities: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    span = np.maximum(thresholds, 1.0 - thresholds)
    return (1.0 - np.abs(probabilities - thresholds) / span).max(axis=1)


def score_posts(first_id: int, last_id: int) -> int:
    """Score posts first_id..last_id with the active model; returns how many were scored."""
    model = HarmModel.objects.filter(status=HarmModel.Status.ACTIVE).first()
    if model is None:
        return 0
    fitted = loaded(model)
    posts = (
        Post.objects.filter(id__gte=first_id, id__lte=last_id)
        .order_by("id")
        .values_list("id", "text", "virality")
    )
    done = 0
    batch: list[tuple[int, str, float]] = []
    for row in posts.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) >= BATCH:
            done += _score_batch(model, fitted, batch)
            batch = []
    if batch:
        done += _score_batch(model, fitted, batch)
    return done


def _score_batch(model: HarmModel, fitted, batch: Sequence[tuple[int, str, float]]) -> int:
    probabilities, thresholds = engine.predict(fitted, [text or "" for _, text, _ in batch])
    unsure = uncertainty(probabilities, thresholds)
    codes = model.labels
    rows = []
    for i, (post_id, _, virality) in enumerate(batch):
        p = probabilities[i]
        predicted = [c for c, value, t in zip(codes, p, thresholds, strict=True) if value >= t]
        rows.append(
            PostHarmScore(
                post_id=post_id,
                model=model,
                scores={c: round(float(v), 4) for c, v in zip(codes, p, strict=True)},
                predicted="".join(f",{c}" for c in predicted) + ("," if predicted else ""),
                top=float(p.max()) if p.size else 0.0,
                uncertainty=float(unsure[i]),
                priority=float(unsure[i]) * (1.0 + math.log1p(max(virality or 0.0, 0.0))),
            )
        )
    with transaction.atomic():
        PostHarmScore.objects.filter(post_id__in=[r.post_id for r in rows]).delete()
        PostHarmScore.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def explain(post: Post, k: int = 5) -> list[dict]:
    """The active model's score per label with the terms that raised it, highest first."""
    score = PostHarmScore.objects.filter(post=post).select_related("model").first()
    if score is None:
        return []
    fitted = loaded(score.model)
    out = []
    for index, code in enumerate(score.model.labels):
        probability = score.scores.get(code, 0.0)
        out.append(
            {
                "code": code,
                "probability": probability,
                "predicted": f",{code}," in score.predicted,
                "terms": engine.explain(fitted, post.text or "", index, k)
                if probability >= 0.2
                else [],
            }
        )
    return sorted(out, key=lambda item: -item["probability"])
