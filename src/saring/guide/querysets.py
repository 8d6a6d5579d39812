"""Reads of guide content: what the public sees now, for a region, and what an officer sees."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.guide.models import Entry, Revision, Subscription, WebhookDelivery
from saring.guide.workflow import is_operator


def in_force_q(at: datetime | None = None, prefix: str = "live__") -> Q:
    """The revision's validity window contains `at` (open ends allowed)."""
    at = at or timezone.now()
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": at})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": at})
    )


def public_entries(kind: str | None = None, at: datetime | None = None) -> QuerySet[Entry]:
    """Published entries whose live revision is in force now."""
    entries = Entry.objects.filter(status=Entry.Status.PUBLISHED, live__isnull=False).filter(
        in_force_q(at)
    )
    if kind:
        entries = entries.filter(kind=kind)
    return entries.select_related("live", "province", "regency", "election")


def for_region(entries: QuerySet[Entry], region: str | None) -> QuerySet[Entry]:
    """Entries that apply to a visitor of `region` (None: national only; "32": national and
    Jawa Barat's; "32.05": national, Jawa Barat's and Garut's)."""
    if not region:
        return entries.filter(province__isnull=True)
    province = region[:2]
    q = Q(province__isnull=True) | Q(province_id=province, regency__isnull=True)
    if len(region) > 2:
        q |= Q(regency_id=region)
    return entries.filter(q)


def feed_entries(kind: str) -> QuerySet[Entry]:
    """Every entry of `kind` that was ever published (the change feed shows withdrawals)."""
    return Entry.objects.filter(kind=kind, published_at__isnull=False).select_related(
        "live", "province", "regency", "election"
    )


def entries_visible_to(scope: Scope) -> QuerySet[Entry]:
    """Entries an officer may see: their region's branch and kind of organisation."""
    return Entry.objects.filter(scope.visible_q()).select_related(
        "live", "province", "regency", "organisation"
    )


def awaiting_approval(scope: Scope) -> QuerySet[Revision]:
    """Submitted revisions of entries this admin may approve."""
    return (
        Revision.objects.filter(state=Revision.State.SUBMITTED)
        .filter(scope.visible_q("entry__"))
        .select_related("entry", "author")
    )


def subscriptions_visible_to(scope: Scope) -> QuerySet[Subscription]:
    subscriptions = Subscription.objects.select_related("organisation")
    if is_operator(scope):
        return subscriptions
    if scope.organisation_id is None:
        return subscriptions.none()
    return subscriptions.filter(organisation_id=scope.organisation_id)


def with_delivery_counts(subscriptions: QuerySet[Subscription]) -> QuerySet[Subscription]:
    """Each subscription with `waiting`, `held` and `given_up` delivery counts (for lists)."""
    return subscriptions.annotate(
        waiting=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.PENDING)),
        held=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.HELD)),
        given_up=Count("deliveries", filter=Q(deliveries__state=WebhookDelivery.State.FAILED)),
    )
