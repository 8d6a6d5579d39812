from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.regions.fields import province_field, regency_field


class Organisation(models.Model):
    class Kind(models.TextChoices):
        KPU = "kpu", _("KPU (election commission)")
        BAWASLU = "bawaslu", _("Bawaslu (election supervisor)")
        KOMDIGI = "komdigi", _("Komdigi (ministry)")
        PLATFORM = "platform", _("Platform liaison team")
        FACTCHECKER = "factchecker", _("Fact-checking partner")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # No province: national. A province without regency: provincial. Both: regency/city level.
    province = province_field()
    regency = regency_field()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(regency__isnull=True) | models.Q(province__isnull=False),
                name="organisation_regency_needs_province",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        ANALYST = "analyst", _("Analyst")
        VIEWER = "viewer", _("Viewer")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class RegionScoped(models.Model):
    """The organisation, and so the region, that owns an internal record (see accounts.scope).

    Every context's internal records (imports, watchlists, clarifications, cases) inherit it,
    so one `Scope.visible_q()` filters them all."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    province = province_field("+")
    regency = regency_field("+")

    class Meta:
        abstract = True
