"""Indonesia's three time zones, by province code (regions.Province pk, e.g. "32").

Stage dates are calendar days in the local time of the election's region, so a post's stage
depends on the local date where it was placed, not the UTC date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7: Sumatra, Java, West and Central Kalimantan
WITA = ZoneInfo("Asia/Makassar")  # UTC+8: Bali, Nusa Tenggara, rest of Kalimantan, Sulawesi
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9: Maluku and Papua

_WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
_WITA_PROVINCES = frozenset(
    {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
)

LABELS: dict[ZoneInfo, str] = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}


def zone_for(province_code: str | None) -> ZoneInfo:
    """The zone of a province; WIB (the capital's) when the region is unknown. A regency
    code ("32.73") is accepted too: its first two digits are its province."""
    code = (province_code or "")[:2]
    if code in _WIT_PROVINCES:
        return WIT
    if code in _WITA_PROVINCES:
        return WITA
    return WIB


def zone_label(province_code: str | None) -> str:
    """ "WIB", "WITA" or "WIT" (the abbreviations are used as is in Indonesian)."""
    return LABELS[zone_for(province_code)]


def local_date(when: datetime, province_code: str | None) -> date:
    """The calendar day `when` falls on in the province's zone (naive datetimes are UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(zone_for(province_code)).date()
