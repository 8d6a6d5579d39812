from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped
from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.workflow import Move, Workflow


class Claim(models.Model):
    """A statement that circulates, with the wordings it has been seen in."""

    text = models.TextField(_("claim"))
    normalized = models.TextField(db_index=False, blank=True, verbose_name=_("normalised text"))
    variants = models.JSONField(_("variants"), default=list, blank=True)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return self.text[:80]


class Clarification(RegionScoped):
    """An official answer to a claim: KPU, Bawaslu, Komdigi or a fact-checker's verdict."""

    class Verdict(models.TextChoices):
        SALAH = "SALAH", "SALAH"
        HOAKS = "HOAKS", "HOAKS"
        MENYESATKAN = "MENYESATKAN", "MENYESATKAN"
        PENIPUAN = "PENIPUAN", "PENIPUAN"
        KLARIFIKASI = "KLARIFIKASI", "KLARIFIKASI"
        BENAR = "BENAR", "BENAR"
        LAINNYA = "LAINNYA", _("other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, related_name="clarifications", verbose_name=_("claim")
    )
    external_id = models.CharField(_("external id"), max_length=500, blank=True)
    headline = models.CharField(_("headline"), max_length=500)
    verdict = models.CharField(_("verdict"), max_length=15, choices=Verdict.choices)
    verdict_label = models.CharField(_("verdict as published"), max_length=200, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    publisher_url = models.URLField(_("publisher URL"), max_length=500, blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, default="id")
    claim_date = models.DateTimeField(_("claim date"), null=True, blank=True)
    claimant = models.CharField(_("claimant"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="clarification_external_id_once",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.verdict}] {self.headline[:80]}"

    @property
    def says_false(self) -> bool:
        return self.verdict in {"SALAH", "HOAKS", "MENYESATKAN", "PENIPUAN"}


class PostMatch(models.Model):
    """A post linked to the clarification that answers it, automatically or by a reviewer."""

    class Decision(models.TextChoices):
        AUTO = "auto", _("Linked automatically")
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    # Who may move a match where: MATCH_REVIEW below (factcheck.review applies it).
    LINKED = ("auto", "confirmed")

    post = models.ForeignKey(
        "monitoring.Post",
        on_delete=models.CASCADE,
        related_name="claim_matches",
        verbose_name=_("post"),
    )
    clarification = models.ForeignKey(
        Clarification,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("clarification"),
    )
    score = models.FloatField(_("score"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    evidence = models.JSONField(_("shared terms"), default=list, blank=True)
    matcher_version = models.CharField(max_length=40, blank=True, verbose_name=_("matcher version"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reviewed at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-score"]
        verbose_name = _("post match")
        verbose_name_plural = _("post matches")
        constraints = [
            models.UniqueConstraint(fields=["post", "clarification"], name="post_match_once")
        ]
        indexes = [
            models.Index(fields=["decision", "-score"]),
            models.Index(fields=["clarification", "decision"]),
        ]

    def __str__(self) -> str:
        return f"{self.post_id} → {self.clarification_id} ({self.decision}, {self.score:.2f})"


def _reviews(scope: Scope, match: PostMatch) -> bool:
    """A reviewer judges links to answers of their own branch and kind of organisation (or to
    nobody's): never a sibling region's, never another organisation kind's."""
    return scope.sees_record(match.clarification)


def _publishes(scope: Scope, clarification: Clarification) -> bool:
    """An administrator publishes clarifications of their region or below, of their kind."""
    return scope.edits_record(clarification, role="admin")


MATCH_REVIEW = Workflow(
    name="match review",
    state_field="decision",
    moves={
        ("suggested", "confirmed"): Move(Action.MATCH_REVIEWED, role="analyst"),
        ("suggested", "rejected"): Move(Action.MATCH_REVIEWED, role="analyst"),
        ("auto", "confirmed"): Move(Action.MATCH_REVIEWED, role="analyst"),
        ("auto", "rejected"): Move(Action.MATCH_REVIEWED, role="analyst"),
        ("confirmed", "rejected"): Move(Action.MATCH_REVIEWED, role="analyst"),
        ("rejected", "confirmed"): Move(Action.MATCH_REVIEWED, role="analyst"),
    },
    may_act=_reviews,
)

CLARIFICATION_PUBLISHING = Workflow(
    name="clarification publishing",
    state_field="status",
    moves={("draft", "published"): Move(Action.CLARIFICATION_PUBLISHED, role="admin")},
    may_act=_publishes,
)


class MatchThresholds(models.Model):
    """The thresholds in force for one matcher version, re-tuned from reviewers' decisions.

    The newest row for the running matcher version wins; the shipped thresholds apply until
    there is one. Rows are never edited, so the history shows how the thresholds moved.
    """

    matcher_version = models.CharField(
        max_length=40, db_index=True, verbose_name=_("matcher version")
    )
    auto = models.FloatField(_("automatic link from"), null=True, blank=True)  # null: never
    suggest = models.FloatField(_("suggest from"))
    decisions = models.PositiveIntegerField(_("reviewer decisions used"), default=0)
    accepted = models.PositiveIntegerField(_("confirmed among them"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("match thresholds")
        verbose_name_plural = _("match thresholds")

    def __str__(self) -> str:
        return f"{self.matcher_version}: auto {self.auto}, suggest {self.suggest:.3f}"


class PassageVector(models.Model):
    """A clarification text's embedding, kept so that every worker process (and every restart)
    does not embed all clarifications again: ~15 ms each, minutes for ten thousand."""

    key = models.CharField(
        max_length=64, primary_key=True, verbose_name=_("key")
    )  # sha256 of model name + text
    vector = models.BinaryField(verbose_name=_("vector"))  # float32, L2-normalised
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("passage vector")
        verbose_name_plural = _("passage vectors")

    def __str__(self) -> str:
        return self.key[:12]


class Narrative(models.Model):
    """A family of copies and paraphrases of one claim, as the clusterer groups posts.

    `number` is the clusterer's id and never changes as the narrative grows; when two
    narratives merge, the younger one points at the survivor (`merged_into`) and keeps its row.
    """

    number = models.PositiveIntegerField(_("number"), unique=True)
    representative = models.ForeignKey(
        "monitoring.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("representative post"),
    )
    size = models.PositiveIntegerField(_("posts"), default=0)
    accounts = models.PositiveIntegerField(_("accounts"), default=0)
    views = models.BigIntegerField(_("views"), default=0)
    shares = models.BigIntegerField(_("shares"), default=0)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="absorbed",
        verbose_name=_("merged into"),
    )
    alerted_at = models.DateTimeField(_("growth alert"), null=True, blank=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("followers")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-size"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")

    def __str__(self) -> str:
        return f"N{self.number}"


class PostNarrative(models.Model):
    post = models.OneToOneField(
        "monitoring.Post",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="narrative_link",
        verbose_name=_("post"),
    )
    narrative = models.ForeignKey(
        Narrative, on_delete=models.CASCADE, related_name="posts", verbose_name=_("narrative")
    )
    how = models.CharField(max_length=12, verbose_name=_("how it joined"))  # copy, paraphrase, new
    similarity = models.FloatField(default=0.0, verbose_name=_("similarity"))

    class Meta:
        verbose_name = _("post in a narrative")
        verbose_name_plural = _("posts in narratives")
        indexes = [models.Index(fields=["narrative", "post"])]

    def __str__(self) -> str:
        return f"{self.post_id} in {self.narrative_id} ({self.how})"


class NarrativeEvent(models.Model):
    class Kind(models.TextChoices):
        MERGE = "merge", _("Merged")
        SPLIT = "split", _("Split")
        ALERT = "alert", _("Growth alert")

    narrative = models.ForeignKey(
        Narrative, on_delete=models.CASCADE, related_name="events", verbose_name=_("narrative")
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("kind"))
    details = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        verbose_name = _("narrative event")
        verbose_name_plural = _("narrative events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.narrative_id} {self.kind}"


class NarrativeState(models.Model):
    """The clusterer's state between runs (one row), so clustering continues incrementally."""

    version = models.PositiveIntegerField(default=0, verbose_name=_("version"))
    state = models.BinaryField(verbose_name=_("state"))
    posts = models.PositiveIntegerField(default=0, verbose_name=_("posts"))
    merges_seen = models.PositiveIntegerField(default=0, verbose_name=_("merges seen"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("narrative state")
        verbose_name_plural = _("narrative states")

    def __str__(self) -> str:
        return f"narrative state v{self.version} ({self.posts} posts)"
