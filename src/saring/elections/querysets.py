"""Reads of the elections calendar other contexts filter on (e.g. the dashboard's stage filter).

A filter option is one stage kind within one round: the national Pemilu, or a simultaneous
Pilkada round with all its regional elections. Keys are `<round id>:<stage kind>`, e.g.
`pemilu.2024-02-14:quiet` or `pilkada.2024-11-27:campaign`."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import F, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from saring.elections.models import Election, Stage

_KIND_ORDER = {kind: index for index, kind in enumerate(Stage.Kind.values)}


def stage_filter_choices() -> list[tuple[str, str]]:
    """(key, label) per round and stage kind present in it, rounds by voting day, stages in
    calendar order; labels like "Pemilu 2024 · Masa tenang" (round names are data)."""
    rounds = list(Election.objects.filter(parent__isnull=True).order_by("voting_day", "id"))
    present = set(
        Stage.objects.annotate(round_id=Coalesce("election__parent_id", "election_id"))
        .order_by()  # no Meta ordering in the DISTINCT: one row per round and kind
        .values_list("round_id", "kind")
        .distinct()
    )
    labels = dict(Stage.Kind.choices)
    choices: list[tuple[str, str]] = []
    for election in rounds:
        kinds = sorted(
            (kind for round_id, kind in present if round_id == election.pk),
            key=_KIND_ORDER.__getitem__,
        )
        for kind in kinds:
            choices.append((f"{election.pk}:{kind}", f"{election.name} · {labels[kind]}"))
    return choices


def parse_stage_key(key: str) -> tuple[str, str]:
    """(round id, stage kind) of a filter key; ValueError when it names no round or kind."""
    round_id, sep, kind = (key or "").rpartition(":")
    if not sep or not round_id or kind not in _KIND_ORDER:
        raise ValueError(f"unknown stage filter {key!r}")
    if not Election.objects.filter(pk=round_id, parent__isnull=True).exists():
        raise ValueError(f"unknown election round {round_id!r}")
    return round_id, kind


def stage_filter_q(key: str, prefix: str = "stage__") -> Q:
    """Rows whose stage (reached through `prefix`) is that kind in that round: the round's
    own stage or a stage of any of its regional elections."""
    round_id, kind = parse_stage_key(key)
    return Q(**{f"{prefix}kind": kind}) & (
        Q(**{f"{prefix}election_id": round_id}) | Q(**{f"{prefix}election__parent_id": round_id})
    )


NATIONAL = "national"  # the region filter's value for elections without a region
# What an election id can be (`pilkada.1871.2024-11-27`); anything else is not looked up at all
# (a NUL byte in a URL would be an error on PostgreSQL, not a 404).
ELECTION_ID = re.compile(r"[a-z0-9.-]{1,60}")


def stages_in_order() -> Prefetch:
    """An election's stages as the calendar runs (voting day before the counting that starts
    on it), for prefetch_related."""
    return Prefetch("stages", queryset=Stage.objects.order_by("starts_on", "ends_on", "id"))


def elections(
    *,
    kind: str = "",
    region: str = "",
    regency: str = "",
    on: date | None = None,
) -> QuerySet[Election]:
    """The calendar list the page and /api/v1/elections show: by kind, by region (`national`:
    Pemilu and the rounds; a province code: its governor race and its regencies' races; a
    regency code: that race), and `on`: those with a stage on that day. Stages prefetched."""
    rows = Election.objects.select_related("province", "regency", "parent")
    if kind:
        rows = rows.filter(kind=kind)
    if regency:
        rows = rows.filter(regency_id=regency)
    elif region == NATIONAL:
        rows = rows.filter(province__isnull=True, regency__isnull=True)
    elif region:
        rows = rows.filter(province_id=region)
    if on is not None:
        rows = rows.filter(stages__starts_on__lte=on, stages__ends_on__gte=on).distinct()
    # The round first, then each province's governor race followed by its regencies' races.
    return rows.prefetch_related(stages_in_order()).order_by(
        "voting_day",
        F("province_id").asc(nulls_first=True),
        F("regency_id").asc(nulls_first=True),
        "id",
    )
