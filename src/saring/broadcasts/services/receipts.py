"""What the gateways tell us afterwards: delivery receipts and replies (STOP).

A receipt names the gateway's message id. Each one is kept as a `Receipt`; when it names a
delivery Saring sent, the delivery becomes delivered or failed and the broadcast's counters
follow (a repeated or late receipt changes nothing twice). A receipt for an id Saring does not
know is kept with `delivery` empty: never an error, the gateway is not asked to retry it.

A reply whose first word is STOP or BERHENTI (any case) opts the number out of every list of
that channel (services.recipients.opt_out, as the system) and skips its deliveries that are
still queued. Numbers are never logged: only counts.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F

from saring.accounts.scope import SYSTEM
from saring.broadcasts.models import Broadcast, Channel, Delivery, Receipt
from saring.broadcasts.services import recipients

logger = logging.getLogger("saring.broadcasts.receipts")

D = Delivery.State
DELIVERED = frozenset({"delivered", "read", "delivrd", "success"})
FAILED = frozenset({"failed", "undelivered", "undeliv", "rejected", "expired", "rejectd"})
STOP_WORDS = frozenset({"STOP", "BERHENTI"})


@dataclass
class ReceiptResult:
    received: int = 0
    applied: int = 0
    unknown: int = 0

    def as_dict(self) -> dict:
        return {"received": self.received, "applied": self.applied, "unknown": self.unknown}


def record_receipts(channel: str, items: Iterable[tuple[str, str]]) -> ReceiptResult:
    """Keep and apply receipts given as (gateway id, status) pairs."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    items = [(str(gid)[:100], str(status).strip().lower()[:40]) for gid, status in items]
    result = ReceiptResult(received=len(items))
    if not items:
        return result
    with transaction.atomic():
        found = dict(
            Delivery.objects.filter(
                broadcast__channel=channel, gateway_id__in={gid for gid, _ in items}
            ).values_list("gateway_id", "pk")
        )
        Receipt.objects.bulk_create(
            Receipt(channel=channel, gateway_id=gid, status=status, delivery_id=found.get(gid))
            for gid, status in items
        )
        delivered = [found[gid] for gid, status in items if gid in found and status in DELIVERED]
        failed = [found[gid] for gid, status in items if gid in found and status in FAILED]
        result.unknown = sum(1 for gid, _ in items if gid not in found)
        result.applied += _move(delivered, D.DELIVERED, "delivered")
        result.applied += _move(failed, D.FAILED, "failed", error="gateway: not delivered")
    if result.unknown:
        logger.info("%d receipt(s) for unknown %s message ids kept", result.unknown, channel)
    return result


def link_early(channel: str, gateway_ids: list[str]) -> int:
    """Apply receipts that arrived before the sender recorded these gateway ids (a fast
    gateway answers receipts within milliseconds); the number applied."""
    if not gateway_ids:
        return 0
    early = list(
        Receipt.objects.filter(
            channel=channel, delivery__isnull=True, gateway_id__in=gateway_ids
        ).values_list("pk", "gateway_id", "status")
    )
    if not early:
        return 0
    found = dict(
        Delivery.objects.filter(
            broadcast__channel=channel, gateway_id__in={gid for _, gid, _ in early}
        ).values_list("gateway_id", "pk")
    )
    for pk, gid, _status in early:
        Receipt.objects.filter(pk=pk).update(delivery_id=found.get(gid))
    delivered = [found[gid] for _, gid, status in early if gid in found and status in DELIVERED]
    failed = [found[gid] for _, gid, status in early if gid in found and status in FAILED]
    return _move(delivered, D.DELIVERED, "delivered") + _move(
        failed, D.FAILED, "failed", error="gateway: not delivered"
    )


def _move(pks: list[int], state: str, counter: str, error: str = "") -> int:
    """sent → `state` for these deliveries, counted per broadcast (only rows that moved)."""
    if not pks:
        return 0
    rows = Delivery.objects.filter(pk__in=pks, state=D.SENT)
    per_broadcast = list(rows.values("broadcast_id").annotate(n=Count("pk")))
    moved = rows.update(state=state, **({"error": error} if error else {}))
    for row in per_broadcast:
        Broadcast.objects.filter(pk=row["broadcast_id"]).update(**{counter: F(counter) + row["n"]})
    return moved


def is_stop(text: str) -> bool:
    words = (text or "").strip().split()
    return bool(words) and words[0].strip(".!").upper() in STOP_WORDS


def inbound(channel: str, address: str, text: str) -> bool:
    """A reply from `address`; True when it opted the address out."""
    if not is_stop(text):
        return False
    try:
        address_hash = recipients.opt_out_fingerprint(channel, address)
    except recipients.RecipientError:
        logger.info("STOP from something that is not a %s address: ignored", channel)
        return False
    recipients.opt_out(SYSTEM, channel, address, source=f"{channel}:STOP")
    with transaction.atomic():
        rows = Delivery.objects.filter(
            broadcast__channel=channel, recipient__address_hash=address_hash, state=D.QUEUED
        )
        per_broadcast = list(rows.values("broadcast_id").annotate(n=Count("pk")))
        Delivery.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
            state=D.SKIPPED
        )
        for row in per_broadcast:
            Broadcast.objects.filter(pk=row["broadcast_id"]).update(skipped=F("skipped") + row["n"])
    logger.info("a %s recipient opted out by STOP", channel)
    return True
