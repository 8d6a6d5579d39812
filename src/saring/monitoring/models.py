import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped
from saring.monitoring.querysets import (
    ImportRunQuerySet,
    PostFlagQuerySet,
    PostQuerySet,
    QuarantineQuerySet,
    WatchlistQuerySet,
)
from saring.regions.fields import province_field, regency_field


class ImportRun(RegionScoped):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    format = models.CharField(_("format"), max_length=30)
    file_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(_("stored path"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    read = models.PositiveIntegerField(_("read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    quarantined = models.PositiveIntegerField(_("quarantined"), default=0)
    bytes_total = models.BigIntegerField(default=0, verbose_name=_("bytes in the file"))
    bytes_done = models.BigIntegerField(default=0, verbose_name=_("bytes read"))
    error = models.TextField(_("error"), blank=True)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # What makes a re-run of the same file idempotent: its content hash, and the observation
    # time its records without one were given the first time (services.ingest).
    sha256 = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("SHA-256 of the file")
    )
    observed_default = models.DateTimeField(
        null=True, blank=True, verbose_name=_("data captured at")
    )
    # Who runs it ("host:pid") and when it last made progress: a run whose process is gone is
    # closed as interrupted (services.runs.close_stranded).
    worker = models.CharField(max_length=100, blank=True, verbose_name=_("worker"))
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last sign of life"))

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.format})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.bytes_total:
            return 0
        return min(99, int(100 * self.bytes_done / self.bytes_total))

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class QuarantinedRecord(models.Model):
    """A record that could not be parsed or stored, kept verbatim until fixed or discarded."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISCARDED = "discarded", _("Discarded")

    run = models.ForeignKey(
        ImportRun, on_delete=models.CASCADE, related_name="quarantine", verbose_name=_("import")
    )
    location = models.CharField(_("location"), max_length=100)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=100, blank=True)
    reason = models.TextField(_("reason"))  # technical English, as the parser said it
    reason_detail = models.JSONField(
        default=dict, blank=True, verbose_name=_("reason details")
    )  # its code, to word it per reader
    payload = models.TextField(_("raw record"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    # sha256 of (file hash, location, payload): the same bad item of the same file is kept once,
    # however often the file is imported again
    identity = models.CharField(max_length=64, blank=True, verbose_name=_("identity"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    objects = QuarantineQuerySet.as_manager()

    class Meta:
        ordering = ["run", "line", "id"]
        verbose_name = _("quarantined record")
        verbose_name_plural = _("quarantined records")
        constraints = [
            models.UniqueConstraint(
                fields=["identity"],
                condition=~models.Q(identity=""),
                name="quarantine_identity_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.run.file_name} {self.location}: {self.reason}"

    @classmethod
    def for_error(
        cls, run: ImportRun | None, item, error, source_sha256: str = ""
    ) -> "QuarantinedRecord":
        """An unsaved record of a raw `item` (location, line, payload) that failed with `error`
        (a `RecordError`); NUL bytes dropped, which PostgreSQL text cannot hold. The payload is
        kept whole. With the file's `source_sha256`, the record gets its `identity`."""
        payload = item.payload.replace("\x00", "")
        record = cls(
            run=run,
            location=item.location[:100],
            line=item.line,
            payload=payload,
            identity=quarantine_identity(source_sha256, item.location, payload)
            if source_sha256
            else "",
        )
        record.set_error(error)
        return record

    def set_error(self, error) -> None:
        """Why the record (still) cannot be read: the error's field, message and code."""
        self.field, self.reason, self.reason_detail = error.field[:100], error.message, error.detail
        self.reason = self.reason.replace("\x00", "")

    EDIT_LIMIT = 200_000  # characters the quarantine page puts in an edit box
    PREVIEW = 2_000

    @property
    def editable(self) -> bool:
        """Small enough to edit on the page; a larger one is retried as stored (or fixed with
        `saring quarantine retry --payload-file`), never from a cut copy."""
        return len(self.payload) <= self.EDIT_LIMIT

    @property
    def preview(self) -> str:
        return self.payload[: self.PREVIEW]

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (the parser's own words when it has no code)."""
        from saring.monitoring.reasons import describe_reason

        detail = self.reason_detail or {}
        return describe_reason(detail.get("code", ""), detail.get("params"), self.reason)


def quarantine_identity(source_sha256: str, location: str, payload: str) -> str:
    """The run-independent identity of a bad item: the same file, place and raw text."""
    digest = hashlib.sha256()
    for part in (source_sha256, location, payload):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


class Post(models.Model):
    """A public post, with the latest engagement seen and the analysis of its text."""

    platform = models.CharField(_("platform"), max_length=30)
    platform_id = models.CharField(_("platform id"), max_length=100)
    url = models.URLField(_("URL"), max_length=2000, blank=True)
    author_handle = models.CharField(_("author handle"), max_length=200, blank=True)
    author_name = models.CharField(_("author name"), max_length=300, blank=True)
    author_location = models.CharField(_("author location"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True)
    hashtags = models.JSONField(_("hashtags"), default=list, blank=True)
    mentions = models.JSONField(_("mentions"), default=list, blank=True)
    created_at = models.DateTimeField(_("posted at"))
    media_type = models.CharField(_("media type"), max_length=20, blank=True)
    in_reply_to = models.CharField(_("reply to"), max_length=100, blank=True)
    source_region_code = models.CharField(
        max_length=13, blank=True, verbose_name=_("region code in the source")
    )
    extra = models.JSONField(default=dict, blank=True, verbose_name=_("other source fields"))

    # Latest observation, copied here so lists sort and filter without a join.
    views = models.BigIntegerField(_("views"), null=True, blank=True)
    likes = models.BigIntegerField(_("likes"), null=True, blank=True)
    shares = models.BigIntegerField(_("shares"), null=True, blank=True)
    comments = models.BigIntegerField(_("comments"), null=True, blank=True)
    observed_at = models.DateTimeField(_("observed at"))
    virality = models.FloatField(_("virality"), default=0.0)
    virality_per_hour = models.FloatField(
        default=0.0, verbose_name=_("weighted interactions per hour")
    )
    virality_basis = models.CharField(max_length=200, blank=True, verbose_name=_("virality basis"))

    # Analysis (saring.text.analyze); recomputed by `saring reanalyse`.
    normalized_text = models.TextField(_("normalised text"), blank=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    language_score = models.FloatField(default=0.0, verbose_name=_("language confidence"))
    election_relevance = models.FloatField(_("election relevance"), default=0.0)
    election_terms = models.JSONField(default=list, blank=True, verbose_name=_("election terms"))
    province = province_field("posts")
    regency = regency_field("posts")
    region_source = models.CharField(max_length=10, blank=True, verbose_name=_("region found in"))
    region_evidence = models.CharField(
        max_length=200, blank=True, verbose_name=_("region evidence")
    )

    # When in the elections calendar and who speaks (saring.elections, saring.registry): set at
    # import, recomputed when the calendar or the registry changes.
    stage = models.ForeignKey(
        "elections.Stage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("election stage"),
    )

    class Speaker(models.TextChoices):
        OFFICIAL = "official", _("Official account")
        CAMPAIGN = "campaign", _("Registered campaign account")

    class AccountFlag(models.TextChoices):
        QUIET_PERIOD = "quiet_period", _("Campaign account posting in the quiet period")
        IMPOSTOR = "impostor", _("Imitates an official account")

    speaker = models.CharField(
        _("speaker"), max_length=10, choices=Speaker.choices, blank=True, default=""
    )
    # The registered account the author is, or (impostor) the official one it imitates.
    known_account = models.ForeignKey(
        "registry.KnownAccount",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("known account"),
    )
    account_flag = models.CharField(
        _("account flag"), max_length=15, choices=AccountFlag.choices, blank=True, default=""
    )

    first_run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first import"),
    )
    ingested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("ingested at"))

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_id"], name="post_platform_id")
        ]
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["province", "created_at"]),
            models.Index(fields=["regency", "created_at"]),
            models.Index(fields=["-virality"]),
            models.Index(fields=["language"]),
            models.Index(fields=["stage", "created_at"]),
            models.Index(fields=["account_flag"]),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.platform_id}"

    @property
    def engagement(self) -> int:
        return sum(v or 0 for v in (self.likes, self.shares, self.comments))


