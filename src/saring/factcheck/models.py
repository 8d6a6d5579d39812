from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.monitoring.models import RegionScoped


class Claim(models.Model):
    """A statement that circulates, with the wordings it has been seen in."""

    text = models.TextField(_("claim"))
    normalized = models.TextField(db_index=False, blank=True)
    variants = models.JSONField(_("variants"), default=list, blank=True)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="clarifications")
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

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
