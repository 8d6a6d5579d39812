"""The deadline engine: how long each step of a case may take, in Indonesia's working days.

Counting convention (as Indonesian regulations count, e.g. UU 7/2017 Pasal 454 and
Perbawaslu 7/2022): the day of the event (registration, discovery) is not counted; the period
ends at the end (23:59:59.999999, local time) of the Nth day after it. Working days
(`hari kerja`) are Monday to Friday except Indonesia's public holidays and the government's
joint leave days (cuti bersama), both from the maintained `holidays` package: a report
registered on a Saturday or a holiday counts from the next working day. "days" are calendar
days; "hours" are plain clock hours from the moment itself (a Komdigi urgent order).

Local time is the case's region's zone (WIB, WITA, WIT: saring.elections.timezones), so a
report made at 23:30 WIB on Friday and one made at 00:30 WIT on Saturday (the same moment)
count from different local days.

The numbers and their legal sources are data (`DeadlineRule`, seeded from cases.seed and edited
by admins); `rule()` reads them, cached per process. Everything else here is pure.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from saring.cases.models import DeadlineRule
from saring.cases.seed import DEADLINE_RULES
from saring.elections.timezones import zone_for

UNITS = ("hours", "days", "working_days")
TAKEDOWN_REGIME = "takedown"
_END_OF_DAY = (23, 59, 59, 999_999)


# --- working days -----------------------------------------------------------------------


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday or cuti bersama in Indonesia."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def holiday_name(day: date) -> str:
    """The holiday's name in Indonesian ("" on an ordinary day), for explaining a deadline."""
    names = holidays.country_holidays(
        "ID", years=day.year, categories=("public", "government"), language="id"
    )
    return names.get(day, "")


def _zone(zone: str | tzinfo) -> tzinfo:
    return ZoneInfo(zone) if isinstance(zone, str) else zone


def _aware(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)  # naive means UTC


def _end_of(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, *_END_OF_DAY, tzinfo=zone)


def add(
    start: datetime, amount: int, unit: str, *, zone: str | tzinfo = "Asia/Jakarta"
) -> datetime:
    """The end of a period of `amount` `unit`s that starts at `start` (naive means UTC).

    - "hours": `start` plus that many clock hours.
    - "days": the end (23:59:59.999999 in `zone`) of the Nth calendar day after the local day
      of `start`; the day of `start` itself is not counted.
    - "working_days": the end of the Nth working day after the local day of `start`, so an
      event on a Saturday or a holiday counts from the next working day. With 0, the end of
      the local day of `start` if it is a working day, else of the next working day.

    The answer is in `zone`."""
    if amount < 0:
        raise ValueError(f"a period cannot be negative: {amount}")
    local_zone = _zone(zone)
    local = _aware(start).astimezone(local_zone)
    if unit == "hours":
        return local + timedelta(hours=amount)
    day = local.date()
    if unit == "days":
        return _end_of(day + timedelta(days=amount), local_zone)
    if unit == "working_days":
        if amount == 0:
            while not is_working_day(day):
                day += timedelta(days=1)
            return _end_of(day, local_zone)
        counted = 0
        while counted < amount:
            day += timedelta(days=1)
            counted += is_working_day(day)
        return _end_of(day, local_zone)
    raise ValueError(f"unknown unit {unit!r}; one of {', '.join(UNITS)}")


# --- the rules (data) -------------------------------------------------------------------

_DEFAULTS = {(regime, step): (n, unit, source) for regime, step, n, unit, source in DEADLINE_RULES}
_CACHE_SECONDS = 60.0  # another process (web, worker) sees an admin's edit within a minute
_lock = threading.Lock()
_cache: dict[tuple[str, str], tuple[int, str, str]] | None = None
_loaded_at = 0.0
# Set when a rule is saved or deleted: until a read outside any transaction, do not cache,
# since the change may still be rolled back (and a rollback sends no signal).
_unsettled = False


def clear_cache() -> None:
    global _cache
    with _lock:
        _cache = None


