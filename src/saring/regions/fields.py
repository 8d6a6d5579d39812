"""The optional province/regency foreign keys other apps use to place a record in a region."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def province_field(related_name: str | None = None) -> models.ForeignKey:
    return models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("province"),
    )


def regency_field(related_name: str | None = None) -> models.ForeignKey:
    return models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=_("regency/city"),
    )
