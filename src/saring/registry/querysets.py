"""Reading the registry: one filter behind the list page, the API and the command.

The registry is public information (official accounts; campaign accounts participants
registered with the KPU), so every logged-in user reads every entry; only the internal notes,
and the imports with their quarantined rows, stay within the organisation's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from saring.accounts.scope import Scope
from saring.registry.models import KnownAccount, QuarantinedAccountRow, RegistryImport
from saring.registry.services import normalise_handle

NATIONAL = "national"


@dataclass(frozen=True)
class AccountFilter:
    q: str = ""
    kind: str = ""
    platform: str = ""
    body: str = ""
    participant: str = ""
    region: str = ""  # "", "national", a province code or a regency code
    election: str = ""
    active: bool | None = True  # None: active and inactive


def accounts(selection: AccountFilter | None = None) -> QuerySet[KnownAccount]:
    f = selection or AccountFilter()
    items = KnownAccount.objects.select_related("province", "regency", "election")
    if f.active is not None:
        items = items.filter(is_active=f.active)
    if f.kind:
        items = items.filter(kind=f.kind)
    if f.platform:
        items = items.filter(platform=f.platform)
    if f.body:
        items = items.filter(body=f.body)
    if f.participant:
        items = items.filter(participant__icontains=f.participant.strip())
    if f.election:
        items = items.filter(election_id=f.election)
    if f.region == NATIONAL:
        items = items.filter(province__isnull=True)
    elif f.region and "." in f.region:
        items = items.filter(regency_id=f.region)
    elif f.region:
        items = items.filter(province_id=f.region)
    q = f.q.strip()
    if q:
        handle = normalise_handle(q)
        items = items.filter(
            Q(handle__icontains=handle or q)
            | Q(display_name__icontains=q)
            | Q(participant__icontains=q)
        )
    return items.order_by("platform", "handle")


def limit_counts(selection: AccountFilter | None = None) -> list[dict]:
    """Active campaign accounts per (election, participant, platform) in `selection`, fullest
    first: what the list page sets against the limit of 20."""
    f = selection or AccountFilter()
    rows = (
        accounts(
            AccountFilter(**{**f.__dict__, "kind": KnownAccount.Kind.CAMPAIGN, "active": True})
        )
        .order_by()
        .values("election_id", "election__name", "participant", "platform")
        .annotate(n=Count("id"))
        .order_by("-n", "participant", "platform")
    )
    return list(rows)


def imports_visible_to(scope: Scope) -> QuerySet[RegistryImport]:
    return RegistryImport.objects.filter(scope.visible_q()).order_by("-started_at", "-id")


def rows_visible_to(scope: Scope) -> QuerySet[QuarantinedAccountRow]:
    return QuarantinedAccountRow.objects.filter(
        scope.visible_q("registry_import__")
    ).select_related("registry_import")