@receiver(post_save, sender=DeadlineRule, dispatch_uid="deadlines-rule-saved")
@receiver(post_delete, sender=DeadlineRule, dispatch_uid="deadlines-rule-deleted")
def _rule_changed(**kwargs) -> None:
    global _unsettled
    _unsettled = True
    clear_cache()


def _load() -> dict[tuple[str, str], tuple[int, str, str]]:
    rows = DeadlineRule.objects.values_list("regime", "step", "amount", "unit", "source")
    return {(regime, step): (amount, unit, source) for regime, step, amount, unit, source in rows}


def _rules() -> dict[tuple[str, str], tuple[int, str, str]]:
    global _cache, _loaded_at, _unsettled
    if _unsettled:
        if connection.in_atomic_block:
            return _load()
        _unsettled = False
    with _lock:
        if _cache is None or time.monotonic() - _loaded_at > _CACHE_SECONDS:
            _cache, _loaded_at = _load(), time.monotonic()
        return _cache


def rule(regime: str, step: str) -> tuple[int, str, str]:
    """(amount, unit, source) of one step under one regime, from `DeadlineRule`.

    A rule an admin deleted falls back to the seeded one, so intake never stops for it;
    an unknown pair raises LookupError."""
    found = _rules().get((regime, step)) or _DEFAULTS.get((regime, step))
    if found is None:
        raise LookupError(f"no deadline rule for {regime}/{step}")
    return found


def deadline(
    regime: str, step: str, start: datetime, *, zone: str | tzinfo = "Asia/Jakarta"
) -> tuple[datetime, str]:
    """(when the step is due, the provision that says so)."""
    amount, unit, source = rule(regime, step)
    return add(start, amount, unit, zone=zone), source


def follow_up_due(
    regime: str, registered_at: datetime, *, zone: str | tzinfo, extended: bool = False
) -> datetime:
    """When a registered report must be followed up; with the extension for more
    information added after it when `extended` (Pemilu 7 + 7 working days, Pilkada 3 + 2
    days)."""
    due, _source = deadline(regime, "follow_up", registered_at, zone=zone)
    if extended:
        due, _source = deadline(regime, "extension", due, zone=zone)
    return due


def report_window_end(regime: str, discovered_at: datetime, *, zone: str | tzinfo) -> datetime:
    """The last moment a report of content discovered at `discovered_at` is in time."""
    return deadline(regime, "report", discovered_at, zone=zone)[0]


def takedown_due(ordered_at: datetime) -> datetime:
    """When the platform must have taken content down after a Komdigi urgent order
    (4 hours by default; clock hours, so the zone does not matter)."""
    return deadline(TAKEDOWN_REGIME, "takedown", ordered_at)[0]


def platform_due(sent_at: datetime, hours: int) -> datetime:
    """When a platform's own answer time (Channel.answer_hours) runs out."""
    return _aware(sent_at) + timedelta(hours=hours)


def zone_of(case) -> ZoneInfo:
    """The zone of a case's (or report's) region: WIB when the region is unknown."""
    return zone_for(getattr(case, "province_id", None) or getattr(case, "regency_id", None))


# --- time left --------------------------------------------------------------------------


@dataclass(frozen=True)
class Remaining:
    seconds: int  # until the deadline; negative once it has passed
    overdue: bool
    label: str  # "2 days 3 hours left", "overdue by 5 hours", in the active language


def _span(seconds: int) -> str:
    """At most two units, rounded down: days and hours, hours and minutes, or minutes."""
    minutes = seconds // 60
    if minutes == 0:
        return _("less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def time_left(due: datetime | None, now: datetime) -> Remaining:
    """How long until `due` (naive means UTC), as seconds and a short label."""
    if due is None:
        return Remaining(0, False, _("no deadline"))
    seconds = math.floor((_aware(due) - _aware(now)).total_seconds())  # -0.5 s is overdue
    if seconds < 0:
        return Remaining(seconds, True, _("overdue by %(time)s") % {"time": _span(-seconds)})
    return Remaining(seconds, False, _("%(time)s left") % {"time": _span(seconds)})
