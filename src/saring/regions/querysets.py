from __future__ import annotations

from django.db import models


class RegencyQuerySet(models.QuerySet):
    def in_province(self, province_code: str) -> RegencyQuerySet:
        return self.filter(province_id=province_code)
