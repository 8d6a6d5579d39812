"""Background jobs of the harms context: one function each, the body of a `saring model …`
command and of a task in `tasks.py`, called by both with the same arguments.

- `score_posts`: `saring model score [--from-id A] [--to-id B]`; `score_posts_task` (an
  import's new posts, or every post after an activation or a rollback).
- `train_model`: `saring model train VERSION` (a version queued from the Models page);
  `train_model_task`. (`saring model train` without a version records a new version, then
  runs this same function in its own process.)

The classifier is imported inside the functions, so only the process that runs a job loads it.
"""

from __future__ import annotations

from dataclasses import dataclass

from saring.accounts.scope import SYSTEM
from saring.harms.models import HarmModel
from saring.kernel.jobs import JobResult, Progress, for_each_chunk, in_range
from saring.monitoring.models import Post

SCORE_CHUNK = 5000  # posts per chunk, as many as one background job of an import


@dataclass
class ScoreResult(JobResult):
    model: int | None = None  # version of the active model; None: no model is active
    posts: int = 0
    scored: int = 0

    def __str__(self) -> str:
        if self.model is None:
            return "model score: no model is active, nothing scored"
        return (
            f"model score: {self.scored:,} of {self.posts:,} posts scored with "
            f"v{self.model} in {self.seconds:.1f} s"
        )


@dataclass
class TrainResult(JobResult):
    model: int = 0  # version
    status: str = ""
    trained: bool = False  # False: the version had already left `training` (nothing was done)
    error: str = ""

    def __str__(self) -> str:
        if not self.trained:
            return f"model train: v{self.model} is {self.status}, not training: nothing to do"
        outcome = f"failed: {self.error}" if self.status == "failed" else self.status
        return f"model train: v{self.model} {outcome} in {self.seconds:.1f} s"


def score_posts(
    first_id: int | None = None,
    last_id: int | None = None,
    *,
    chunk: int = SCORE_CHUNK,
    progress: Progress | None = None,
) -> ScoreResult:
    """Score the posts first_id..last_id (default: every post) with the active model, replacing
    their previous scores."""
    from saring.harms import scoring

    model = HarmModel.objects.filter(status=HarmModel.Status.ACTIVE).first()
    result = ScoreResult(model=None if model is None else model.version)
    if model is None:
        return result.stop()

    def score(ids: list[int]) -> str:
        result.scored += scoring.score_posts(ids[0], ids[-1])
        return f", {result.elapsed():.1f} s"

    posts = in_range(Post.objects.all(), first_id, last_id)
    result.posts = for_each_chunk(posts, chunk, score, progress)
    return result.stop()


def train_model(model_id: int) -> TrainResult:
    """Train a recorded version that is still `training`; a version already ready or failed
    (trained by `saring model train` before the worker reached its queued job) is left alone.
    HarmModel.DoesNotExist when there is no such version."""
    from saring.harms import training

    model = HarmModel.objects.get(id=model_id)
    result = TrainResult(model=model.version, status=model.status)
    if model.status != HarmModel.Status.TRAINING:
        return result.stop()
    model = training.run_training(model_id, scope=SYSTEM)
    result.trained, result.status, result.error = True, model.status, model.error
    return result.stop()
