"""Known accounts: the official accounts of election bodies and the campaign accounts that
participants register (PKPU 15/2023 Pasal 37-38; PKPU 13/2024 for Pilkada)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped


class KnownAccount(RegionScoped):
    """One account on one platform. `organisation`/`province`/`regency` (RegionScoped) place it:
    the body that owns an official account, or the KPU office a campaign account is registered
    with."""

    class Kind(models.TextChoices):
        OFFICIAL = "official", _("Official account")
        CAMPAIGN = "campaign", _("Registered campaign account")

    class Body(models.TextChoices):
        KPU = "kpu", _("KPU")
        BAWASLU = "bawaslu", _("Bawaslu")
        KOMDIGI = "komdigi", _("Komdigi")
        DKPP = "dkpp", _("DKPP")
        OTHER = "other", _("Other public body")

    platform = models.CharField(_("platform"), max_length=30)
    handle = models.CharField(_("handle"), max_length=200)  # lower case, without "@"
    display_name = models.CharField(_("display name"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.CharField(_("body"), max_length=10, choices=Body.choices, blank=True)
    # Campaign accounts: whose account, for which election, and its registration window.
    participant = models.CharField(_("participant"), max_length=300, blank=True)
    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaign_accounts",
        verbose_name=_("election"),
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("known account")
        verbose_name_plural = _("known accounts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="known_account_once"),
        ]
        indexes = [
            models.Index(fields=["kind", "participant", "platform"]),
            # the limit of 20 compares participants case-insensitively (services._clean_campaign)
            models.Index(
                Lower("participant"), "platform", "election", name="known_account_participant_ci"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:@{self.handle}"


class RegistryImport(RegionScoped):
    """One CSV/XLSX file of known accounts read into the registry (placed in the importer's
    organisation and region, so the quarantine of a province stays its own)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name=_("SHA-256 of the file")
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    actor = models.CharField(_("by"), max_length=150, blank=True)  # "system" for commands
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    read = models.PositiveIntegerField(_("read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    quarantined = models.PositiveIntegerField(_("quarantined"), default=0)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("registry import")
        verbose_name_plural = _("registry imports")

    def __str__(self) -> str:
        return self.file_name


class QuarantinedAccountRow(models.Model):
    """A row of a registry file that could not be taken, kept as it was read until it is fixed
    and re-run, or discarded."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")
        DISCARDED = "discarded", _("Discarded")

    registry_import = models.ForeignKey(
        RegistryImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("line"))  # CSV line or spreadsheet row number
    field = models.CharField(_("field"), max_length=50, blank=True)
    reason_code = models.CharField(_("reason"), max_length=50)
    reason_params = models.JSONField(default=dict, blank=True, verbose_name=_("reason details"))
    message = models.TextField(_("message"))  # worded when quarantined; pages re-word the code
    raw = models.JSONField(_("raw row"), default=dict)  # header -> cell text, as read
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    account = models.ForeignKey(
        KnownAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account"),
    )
    # sha256 of (file hash, line, raw row): the same bad row of the same file is kept once,
    # however often the file is imported again.
    identity = models.CharField(max_length=64, blank=True, verbose_name=_("identity"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["registry_import", "line", "id"]
        verbose_name = _("quarantined account row")
        verbose_name_plural = _("quarantined account rows")
        constraints = [
            models.UniqueConstraint(
                fields=["identity"],
                condition=~models.Q(identity=""),
                name="account_row_identity_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.registry_import.file_name}:{self.line} {self.reason_code}"
