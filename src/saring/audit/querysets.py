"""Reads of the audit trail (the admin page, the API)."""

from __future__ import annotations

from django.db.models import QuerySet

from saring.audit.models import AuditEvent


def events(
    *, actor: str = "", action: str = "", subject_type: str = "", subject_id: str = ""
) -> QuerySet[AuditEvent]:
    """Newest first, filtered by person (username), action and subject."""
    qs = AuditEvent.objects.all()
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
