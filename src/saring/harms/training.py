"""Training, activation and rollback of harm classifiers: versioned, never replaced silently.

Rules:
- Classifier versions are national: one active model scores every post of every region. Only a
  national administrator (or the system: commands, the worker) trains, activates or rolls back;
  any other scope gets ScopeError, whatever the caller (`harms.models.national_admin`).
- A training creates a new version (status `training`), runs in the background, and ends
  `ready` (metrics, label counts, training-data hash, who, when) or `failed` (with the reason).
  Either way the active model stays active: only an explicit activation changes it.
- Activation refuses a model whose held-out macro-F1 is below the active one's unless forced
  (the admin sees both figures first). The previous active model becomes `retired`.
- Rollback re-activates the model that was active before the current one.
- Every status change goes through the workflow engine (`harms.models.VERSIONS`), which checks
  the move and writes the audit event (who, organisation, from, to, why); the start of a
  training is recorded too. A version's history is `saring.audit.querysets.history_of(model)`.
- After an activation every post is re-scored in the background.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.harms import engine
from saring.harms.labels import MIN_EXAMPLES, training_labels
from saring.harms.models import VERSIONS, HarmModel, PostLabel, national_admin
from saring.harms.querysets import active
from saring.kernel.wording import details
from saring.monitoring.models import Post
from saring.taxonomy.models import HarmCategory
from saring.workflow import TransitionError, transition

logger = logging.getLogger("saring.harms")


class ModelStateError(Exception):
    """An activation or rollback the models' states do not allow (message is for the user)."""


def models_dir() -> Path:
    path = Path(settings.DATA_DIR) / "models"
    path.mkdir(parents=True, exist_ok=True)
    return path


def may_manage(scope: Scope) -> bool:
    """Whether `scope` may train, activate and roll back classifier versions."""
    return national_admin(scope)


def require_manager(scope: Scope) -> None:
    require(
        scope,
        may_manage(scope),
        _("Classifier versions are national: only a national administrator changes them."),
    )


def _move(model: HarmModel, to: str, scope: Scope, why: str = "") -> HarmModel:
    try:
        return transition(model, VERSIONS, to, scope=scope, why=why)
    except TransitionError as error:
        raise ModelStateError(
            _("A %(from)s model cannot become %(to)s.")
            % {
                "from": HarmModel.Status(error.from_state).label,
                "to": HarmModel.Status(to).label,
            }
        ) from error


