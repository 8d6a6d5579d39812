from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.harms.errors import describe
from saring.workflow import Move, Workflow


class PostLabel(models.Model):
    """One analyst's decision on one harm label of one post: present (True) or absent (False).

    One row per analyst, so disagreement stays visible; the training label of a post is the
    majority of its analysts' decisions (ties are left out of training)."""

    post = models.ForeignKey(
        "monitoring.Post", on_delete=models.CASCADE, related_name="labels", verbose_name=_("post")
    )
    category = models.ForeignKey(
        "taxonomy.HarmCategory",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    present = models.BooleanField(_("present"))
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("labelled by"),
    )
    labelled_at = models.DateTimeField(_("labelled at"), auto_now=True)

    class Meta:
        verbose_name = _("post label")
        verbose_name_plural = _("post labels")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "category", "labelled_by"], name="one_label_per_analyst"
            )
        ]
        indexes = [models.Index(fields=["category", "present"])]

    def __str__(self) -> str:
        return f"{self.post_id} {self.category_id}={self.present}"


class HarmModel(models.Model):
    """A trained classifier version. At most one is active; every status change goes through
    `VERSIONS` and is recorded in the audit trail (`saring.audit.querysets.history_of`)."""

    class Status(models.TextChoices):
        TRAINING = "training", _("Training")
        READY = "ready", _("Ready")
        ACTIVE = "active", _("Active")
        RETIRED = "retired", _("Retired")
        FAILED = "failed", _("Failed")

    version = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.TRAINING
    )
    path = models.CharField(_("model file"), max_length=500, blank=True)
    labels = models.JSONField(_("labels"), default=list)  # category codes, model order
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    label_counts = models.JSONField(_("label counts"), default=dict, blank=True)
    data_sha256 = models.CharField(_("training data hash"), max_length=64, blank=True)
    source = models.CharField(_("training data"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    note = models.TextField(_("note"), blank=True)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trained by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("harm model")
        verbose_name_plural = _("harm models")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="one_active_model"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.version} ({self.status})"

    @property
    def error_text(self) -> str:
        """Why the training failed, in the reader's language (`error` keeps the technical text)."""
        detail = self.metrics.get("error") or {}
        return describe(detail.get("code", ""), detail.get("params"), self.error)

    @property
    def source_file(self) -> str:
        """The training CSV's file name ("" when it learnt from the analysts' labels only)."""
        return "" if self.source in ("", "labels") else Path(self.source).name


def national_admin(scope: Scope, model: HarmModel | None = None) -> bool:
    """Classifier versions are national: one active model scores every post of every region,
    so only a national administrator (or the system) trains, activates or rolls back."""
    return scope.is_national and scope.can("admin")


# Which status may become which, and what each move records (harms.training applies it).
VERSIONS = Workflow(
    name="harm model versions",
    state_field="status",
    moves={
        ("training", "ready"): Move(Action.MODEL_READY, role="admin"),
        ("training", "failed"): Move(Action.MODEL_FAILED, role="admin"),
        ("ready", "active"): Move(Action.MODEL_ACTIVATED, role="admin"),
        ("retired", "active"): Move(Action.MODEL_ACTIVATED, role="admin"),
        ("active", "retired"): Move(Action.MODEL_RETIRED, role="admin"),
    },
    may_act=national_admin,
)


class PostHarmScore(models.Model):
    """The active model's probabilities for a post: {category code: probability}."""

    post = models.OneToOneField(
        "monitoring.Post",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="harm_score",
        verbose_name=_("post"),
    )
    model = models.ForeignKey(
        HarmModel, on_delete=models.CASCADE, related_name="+", verbose_name=_("model")
    )
    scores = models.JSONField(default=dict, verbose_name=_("scores"))
    # Codes at or above their label's threshold, as ",code,code," so any database can filter.
    predicted = models.CharField(max_length=500, blank=True, verbose_name=_("predicted categories"))
    top = models.FloatField(
        default=0.0, db_index=True, verbose_name=_("highest score")
    )  # highest probability
    uncertainty = models.FloatField(
        default=0.0, verbose_name=_("uncertainty")
    )  # 1 at a threshold, 0 far from every one
    priority = models.FloatField(
        default=0.0, db_index=True, verbose_name=_("labelling priority")
    )  # labelling queue order
    scored_at = models.DateTimeField(auto_now=True, verbose_name=_("scored at"))

    class Meta:
        verbose_name = _("post harm score")
        verbose_name_plural = _("post harm scores")

    def __str__(self) -> str:
        return f"{self.post_id}: {self.top:.2f}"
