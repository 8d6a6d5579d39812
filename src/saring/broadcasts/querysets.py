"""Reads of the broadcasts context: what a scope sees, a broadcast's audience, reach per region.

Lists and broadcasts are internal records (RegionScoped): a scope sees its own region's, those
inside it and those above it, of its own kind of organisation (`Scope.visible_q()`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from saring.accounts.scope import Scope
from saring.broadcasts.models import Broadcast, Delivery, ImportRow, Recipient, RecipientList


def visible_lists(scope: Scope) -> QuerySet[RecipientList]:
    return RecipientList.objects.filter(scope.visible_q()).select_related(
        "province", "regency", "organisation"
    )


def visible_broadcasts(scope: Scope) -> QuerySet[Broadcast]:
    return Broadcast.objects.filter(scope.visible_q()).select_related(
        "province", "regency", "organisation", "target_province", "target_regency"
    )


def rejected_rows(recipient_list: RecipientList) -> QuerySet[ImportRow]:
    return ImportRow.objects.filter(recipient_list=recipient_list).order_by("file_name", "line")


def audience(broadcast: Broadcast) -> QuerySet[Recipient]:
    """The recipients a broadcast is for: its lists' addresses on its channel, inside its target
    region when it has one (one address on two lists counts once: see `audience_size`). The
    same selection as services.sending plans."""
    recipients = Recipient.objects.filter(
        recipient_list__in=broadcast.lists.all(), channel=broadcast.channel
    )
    if broadcast.target_regency_id:
        recipients = recipients.filter(regency_id=broadcast.target_regency_id)
    elif broadcast.target_province_id:
        province = broadcast.target_province_id
        recipients = recipients.filter(Q(province_id=province) | Q(regency__province_id=province))
    return recipients


def audience_size(broadcast: Broadcast) -> int:
    return audience(broadcast).values("address_hash").distinct().count()


@dataclass(frozen=True, slots=True)
class ReachRow:
    province_code: str | None
    province: str
    regency_code: str | None
    regency: str
    planned: int
    sent: int  # left Saring (sent or delivered)
    delivered: int
    failed: int
    skipped: int


_LEFT = (Delivery.State.SENT, Delivery.State.DELIVERED)


def reach_by_region(broadcast: Broadcast) -> list[ReachRow]:
    """Deliveries per recipient province/regency: a province's row without a regency holds its
    recipients placed only by province; recipients of no region come last, in a row of their
    own."""
    rows = (
        Delivery.objects.filter(broadcast=broadcast)
        .values(
            "recipient__province_id",
            "recipient__province__name",
            "recipient__regency_id",
            "recipient__regency__name",
        )
        .annotate(
            planned=Count("id"),
            sent=Count("id", filter=Q(state__in=_LEFT)),
            delivered=Count("id", filter=Q(state=Delivery.State.DELIVERED)),
            failed=Count("id", filter=Q(state=Delivery.State.FAILED)),
            skipped=Count("id", filter=Q(state=Delivery.State.SKIPPED)),
        )
        .order_by()
    )
    found = [
        ReachRow(
            province_code=row["recipient__province_id"],
            province=row["recipient__province__name"] or "",
            regency_code=row["recipient__regency_id"],
            regency=row["recipient__regency__name"] or "",
            planned=row["planned"],
            sent=row["sent"],
            delivered=row["delivered"],
            failed=row["failed"],
            skipped=row["skipped"],
        )
        for row in rows
    ]
    # Unplaced recipients last, a province's own row before its regencies (any database).
    return sorted(
        found,
        key=lambda r: (
            r.province_code is None,
            r.province_code or "",
            r.regency_code is not None,
            r.regency_code or "",
        ),
    )


def reach_totals(rows: list[ReachRow]) -> dict[str, int]:
    keys = ("planned", "sent", "delivered", "failed", "skipped")
    return {key: sum(getattr(row, key) for row in rows) for key in keys}