def start_training(
    scope: Scope, *, csv_path: str | Path | None = None, note: str = "", queue: bool = True
) -> HarmModel:
    """Record a new version and queue its training (from the database labels, plus a CSV).

    `queue=False` when the caller trains it in its own process (`saring model train`): a worker
    must not pick up the same version meanwhile."""
    require_manager(scope)
    with transaction.atomic():
        version = (HarmModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        model = HarmModel.objects.create(
            version=version,
            trained_by_id=scope.user_id,
            source=str(csv_path or "") or "labels",
            note=note,
        )
        record(
            scope,
            Action.MODEL_TRAINING,
            model,
            to_state=model.status,
            reason=note,
            details={"source": model.source_file or "labels"},
        )
        if queue:
            from saring.harms.tasks import train_model_task

            transaction.on_commit(lambda: train_model_task.enqueue(model.id))
    return model


@dataclass
class TrainingData:
    texts: list[str] = field(default_factory=list)
    rows: list[list[int]] = field(default_factory=list)  # 0/1 per code
    codes: list[str] = field(default_factory=list)
    skipped: dict[str, dict[str, int]] = field(default_factory=dict)  # code -> counts


def _codes_by_column() -> dict[str, str]:
    out = {}
    for code, columns in HarmCategory.objects.values_list("code", "columns"):
        out[code.lower()] = code
        for column in columns or []:
            out[column.lower()] = code
    return out


def read_training_csv(csv_path: str | Path) -> tuple[list[str], dict[str, list[int]]]:
    """The texts of a training CSV and its 0/1 columns keyed by harm category code (a column
    is matched by code, or by a category's CSV alias such as HS or Abusive). TrainingError
    when no column names a category."""
    texts, columns = engine.read_labelled_csv(csv_path)
    by_column = _codes_by_column()
    mapped = {by_column[c.lower()]: v for c, v in columns.items() if c.lower() in by_column}
    if not mapped:
        found = ", ".join(columns) or "-"
        raise engine.TrainingError(
            f"{Path(csv_path).name}: no column names a harm category (found {found})",
            code="no_category_column",
            file=Path(csv_path).name,
            found=found,
        )
    return list(texts), mapped


def training_data(csv_path: str | Path | None) -> TrainingData:
    """The analysts' majority labels plus the rows of a CSV (`text`/`Tweet`/`comment_text` and
    one 0/1 column per label), without the labels that have too few examples to learn."""
    data = TrainingData()
    csv_columns: dict[str, list[int]] = {}
    if csv_path:
        data.texts, csv_columns = read_training_csv(csv_path)
    db_codes = list(
        HarmCategory.objects.filter(code__in=_labelled_codes()).values_list("code", flat=True)
    )
    all_codes = sorted(csv_columns) + [c for c in db_codes if c not in csv_columns]
    # A label only the database has counts as absent on the CSV rows, and vice versa.
    data.rows = [
        [csv_columns[c][i] if c in csv_columns else 0 for c in all_codes]
        for i in range(len(data.texts))
    ]
    post_ids, db_rows, _ties = training_labels(all_codes)
    post_texts = dict(Post.objects.filter(id__in=post_ids).values_list("id", "text"))
    for pid, row in zip(post_ids, db_rows, strict=True):
        data.texts.append(post_texts.get(pid, ""))
        data.rows.append(row)
    if len(data.rows) < engine.MIN_ROWS:  # the classifier refuses it, saying how many rows
        data.codes = all_codes
        return data
    keep = []
    for j, code in enumerate(all_codes):
        positives = sum(row[j] for row in data.rows)
        negatives = len(data.rows) - positives
        if min(positives, negatives) >= MIN_EXAMPLES:
            keep.append(j)
        else:
            data.skipped[code] = {"positives": positives, "negatives": negatives}
    if all_codes and not keep:
        labels = ", ".join(
            f"{c} {n['positives']}/{n['negatives']}" for c, n in data.skipped.items()
        )
        raise engine.TrainingError(
            f"no label has {MIN_EXAMPLES} positive and negative examples ({labels})",
            code="all_skipped",
            needed=MIN_EXAMPLES,
            labels=labels,
        )
    data.codes = [all_codes[j] for j in keep]
    data.rows = [[row[j] for j in keep] for row in data.rows]
    return data


def _labelled_codes() -> list[str]:
    return list(
        PostLabel.objects.filter(present=True).values_list("category__code", flat=True).distinct()
    )


def run_training(model_id: int, *, scope: Scope = SYSTEM) -> HarmModel:
    """Train a version recorded by `start_training` (the worker's job, acting as the system)."""
    require_manager(scope)
    model = HarmModel.objects.get(id=model_id)
    try:
        data = training_data(None if model.source == "labels" else model.source)
        fitted = engine.fit(data.texts, data.rows, data.codes)
        path = models_dir() / f"harm-v{model.version}.npz"
        engine.save(fitted.model, path)
    except engine.TrainingError as error:
        model.error = str(error)
        model.metrics = {"error": details(error)}
        return _finish(model, "failed", scope)
    except Exception as error:  # a bug must not leave the version "training" forever
        logger.exception("training of harm model v%s failed", model.version)
        model.error = f"unexpected error: {error!r}"
        return _finish(model, "failed", scope)
    model.path, model.labels = str(path), data.codes
    model.metrics = {**fitted.metrics, "skipped": data.skipped}
    model.label_counts, model.data_sha256 = fitted.label_counts, fitted.data_sha256
    return _finish(model, "ready", scope)


def _finish(model: HarmModel, status: str, scope: Scope) -> HarmModel:
    with transaction.atomic():
        model.finished_at = timezone.now()
        model.save(
            update_fields=[
                "error",
                "path",
                "labels",
                "metrics",
                "label_counts",
                "data_sha256",
                "finished_at",
            ]
        )
        why = "training finished" if status == "ready" else model.error[:200]
        return _move(model, status, scope, why)


def headline(metrics: dict) -> float | None:
    value = metrics.get("macro_f1")
    return None if value is None else float(value)


@transaction.atomic
def activate(model: HarmModel, *, scope: Scope, force: bool = False) -> HarmModel:
    """Make `model` the one that scores posts; the active one retires."""
    require_manager(scope)
    model = HarmModel.objects.select_for_update().get(pk=model.pk)
    current = active()
    if current is not None and current.pk == model.pk:
        return model
    if model.status not in ("ready", "retired"):
        raise ModelStateError(
            _("Only a ready or retired model can be activated (v%(v)d is %(status)s).")
            % {"v": model.version, "status": model.get_status_display()}
        )
    mine, theirs = headline(model.metrics), headline(current.metrics) if current else None
    if not force and mine is not None and theirs is not None and mine < theirs:
        raise ModelStateError(
            _(
                "v%(v)d scores macro-F1 %(mine).3f, below the active v%(active)d's %(theirs).3f; "
                "force the activation only if you mean to."
            )
            % {"v": model.version, "mine": mine, "active": current.version, "theirs": theirs}
        )
    engine.load(model.path)  # a missing or foreign file fails here, before anything changes
    if current is not None:
        _move(current, "retired", scope, f"replaced by v{model.version}")
    model = _move(model, "active", scope, "activated" + (" (forced)" if force else ""))
    _queue_rescoring()
    return model


@transaction.atomic
def rollback(*, scope: Scope) -> HarmModel:
    """Re-activate the version that was active before the current one."""
    require_manager(scope)
    current = active()
    if current is None:
        raise ModelStateError(_("No model is active."))
    previous = (
        HarmModel.objects.filter(status=HarmModel.Status.RETIRED, version__lt=current.version)
        .order_by("-version")
        .first()
    )
    if previous is None:
        raise ModelStateError(
            _("v%(v)d is the first model; there is nothing to roll back to.")
            % {"v": current.version}
        )
    engine.load(previous.path)
    _move(current, "retired", scope, f"rolled back to v{previous.version}")
    previous = _move(previous, "active", scope, "rollback")
    _queue_rescoring()
    return previous


def _queue_rescoring() -> None:
    from saring.harms.hooks import queue_scoring

    span = Post.objects.aggregate(first=Min("id"), last=Max("id"))
    if span["first"] is not None:
        queue_scoring(span["first"], span["last"])
