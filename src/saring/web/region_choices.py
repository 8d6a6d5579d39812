"""The region picker of officers' forms: a scope's own region and every region inside it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saring.accounts.scope import Scope
from saring.regions.models import Province, Regency


def own_and_below(scope: Scope, *, national: bool = False) -> list[tuple[str, str]]:
    """(code, name) pairs: provinces, each followed by its regencies ("— Kabupaten Garut");
    a regency scope gets its regency alone. `national` adds ("", "National") first for a
    national scope (a record that applies to the whole country)."""
    if scope.regency_code:
        regency = Regency.objects.filter(pk=scope.regency_code).first()
        return [(scope.regency_code, regency.name if regency else scope.regency_code)]
    choices: list[tuple[str, str]] = [("", _("National"))] if national and scope.is_national else []
    provinces = Province.objects.order_by("code")
    if scope.province_code:
        provinces = provinces.filter(pk=scope.province_code)
    regencies: dict[str, list] = {}
    for regency in Regency.objects.filter(province__in=provinces).order_by("code"):
        regencies.setdefault(regency.province_id, []).append(regency)
    for province in provinces:
        choices.append((province.code, province.name))
        choices += [(r.code, f"— {r.name}") for r in regencies.get(province.code, [])]
    return choices
