"""Reads of organisations and people, in terms of a scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from saring.accounts.models import Organisation
from saring.accounts.scope import Scope


def organisations_within(scope: Scope) -> QuerySet[Organisation]:
    """Organisations of the scope's region and the regions inside it, of its own kind (every
    kind for superusers): the people whose actions an admin of that scope may read."""
    qs = Organisation.objects.all()
    if scope.organisation_kind is not None:
        qs = qs.filter(kind=scope.organisation_kind)
    if scope.regency_code is not None:
        qs = qs.filter(regency_id=scope.regency_code)
    elif scope.province_code is not None:
        qs = qs.filter(Q(province_id=scope.province_code))
    return qs
