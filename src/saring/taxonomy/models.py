from django.db import models
from django.utils.translation import gettext_lazy as _


class HarmCategory(models.Model):
    """One harm of the shared taxonomy; stored as data so admins can edit names and definitions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    definition_id = models.TextField(_("definition (Indonesian)"), blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A detail of another category (hate speech: its target, scope, strength).
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="details",
        verbose_name=_("detail of"),
    )
    facet = models.CharField(
        _("facet"),
        max_length=10,
        blank=True,
        choices=[
            ("target", _("target")),
            ("scope", _("individual or group")),
            ("strength", _("strength")),
        ],
    )
    columns = models.JSONField(
        _("CSV column names"),
        default=list,
        blank=True,
        help_text=_("Column names of this label in training or evaluation CSV files."),
    )

    class Meta:
        ordering = ["order", "code"]
        db_table = "monitoring_harmcategory"  # moved from monitoring; the table kept its name
        verbose_name = _("harm category")
        verbose_name_plural = _("harm categories")

    def __str__(self) -> str:
        return self.name_id

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id
