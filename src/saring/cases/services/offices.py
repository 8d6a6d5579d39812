"""Where a case is handled and under which regime: the Bawaslu office of the region where the
content was seen, and the election (Pemilu or Pilkada) whose calendar that moment falls in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from saring.accounts.models import Organisation
from saring.elections.models import Stage
from saring.elections.services import calendar
from saring.regions.models import Regency


@dataclass(frozen=True)
class Office:
    organisation: Organisation | None
    province_code: str | None
    regency_code: str | None


def handling_office(province_code: str | None, regency_code: str | None) -> Office:
    """The region's own Bawaslu if Saring has it, else the nearest one above; the case keeps
    the region it was reported for either way (so the regency office sees it when it joins)."""
    if regency_code and not province_code:
        province_code = (
            Regency.objects.filter(pk=regency_code).values_list("province_id", flat=True).first()
        )
    bawaslu = Organisation.objects.filter(kind=Organisation.Kind.BAWASLU)
    organisation = None
    if regency_code:
        organisation = bawaslu.filter(regency_id=regency_code).first()
    if organisation is None and province_code:
        organisation = bawaslu.filter(province_id=province_code, regency__isnull=True).first()
    if organisation is None:
        organisation = bawaslu.filter(province__isnull=True).first()
    return Office(organisation, province_code, regency_code)


@dataclass(frozen=True)
class Regime:
    regime: str  # "pemilu" or "pilkada" (Case.Regime)
    election_id: str | None
    in_quiet_period: bool


def regime_at(province_code: str | None, regency_code: str | None, when: datetime | None) -> Regime:
    """The election whose calendar `when` falls in for the region: the most specific one with
    a stage that day (Pilkada in a regency beats the national Pemilu). Outside every calendar,
    Pemilu rules (UU 7/2017) apply."""
    when = when or timezone.now()
    stage_id = calendar().stage_for(province_code, regency_code, when)
    if stage_id is None:
        return Regime("pemilu", None, False)
    stage = Stage.objects.select_related("election").get(pk=stage_id)
    return Regime(stage.election.kind, stage.election_id, stage.kind == Stage.Kind.QUIET)


def placement(office: Office, regime: Regime) -> dict:
    """The fields a new case takes from where and when its content was seen: handling office,
    region, regime and election; the quiet period raises the priority."""
    from saring.cases.models import Case

    return {
        "organisation": office.organisation,
        "province_id": office.province_code,
        "regency_id": office.regency_code,
        "regime": regime.regime,
        "election_id": regime.election_id,
        "in_quiet_period": regime.in_quiet_period,
        "priority": Case.Priority.HIGH if regime.in_quiet_period else Case.Priority.NORMAL,
    }