class EngagementObservation(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="observations", verbose_name=_("post")
    )
    observed_at = models.DateTimeField(_("observed at"))
    views = models.BigIntegerField(null=True, blank=True, verbose_name=_("views"))
    likes = models.BigIntegerField(null=True, blank=True, verbose_name=_("likes"))
    shares = models.BigIntegerField(null=True, blank=True, verbose_name=_("shares"))
    comments = models.BigIntegerField(null=True, blank=True, verbose_name=_("comments"))
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import"),
    )

    class Meta:
        verbose_name = _("engagement observation")
        verbose_name_plural = _("engagement observations")
        ordering = ["post", "observed_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "observed_at"], name="observation_once")
        ]

    def __str__(self) -> str:
        return f"{self.post_id} @ {self.observed_at:%Y-%m-%d %H:%M}"


class PostHashtag(models.Model):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="hashtag_rows", verbose_name=_("post")
    )
    tag = models.CharField(
        max_length=100, db_index=True, verbose_name=_("hashtag")
    )  # lower-case, without '#'

    class Meta:
        verbose_name = _("post hashtag")
        verbose_name_plural = _("post hashtags")
        constraints = [models.UniqueConstraint(fields=["post", "tag"], name="hashtag_once")]

    def __str__(self) -> str:
        return f"#{self.tag}"


