"""The registry of legal bases: saved by national admins (audited), suggested at triage by the
harm category they usually fit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.models import LegalBasis

EDITABLE = (
    "code",
    "kind",
    "citation",
    "summary_id",
    "summary_en",
    "platform",
    "categories",
    "url",
    "is_active",
    "order",
)
KIND_ORDER = [LegalBasis.Kind.STATUTE, LegalBasis.Kind.REGULATION, LegalBasis.Kind.PLATFORM]


def may_edit(scope: Scope) -> bool:
    return scope.is_national and scope.can("admin")


def save_basis(scope: Scope, basis: LegalBasis | None = None, **fields: Any) -> LegalBasis:
    """Create or change a legal basis; the model's own checks apply (ValidationError)."""
    require(scope, may_edit(scope), _("Only national administrators edit the legal bases."))
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    created = basis is None or basis.pk is None
    basis = basis or LegalBasis()
    changed = sorted(name for name, value in fields.items() if getattr(basis, name) != value)
    for name, value in fields.items():
        setattr(basis, name, value)
    basis.categories = [str(code) for code in (basis.categories or [])]
    basis.full_clean()
    with transaction.atomic():
        basis.save()
        record(
            scope,
            Action.LEGAL_BASIS_SAVED,
            basis,
            details={"code": basis.code, "created": created, "changed": changed},
        )
    return basis


def suggested_bases(category: str, platform: str | None = None) -> list[LegalBasis]:
    """Active bases that usually fit `category`: statutes, then regulations, then the rules of
    `platform` (other platforms' rules are never suggested)."""
    rows = [
        basis
        for basis in LegalBasis.objects.filter(is_active=True)
        if category in (basis.categories or [])
        and (basis.kind != LegalBasis.Kind.PLATFORM or (platform and basis.platform == platform))
    ]
    return sorted(rows, key=lambda b: (KIND_ORDER.index(b.kind), b.order, b.code))


def grouped_choices(
    category: str, platforms: set[str] | None = None
) -> list[tuple[str, str, list[tuple[LegalBasis, bool]]]]:
    """For the triage form: (kind, label, [(basis, suggested)]) with the suggested ones first;
    platform rules only of the case's platforms."""
    platforms = platforms or set()
    suggested = {
        basis.pk
        for platform in (platforms or {None})
        for basis in suggested_bases(category, platform)
    }
    groups = []
    for kind in KIND_ORDER:
        rows = [
            basis
            for basis in LegalBasis.objects.filter(is_active=True, kind=kind)
            if kind != LegalBasis.Kind.PLATFORM or basis.platform in platforms
        ]
        rows.sort(key=lambda b: (b.pk not in suggested, b.order, b.code))
        if rows:
            groups.append((kind, str(kind.label), [(b, b.pk in suggested) for b in rows]))
    return groups
