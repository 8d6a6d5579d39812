"""The public guide's own content: pages, FAQs and announcements, each versioned.

An `Entry` is the identity (kind, slug, region, election) and its publication state; every edit
is a new `Revision` that an analyst drafts and submits and an admin of the same or a higher
region, who is not its author, approves (the two-person rule). The entry shows its
`live` revision; a newer approved revision replaces it, the older one is kept as `superseded`.
Webhook subscriptions of partner organisations and their deliveries live here too: every
publication notifies them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped


class Entry(RegionScoped):
    """One page, FAQ or announcement. Region: none (national), a province or a regency; the
    `organisation` is the office that drafted it (its scope decides who may approve)."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        FAQ = "faq", _("FAQ")
        ANNOUNCEMENT = "announcement", _("Announcement")

    class Topic(models.TextChoices):
        """What a page or FAQ is about (the site groups them; platforms filter on it)."""

        HOW_TO_VOTE = "how_to_vote", _("How to vote")
        DOCUMENTS = "documents", _("Documents to bring")
        POLLING_HOURS = "polling_hours", _("Polling station hours")
        VOTER_LIST = "voter_list", _("Checking the voter list (DPT)")
        DISABILITY = "disability", _("Voters with disabilities")
        MOVING = "moving", _("Voting elsewhere (pindah memilih)")
        CAMPAIGN = "campaign", _("Campaign rules")
        REPORTING = "reporting", _("Reporting violations")
        OTHER = "other", _("Other")

    class Notice(models.TextChoices):
        """The type of an announcement (typed notifications in the API)."""

        QUIET_PERIOD = "quiet_period", _("Quiet period")
        REVOTE = "revote", _("Re-vote at a polling station")
        MOVED_DAY = "moved_day", _("Polling day moved")
        SCHEDULE = "schedule", _("Schedule change")
        SERVICE = "service", _("Service notice")
        GENERAL = "general", _("General notice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not published yet")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    slug = models.SlugField(_("address"), max_length=120)
    topic = models.CharField(
        _("topic"), max_length=20, choices=Topic.choices, default=Topic.OTHER, blank=True
    )
    notice = models.CharField(
        _("announcement type"), max_length=20, choices=Notice.choices, blank=True
    )
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("election"),
    )
    position = models.PositiveIntegerField(_("order"), default=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    live = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published revision"),
    )
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The API's change feed reads (updated_at, id): every publication, withdrawal or region
    # change saves the entry, so a platform polling `?since=` sees it.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["kind", "position", "slug"]
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="guide_entry_slug_once"),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="guide_entry_feed")]

    def __str__(self) -> str:
        title = self.live.title_id if self.live_id else self.slug
        return f"{self.get_kind_display()} · {title}"


class Revision(models.Model):
    """One version of an entry's text and validity. Bodies are sanitised HTML (nh3) in
    Indonesian and English; English may be empty (the site then shows the Indonesian)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved (live)")
        REJECTED = "rejected", _("Returned")
        SUPERSEDED = "superseded", _("Superseded")

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("entry")
    )
    number = models.PositiveIntegerField(_("version"))
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    body_id = models.TextField(_("text (Indonesian)"))
    body_en = models.TextField(_("text (English)"), blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="guide_revision_number_once"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gt=models.F("valid_from")),
                name="guide_revision_valid_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_id} (v{self.number})"


class Subscription(models.Model):
    """A partner organisation's webhook: every publication (entry, clarification, calendar) is
    POSTed to `url`, signed with HMAC-SHA256 of "<timestamp>.<body>" with `secret`."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused after failures")
        OFF = "off", _("Turned off")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="guide_subscriptions",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("shared secret"), max_length=200)
    events = models.JSONField(
        _("events"), default=list, blank=True, help_text=_("Empty: every event.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    owner_email = models.EmailField(_("owner's e-mail"), blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organisation", "url"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return f"{self.organisation} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription; `key` is its Idempotency-Key, the same on every retry."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        HELD = "held", _("Held (subscription paused)")

    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    key = models.CharField(_("idempotency key"), max_length=80, unique=True)
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="guide_hook_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.state})"


class Build(models.Model):
    """One render of the public site (`saring guide build`), for the operator's page."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to run")  # request_build coalesces onto this row
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    files = models.PositiveIntegerField(_("files"), default=0)
    bytes = models.BigIntegerField(_("bytes"), default=0)
    seconds = models.FloatField(_("seconds"), default=0.0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("site build")
        verbose_name_plural = _("site builds")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} · {self.get_state_display()}"