class Watchlist(RegionScoped):
    """Terms for one harm category; matched with Indonesian morphology (saring.text.watchlist)."""

    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        "taxonomy.HarmCategory",
        on_delete=models.PROTECT,
        related_name="watchlists",
        verbose_name=_("category"),
    )
    terms = models.TextField(_("terms"), help_text=_("One word or phrase per line."))
    notes = models.TextField(_("internal notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, verbose_name=_("version"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    rescored_version = models.PositiveIntegerField(
        default=0, verbose_name=_("version last re-scored")
    )

    class Status(models.TextChoices):
        # A regional analyst proposes; an administrator of the region approves or rejects
        # (services.watchlists.WATCHLIST_REVIEW). Only an approved watchlist may be active.
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Rescore(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Re-scoring")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("review status"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # The latest re-scoring, for the page's progress: posts done of total, and how it ended.
    rescore_state = models.CharField(
        max_length=10,
        choices=Rescore.choices,
        default=Rescore.DONE,
        verbose_name=_("re-scoring state"),
    )
    rescore_done = models.PositiveIntegerField(default=0, verbose_name=_("posts re-scored"))
    rescore_total = models.PositiveIntegerField(default=0, verbose_name=_("posts to re-score"))
    rescore_error = models.TextField(blank=True, verbose_name=_("re-scoring error"))
    rescore_queued_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("re-scoring queued at")
    )
    rescore_finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("re-scoring finished at")
    )
    # Who re-scores ("host:pid") and when it last moved: a re-scoring whose process is gone is
    # closed as interrupted (services.runs.close_stranded), so the page never waits for ever.
    rescore_worker = models.CharField(max_length=100, blank=True, verbose_name=_("worker"))
    rescore_progress_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("last sign of life")
    )

    objects = WatchlistQuerySet.as_manager()

    class Meta:
        ordering = ["category__order", "name"]
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")

    def __str__(self) -> str:
        return self.name

    @property
    def rescore_error_text(self) -> str:
        """Why the last re-scoring failed, for the page: an interrupted one in the reader's
        language (its technical detail stays in `rescore_error`), else the job's error."""
        if self.rescore_error.startswith("interrupted"):
            return gettext(
                "Interrupted: the process re-scoring it stopped before the end. Re-score again."
            )
        return self.rescore_error

    def term_list(self) -> list[str]:
        seen: dict[str, None] = {}
        for line in self.terms.splitlines():
            term = " ".join(line.strip().lower().split())
            if term and not term.startswith("#"):
                seen.setdefault(term, None)
        return list(seen)


class PostFlag(models.Model):
    """A watchlist hit on a post; `evidence` lists each matched term, surface form and rule."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="flags", verbose_name=_("post")
    )
    watchlist = models.ForeignKey(
        Watchlist, on_delete=models.CASCADE, related_name="flags", verbose_name=_("watchlist")
    )
    category = models.ForeignKey(
        "taxonomy.HarmCategory",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("category"),
    )
    evidence = models.JSONField(default=list, verbose_name=_("evidence"))

    objects = PostFlagQuerySet.as_manager()

    class Meta:
        verbose_name = _("post flag")
        verbose_name_plural = _("post flags")
        constraints = [models.UniqueConstraint(fields=["post", "watchlist"], name="flag_once")]
        indexes = [models.Index(fields=["category", "post"])]

    def __str__(self) -> str:
        return f"{self.post_id}: {self.category_id} via {self.watchlist_id}"
