"""The elections calendar in memory, and the edits admins make to it.

Rules (whoever calls: a page, the Django admin, the API, a command):
- Which stage a moment in a region is in: the most specific election covering the region that
  has a stage on that local day wins (a regency/city's race over its province's governor race
  over the national elections: Pemilu and the Pilkada round); within one election, when two
  stages share a day (voting and counting), the shorter stage wins. Days are local (WIB, WITA,
  WIT by the region's province).
- Only administrators edit the calendar. A national admin edits every election; a province or
  regency/city admin only the elections of their own region or below (never the Pemilu or the
  Pilkada round, which are national). Each edit is an audit event with the dates before and
  after, and after it commits the `CALENDAR_CHANGED` hook gets the changed elections' ids
  (MONITOR restages the posts).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Self

from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.elections.models import Election, Stage
from saring.elections.timezones import WIB, WIT, WITA, zone_for
from saring.kernel import hooks

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
# Indonesia keeps no daylight saving time, so a zone is a fixed offset: adding it to a POSIX
# timestamp and dividing by a day gives the local date in far less time than astimezone().
_OFFSET_SECONDS = {WIB: 7 * 3600, WITA: 8 * 3600, WIT: 9 * 3600}
_SECONDS_PER_DAY = 86400

# (first day, last day) as proleptic ordinals, the stage's id and kind.
_Interval = tuple[int, int, int, str]


def _offset(province_code: str | None) -> int:
    return _OFFSET_SECONDS[zone_for(province_code)]


def _day(when: datetime | date, offset: int) -> int:
    """The local day (ordinal) of `when`; naive datetimes are UTC, a date is taken as is."""
    if not isinstance(when, datetime):
        return when.toordinal()
    if when.tzinfo is None:
        seconds = (when - datetime(1970, 1, 1)).total_seconds()
    else:
        seconds = when.timestamp()
    return int((seconds + offset) // _SECONDS_PER_DAY) + _EPOCH_ORDINAL


def _resolve(intervals: Iterable[_Interval]) -> dict[int, int]:
    """Day → stage id for one level; the shortest stage wins a shared day (then the later)."""
    best: dict[int, tuple[int, int]] = {}  # day → (length, stage id)
    for first, last, stage_id, _kind in intervals:
        length = last - first
        for day in range(first, last + 1):
            held = best.get(day)
            if held is None or length < held[0] or (length == held[0] and stage_id > held[1]):
                best[day] = (length, stage_id)
    return {day: stage_id for day, (_length, stage_id) in best.items()}


@dataclass(frozen=True, slots=True)
class _Fingerprint:
    elections: int
    updated: datetime | None
    stages: int
    last_stage: int | None


def _fingerprint() -> _Fingerprint:
    e = Election.objects.aggregate(n=Count("id"), updated=Max("updated_at"))
    s = Stage.objects.aggregate(n=Count("id"), last=Max("id"))
    return _Fingerprint(e["n"], e["updated"], s["n"], s["last"])


class Calendar:
    """Every election's stages indexed by region code, built once from two queries.

    `_days[code]` maps a local day to the stage id for a region code (None: national,
    "32": a province, "32.73": a regency/city) with the less specific levels already merged
    under it, so a lookup is a timestamp, up to three dict probes and one more."""

    def __init__(self, elections: list[tuple[str, str | None, str | None]], stages: list[tuple]):
        # elections: (id, province, regency); stages: (id, election id, kind, starts, ends)
        region_of = {pk: (province, regency) for pk, province, regency in elections}
        by_election: dict[str, list[_Interval]] = {}
        for stage_id, election_id, kind, starts_on, ends_on in stages:
            by_election.setdefault(election_id, []).append(
                (starts_on.toordinal(), ends_on.toordinal(), stage_id, kind)
            )
        self._by_election = by_election
        self._zone_offset = {pk: _offset(province) for pk, (province, _r) in region_of.items()}
        self._kind_of = {stage[0]: stage[2] for stage in stages}

        national: list[_Interval] = []
        provinces: dict[str, list[_Interval]] = {}
        regencies: dict[str, tuple[str, list[_Interval]]] = {}
        for pk, (province, regency) in region_of.items():
            intervals = by_election.get(pk, [])
            if regency:
                regencies.setdefault(regency, (province or regency[:2], []))[1].extend(intervals)
            elif province:
                provinces.setdefault(province, []).extend(intervals)
            else:
                national.extend(intervals)
        national_days = _resolve(national)
        days: dict[str | None, dict[int, int]] = {None: national_days}
        for code, intervals in provinces.items():
            days[code] = {**national_days, **_resolve(intervals)}
        for code, (province, intervals) in regencies.items():
            days[code] = {**days.get(province, national_days), **_resolve(intervals)}
        self._days = days

    @classmethod
    def load(cls) -> Self:
        elections = list(Election.objects.values_list("id", "province_id", "regency_id"))
        stages = list(
            Stage.objects.values_list("id", "election_id", "kind", "starts_on", "ends_on")
        )
        return cls(elections, stages)

    def stage_for(
        self,
        province_code: str | None,
        regency_code: str | None,
        when: datetime | date | None,
    ) -> int | None:
        """The stage id a moment in a region falls in (see the module's rules), or None."""
        if when is None:
            return None
        if province_code is None and regency_code:
            province_code = regency_code[:2]
        days = self._days
        index = (
            (regency_code and days.get(regency_code))
            or (province_code and days.get(province_code))
            or days[None]
        )
        return index.get(_day(when, _offset(province_code)))

    def stage_of_election(self, election_id: str, when: datetime | date) -> str | None:
        """The kind of `election_id`'s stage on the local day of `when` (shortest wins), or
        None outside its calendar or for an unknown election."""
        intervals = self._by_election.get(election_id)
        if not intervals:
            return None
        day = _day(when, self._zone_offset[election_id])
        found = [
            (last - first, kind) for first, last, _id, kind in intervals if first <= day <= last
        ]
        return min(found)[1] if found else None

    def kind_of(self, stage_id: int | None) -> str | None:
        return self._kind_of.get(stage_id) if stage_id is not None else None


_cache_lock = threading.Lock()
_cached: tuple[_Fingerprint, Calendar] | None = None


def calendar() -> Calendar:
    """The process's calendar, rebuilt when the elections or stages changed since it was
    built (one small aggregate query a call: call it once per batch, not per post)."""
    global _cached
    current = _fingerprint()
    held = _cached
    if held is not None and held[0] == current:
        return held[1]
    with _cache_lock:
        built = Calendar.load()
        _cached = (current, built)
    return built


def invalidate() -> None:
    global _cached
    _cached = None


# Edits


def _require_editor(scope: Scope, election: Election) -> None:
    require(scope, scope.can("admin"), _("Only administrators edit the elections calendar."))
    require(
        scope,
        scope.may_edit(election.province_id, election.regency_id),
        _("This election belongs to another region; you cannot change its calendar."),
    )


def may_edit_election(scope: Scope, election: Election) -> bool:
    try:
        _require_editor(scope, election)
    except ScopeError:
        return False
    return True


def _announce(election_ids: list[str]) -> None:
    def call() -> None:
        invalidate()
        for hook in list(hooks.CALENDAR_CHANGED):
            hook(election_ids)

    transaction.on_commit(call)


@transaction.atomic
def update_stage(
    scope: Scope, stage: Stage, starts_on: date, ends_on: date, reason: str = ""
) -> Stage:
    """Move a stage's dates (see the module's rules); ValueError when it would end before
    it starts. An edit that changes nothing writes nothing."""
    stage = Stage.objects.select_for_update().select_related("election").get(pk=stage.pk)
    election = stage.election
    _require_editor(scope, election)
    if ends_on < starts_on:
        raise ValueError(_("A stage cannot end before it starts."))
    before = (stage.starts_on, stage.ends_on)
    if before == (starts_on, ends_on):
        return stage
    stage.starts_on, stage.ends_on = starts_on, ends_on
    stage.save(update_fields=["starts_on", "ends_on"])
    election.save(update_fields=["updated_at"])  # the cached calendars see the change
    record(
        scope,
        Action.ELECTION_STAGE_CHANGED,
        election,
        from_state=f"{before[0].isoformat()}..{before[1].isoformat()}",
        to_state=f"{starts_on.isoformat()}..{ends_on.isoformat()}",
        reason=reason,
        details={
            "election": election.pk,
            "stage": stage.kind,
            "from": [before[0].isoformat(), before[1].isoformat()],
            "to": [starts_on.isoformat(), ends_on.isoformat()],
        },
    )
    invalidate()
    _announce([election.pk])
    return stage


@transaction.atomic
def update_election(
    scope: Scope,
    election: Election,
    *,
    name: str | None = None,
    legal_basis: str | None = None,
    reason: str = "",
) -> Election:
    """Rename an election or change its legal basis (see the module's rules). Stages are not
    touched, so posts are not restaged."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    _require_editor(scope, election)
    changes: dict[str, list[str]] = {}
    if name is not None and name.strip() and name.strip() != election.name:
        changes["name"] = [election.name, name.strip()]
        election.name = name.strip()
    if legal_basis is not None and legal_basis.strip() != election.legal_basis:
        changes["legal_basis"] = [election.legal_basis, legal_basis.strip()]
        election.legal_basis = legal_basis.strip()
    if not changes:
        return election
    election.save()
    record(scope, Action.ELECTION_CHANGED, election, reason=reason, details=changes)
    return election
