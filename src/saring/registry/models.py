"""Known accounts: the official accounts of election bodies and the campaign accounts that
participants register (PKPU 15/2023 Pasal 37-38; PKPU 13/2024 for Pilkada)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("known account")
        verbose_name_plural = _("known accounts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="known_account_once"),
        ]
        indexes = [models.Index(fields=["kind", "participant", "platform"])]

    def __str__(self) -> str:
        return f"{self.platform}:@{self.handle}"
