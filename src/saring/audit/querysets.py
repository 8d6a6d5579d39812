"""Reads of the audit trail (the admin page, the API)."""

from __future__ import annotations

from django.db.models import QuerySet

from saring.accounts.querysets import organisations_within
from saring.accounts.scope import Scope
from saring.audit.models import AuditEvent


def visible_to(scope: Scope) -> QuerySet[AuditEvent]:
    """What an admin may read: everything for a superuser (and the system's own events);
    otherwise the actions of people of organisations within their region and kind."""
    if not scope.can("admin"):
        return AuditEvent.objects.none()
    if scope.organisation_kind is None and scope.is_national:
        return AuditEvent.objects.all()
    ids = list(organisations_within(scope).values_list("id", flat=True))
    return AuditEvent.objects.filter(organisation_id__in=ids)


def events(
    scope: Scope,
    *,
    actor: str = "",
    action: str = "",
    subject_type: str = "",
    subject_id: str = "",
) -> QuerySet[AuditEvent]:
    """Newest first, within `scope`, filtered by person (username), action and subject."""
    qs = visible_to(scope)
    if actor:
        qs = qs.filter(actor=actor)
    if action:
        qs = qs.filter(action=action)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
    if subject_id:
        qs = qs.filter(subject_id=subject_id)
    return qs.order_by("-seq")


def history_of(obj) -> QuerySet[AuditEvent]:
    """Every event about one model instance, oldest first (a workflow's history)."""
    meta = obj._meta
    return AuditEvent.objects.filter(
        subject_type=f"{meta.app_label}.{meta.model_name}", subject_id=str(obj.pk)
    ).order_by("seq")
