"""Writes to the harm taxonomy: one national list every context reads, so only national
administrators change it, and every change is in the audit trail."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.taxonomy.models import HarmCategory


def may_edit(scope: Scope) -> bool:
    return scope.is_national and scope.can("admin")


def save_category(scope: Scope, category: HarmCategory, changed: list[str] | None = None) -> None:
    """Save a new or edited category as `scope`'s user (the admin form calls this)."""
    require(scope, may_edit(scope), _("Only national administrators change the harm taxonomy."))
    with transaction.atomic():
        category.save()
        record(scope, Action.HARM_CATEGORY_SAVED, category, details={"changed": changed or []})


def delete_category(scope: Scope, category: HarmCategory) -> None:
    require(scope, may_edit(scope), _("Only national administrators change the harm taxonomy."))
    with transaction.atomic():
        record(scope, Action.HARM_CATEGORY_DELETED, category, details={"code": category.code})
        category.delete()
