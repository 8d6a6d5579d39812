"""RESPOND's records: legal bases, cases and their content items, reports, screenshots,
escalations to platforms, the platforms' decisions and the messages sent to reporters.

Rules live in `services/`; the workflow table in `workflow.py`; who sees what in `querysets.py`.
Reporters' personal data is only on `Report` (name, e-mail, phone): every read of it for a
person goes through `services.privacy.reveal_reporter`, which writes the audit trail.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped
from saring.cases.querysets import CaseQuerySet, EscalationQuerySet, ReportQuerySet
from saring.regions.fields import province_field, regency_field


class LegalBasis(models.Model):
    """One article, regulation or platform rule a case may cite; data, edited by admins."""

    class Kind(models.TextChoices):
        STATUTE = "statute", _("Law (undang-undang)")
        REGULATION = "regulation", _("Regulation (PKPU, Perbawaslu, Permen)")
        PLATFORM = "platform", _("Platform community guidelines")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    citation = models.CharField(_("citation"), max_length=200)
    summary_id = models.TextField(_("summary (Indonesian)"))
    summary_en = models.TextField(_("summary (English)"))
    platform = models.CharField(
        _("platform"), max_length=20, blank=True, help_text=_("For platform rules only.")
    )
    # Harm-category codes this basis usually fits (cases.categories), to suggest it at triage.
    categories = models.JSONField(_("usual categories"), default=list, blank=True)
    url = models.URLField(_("source"), max_length=500, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")

    def __str__(self) -> str:
        return self.citation

    def summary(self, language: str) -> str:
        return self.summary_en if language == "en" else self.summary_id


class DeadlineRule(models.Model):
    """How long one step may take under one regime, with the provision that says so (data)."""

    class Regime(models.TextChoices):
        PEMILU = "pemilu", _("Pemilu (UU 7/2017)")
        PILKADA = "pilkada", _("Pilkada (UU 10/2016)")
        TAKEDOWN = "takedown", _("Urgent takedown order (Komdigi)")

    class Step(models.TextChoices):
        REPORT = "report", _("Report after discovery")
        FOLLOW_UP = "follow_up", _("Follow-up after registration")
        EXTENSION = "extension", _("Extension for more information")
        TAKEDOWN = "takedown", _("Platform takes the content down")

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        WORKING_DAYS = "working_days", _("working days")
        HOURS = "hours", _("hours")

    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    amount = models.PositiveSmallIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["regime", "step"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["regime", "step"], name="deadline_rule_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_regime_display()} · {self.get_step_display()}"


class Case(RegionScoped):
    """One piece of content (or one narrative's posts) and what was done about it.

    `organisation`/`province`/`regency` (RegionScoped) are the handling office: the Bawaslu
    of the region where the content was seen, or the officer's own organisation."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Proposed")
        RECEIVED = "received", _("Received")
        TRIAGED = "triaged", _("Triaged")
        ESCALATED = "escalated", _("Escalated")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged")
        REOPENED = "reopened", _("Reopened")
        APPEALED = "appealed", _("Appealed")

    class Origin(models.TextChoices):
        PUBLIC = "public", _("Public report")
        OFFICER = "officer", _("Officer's finding")
        PARTNER = "partner", _("Partner")
        AUTOMATIC = "automatic", _("Proposed by monitoring")

    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class Regime(models.TextChoices):
        PEMILU = "pemilu", _("Pemilu")
        PILKADA = "pilkada", _("Pilkada")

    title = models.CharField(_("title"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    # A harm-category code or one of cases.categories.EXTRA (quiet_period, impersonation, other).
    category = models.CharField(_("category"), max_length=40, blank=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    # What proposed an automatic case and the figures behind it (proposals.SIGNALS).
    signal = models.CharField(_("signal"), max_length=20, blank=True)
    signal_detail = models.JSONField(_("signal details"), default=dict, blank=True)
    # Triage: whether the report is a violation, and the reason told to the reporter.
    is_valid = models.BooleanField(_("valid"), null=True, blank=True)
    validity_reason = models.TextField(_("reason told to the reporter"), blank=True)
    bases = models.ManyToManyField(
        LegalBasis, blank=True, related_name="cases", verbose_name=_("legal bases")
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assignee"),
    )
    regime = models.CharField(
        _("regime"), max_length=10, choices=Regime.choices, default=Regime.PEMILU
    )
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("election"),
    )
    in_quiet_period = models.BooleanField(_("seen in the quiet period"), default=False)
    narrative = models.ForeignKey(
        "factcheck.Narrative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("narrative"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_cases",
        verbose_name=_("merged into"),
    )
    # The earliest time a reporter says the content was seen; the report window runs from it.
    discovered_at = models.DateTimeField(_("discovered at"), null=True, blank=True)
    follow_up_due = models.DateTimeField(_("follow-up due"), null=True, blank=True, db_index=True)
    follow_up_extended = models.BooleanField(_("follow-up extended"), default=False)
    # The platform's (or Komdigi's) answer time of the open escalation, copied for the lists.
    platform_due = models.DateTimeField(_("platform answer due"), null=True, blank=True)
    # The platform's decision on visibility in plain words, for the reporter (services.decisions).
    outcome = models.CharField(_("outcome"), max_length=40, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    triaged_at = models.DateTimeField(_("triaged at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["province", "state", "-created_at"]),
            models.Index(fields=["regency", "state", "-created_at"]),
            # The case list's newest-first page over several states (cases.listing): read in
            # index order and stop after 50 rows, instead of sorting the whole region.
            models.Index(fields=["province", "-created_at"]),
            models.Index(fields=["regency", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title[:80]}"

    @property
    def reference(self) -> str:
        return f"KSR-{self.pk:06d}" if self.pk else ""


class CaseItem(models.Model):
    """One piece of content in a case. `key` (platform:content id, or the canonical URL for
    other sites) is unique: the same content is in one case only, which is how a new report
    finds the case it belongs to."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="items", verbose_name=_("case")
    )
    url = models.URLField(_("URL as reported"), max_length=2000)
    canonical_url = models.URLField(_("canonical URL"), max_length=2000)
    platform = models.CharField(_("platform"), max_length=20)  # links.PLATFORMS or "other"
    content_id = models.CharField(_("content id"), max_length=200, blank=True)
    key = models.CharField(_("content key"), max_length=500, unique=True)
    post = models.ForeignKey(
        "monitoring.Post",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("post"),
    )
    # The case it was first added to, so a split can send it back (services.merging).
    origin_case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first case"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("case item")
        verbose_name_plural = _("case items")

    def __str__(self) -> str:
        return self.canonical_url


class Report(models.Model):
    """One report (laporan) or finding (temuan) about a case's content, with its reporter.

    Stored before any e-mail, upload or notification work: nothing accepted is lost."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("Public form")
        OFFICER = "officer", _("Officer")
        PARTNER = "partner", _("Partner API")
        AUTOMATIC = "automatic", _("Monitoring")

    class Notify(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        NONE = "none", _("No messages")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="reports", verbose_name=_("case")
    )
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # The case it was filed in, so undoing a merge sends it back (services.merging).
    first_case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("first case"),
    )
    urls = models.JSONField(_("URLs as given"), default=list)
    category = models.CharField(_("category"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    seen_where = models.CharField(_("seen where"), max_length=300, blank=True)
    province = province_field("+")
    regency = regency_field("+")
    # Personal data (UU 27/2022): shown only to the case's handlers, every view audited.
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_email = models.EmailField(_("reporter's e-mail"), blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    good_faith = models.BooleanField(_("accurate and in good faith"), default=False)
    consent = models.BooleanField(_("consents to data handling"), default=False)
    notify = models.CharField(
        _("messages by"), max_length=5, choices=Notify.choices, default=Notify.EMAIL
    )
    # A filed-late report (more than the regime's report window after discovery) is kept.
    late = models.BooleanField(_("filed late"), default=False)
    # Abuse control without keeping addresses: keyed hashes (services.intake.fingerprint).
    address_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("address fingerprint")
    )
    contact_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("contact fingerprint")
    )
    # The form's one-time token or the partner's Idempotency-Key: a resubmit returns this one.
    idempotency_key = models.CharField(
        max_length=100, null=True, blank=True, unique=True, verbose_name=_("idempotency key")
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return self.tracking_code


class ReportNote(models.Model):
    """More information a reporter added on the tracking page, or a note an officer left."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="notes", verbose_name=_("report")
    )
    text = models.TextField(_("text"))
    by_reporter = models.BooleanField(_("from the reporter"), default=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report note")
        verbose_name_plural = _("report notes")

    def __str__(self) -> str:
        return f"{self.report_id}: {self.text[:40]}"


class Attachment(models.Model):
    """A screenshot: stored with its metadata (EXIF, GPS) removed; the original's hash kept."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    report = models.ForeignKey(
        Report,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name=_("report"),
    )
    file = models.FileField(_("file"), upload_to="cases/%Y/%m/", max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size"))
    width = models.PositiveIntegerField(_("width"), default=0)
    height = models.PositiveIntegerField(_("height"), default=0)
    original_sha256 = models.CharField(_("SHA-256 of the original"), max_length=64)
    sha256 = models.CharField(_("SHA-256 as stored"), max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self) -> str:
        return self.name


class Channel(models.Model):
    """Where escalations to one platform (or Komdigi) go, and how that platform answers."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail with the packet")
        WEBHOOK = "webhook", _("Signed JSON webhook")
        BATCH = "batch", _("CSV/XLSX batch for an upload portal")

    name = models.CharField(_("name"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=20)  # links.PLATFORMS or "komdigi"
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # The addressee: its liaison users see the escalations sent here.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("addressee organisation"),
    )
    email_to = models.EmailField(_("e-mail address"), blank=True)
    webhook_url = models.URLField(_("webhook URL"), max_length=500, blank=True)
    # Signs the webhooks we send and checks the decision webhooks the platform sends back.
    secret = models.CharField(_("shared secret"), max_length=200, blank=True)
    answer_hours = models.PositiveIntegerField(
        _("answer time (hours)"), default=72, help_text=_("The platform's own answer time.")
    )
    answer_source = models.CharField(_("answer time source"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("escalation channel")
        verbose_name_plural = _("escalation channels")

    def __str__(self) -> str:
        return self.name


class Escalation(models.Model):
    """One case sent to one channel: its id, deadline, delivery state and the answer."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Delivery failed")
        ANSWERED = "answered", _("Answered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("case")
    )
    channel = models.ForeignKey(
        Channel, on_delete=models.PROTECT, related_name="escalations", verbose_name=_("channel")
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    urgent = models.BooleanField(_("urgent takedown order"), default=False)
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True, db_index=True)
    due_source = models.CharField(_("deadline source"), max_length=300, blank=True)
    note = models.TextField(_("note to the platform"), blank=True)
    include_personal = models.BooleanField(_("reporters' identity included"), default=False)
    packet = models.FileField(
        _("evidence packet"), upload_to="packets/", max_length=300, blank=True
    )
    packet_sha256 = models.CharField(_("packet SHA-256"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("delivery attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    batch = models.CharField(_("batch"), max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    created_at = models.DateTimeField(_("escalated at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return self.reference


class Decision(models.Model):
    """The platform's answer, after the fields of a DSA statement of reasons."""

    class Visibility(models.TextChoices):
        REMOVED = "removed", _("Removed")
        DISABLED = "disabled", _("Access disabled")
        DEMOTED = "demoted", _("Demoted")
        AGE_RESTRICTED = "age_restricted", _("Age-restricted")
        INTERACTION_RESTRICTED = "interaction_restricted", _("Interaction restricted")
        LABELLED = "labelled", _("Labelled")
        NO_ACTION = "no_action", _("No action")

    class Account(models.TextChoices):
        NONE = "none", _("No action on the account")
        SUSPENDED = "suspended", _("Account suspended")
        TERMINATED = "terminated", _("Account terminated")

    class Ground(models.TextChoices):
        ILLEGAL = "illegal", _("Illegal content")
        TERMS = "terms", _("Against the platform's terms")
        NONE = "none", _("No violation found")

    class Automation(models.TextChoices):
        FULLY = "fully", _("Fully automated")
        PARTIALLY = "partially", _("Partially automated")
        NOT = "not", _("Not automated")

    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("escalation")
    )
    platform_reference = models.CharField(_("platform's reference"), max_length=100)
    visibility = models.CharField(
        _("decision on the content"), max_length=25, choices=Visibility.choices
    )
    account = models.CharField(
        _("decision on the account"), max_length=12, choices=Account.choices, default=Account.NONE
    )
    ground = models.CharField(_("ground"), max_length=10, choices=Ground.choices)
    ground_reference = models.CharField(_("legal or terms reference"), max_length=300, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    automated_detection = models.BooleanField(_("detected automatically"), default=False)
    automated_decision = models.CharField(
        _("decided automatically"),
        max_length=10,
        choices=Automation.choices,
        default=Automation.NOT,
    )
    decided_at = models.DateTimeField(_("decided at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    via = models.CharField(_("received through"), max_length=10)  # page, api, webhook

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("platform decision")
        verbose_name_plural = _("platform decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["escalation", "platform_reference"], name="decision_once_per_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.escalation_id}: {self.visibility}"


class Notification(models.Model):
    """One message to a reporter about a change of their case (one per change)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("report")
    )
    medium = models.CharField(_("medium"), max_length=5)  # email, sms
    # What changed ("received", a case state, "note"), and the audit event's seq: one each.
    event = models.CharField(_("event"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message to a reporter")
        verbose_name_plural = _("messages to reporters")
        constraints = [
            models.UniqueConstraint(fields=["report", "event"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.event} {self.status}"


class ProposalRule(models.Model):
    """An admin-set level above which a MONITOR signal proposes a draft case."""

    class Signal(models.TextChoices):
        FALSE_MATCH = "false_match", _("Matched to a false clarification")
        HARM_SCORE = "harm_score", _("Harm score")
        QUIET_PERIOD = "quiet_period", _("Campaign account in the quiet period")
        IMPOSTOR = "impostor", _("Imitates an official account")

    signal = models.CharField(_("signal"), max_length=20, choices=Signal.choices, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    level = models.FloatField(
        _("level"), default=0.9, help_text=_("Match or harm score from 0 to 1; ignored for flags.")
    )

    class Meta:
        ordering = ["signal"]
        verbose_name = _("proposal rule")
        verbose_name_plural = _("proposal rules")

    def __str__(self) -> str:
        return self.get_signal_display()
