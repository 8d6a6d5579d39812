"""Who may see what: a user's region scope and role.

Rules (see docs/user-guide.md, "Access"):
- A user's scope is their organisation's region: national, one province, or one regency/city.
- Public posts are visible to everyone logged in; screens merely open on the user's own region,
  and any user can widen to national.
- Internal records (watchlists and their notes, the flags they raise, imports and quarantine,
  draft clarifications) carry the organisation, and so the region, that made them. A user sees
  records of their own region, of regions inside it, and of the regions above it (national,
  their province); never a sibling region's. Along that branch they see only records of their
  own kind of organisation (KPU Jabar reads KPU RI's and KPU Kota Bandung's records, never
  Bawaslu Jabar's); records with no organisation (the shipped defaults) are everyone's.
- Admins edit records of their own region and below, of their own kind of organisation; never
  of a region above theirs.
- Superusers are national admins of every kind. A logged-in user without a membership sees
  public pages only.
- A scope also says who acts (user id and name, organisation): every write service takes one,
  and the audit trail records it. Background jobs act as `SYSTEM`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

ROLE_RANK = {"viewer": 1, "analyst": 2, "admin": 3}


@dataclass(frozen=True, slots=True)
class Scope:
    province_code: str | None = None
    regency_code: str | None = None
    role: str = "viewer"
    organisation_id: int | None = None
    label: str = ""
    organisation_kind: str | None = None  # None: every kind (superusers, the system)
    organisation_name: str = ""
    user_id: int | None = None
    username: str = ""

    @property
    def is_national(self) -> bool:
        return self.province_code is None

    def can(self, role: str) -> bool:
        """At least `role` (viewer < analyst < admin)."""
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]

    def visible_q(self, prefix: str = "") -> Q:
        """Internal records (with `{prefix}province`, `{prefix}regency`, `{prefix}organisation`)
        this scope may see. Never an empty Q(): `Q(status="published") | scope.visible_q()` must
        keep its meaning for a national user."""
        province, regency = f"{prefix}province_id", f"{prefix}regency_id"
        if self.is_national:
            region = Q(**{f"{prefix}pk__isnull": False})
        else:
            region = Q(**{f"{province}__isnull": True})
            if self.regency_code is None:
                region |= Q(**{province: self.province_code})
            else:
                region |= Q(**{province: self.province_code, f"{regency}__isnull": True})
                region |= Q(**{regency: self.regency_code})
        if self.organisation_kind is None:
            return region
        same_kind = Q(**{f"{prefix}organisation__isnull": True}) | Q(
            **{f"{prefix}organisation__kind": self.organisation_kind}
        )
        return region & same_kind

    def may_see(
        self,
        province_code: str | None,
        regency_code: str | None,
        organisation_kind: str | None = None,
    ) -> bool:
        if not self._same_kind(organisation_kind):
            return False
        if self.is_national or province_code is None:
            return True
        if province_code != self.province_code:
            return False
        return self.regency_code is None or regency_code in (None, self.regency_code)

    def may_edit(
        self,
        province_code: str | None,
        regency_code: str | None,
        organisation_kind: str | None = None,
        *,
        role: str = "admin",
    ) -> bool:
        """At least `role`, on a record of this scope's region or below (never a region above)
        made by this scope's kind of organisation (or by nobody)."""
        if not self.can(role) or not self._same_kind(organisation_kind):
            return False
        if self.is_national:
            return True
        if province_code != self.province_code:
            return False
        return self.regency_code is None or regency_code == self.regency_code

    def sees_record(self, record) -> bool:
        """`may_see` for an internal record (a RegionScoped instance)."""
        return self.may_see(record.province_id, record.regency_id, _kind_of(record))

    def edits_record(self, record, role: str = "admin") -> bool:
        """`may_edit` for an internal record (a RegionScoped instance)."""
        return self.may_edit(record.province_id, record.regency_id, _kind_of(record), role=role)

    def _same_kind(self, organisation_kind: str | None) -> bool:
        return (
            self.organisation_kind is None
            or organisation_kind is None
            or organisation_kind == self.organisation_kind
        )


def _kind_of(record) -> str | None:
    organisation = record.organisation if record.organisation_id else None
    return organisation.kind if organisation is not None else None


NO_ACCESS = Scope(role="none", label="")
# Background jobs and management commands run without a person: a national admin of every
# kind, recorded as "system" in the audit trail.
SYSTEM = Scope(role="admin", label="Nasional", username="system")


class ScopeError(PermissionError):
    """A write the acting scope does not allow (wrong role, region or organisation)."""


def require(scope: Scope, allowed: bool, message: str) -> None:
    """Raise ScopeError(message) unless `allowed`; services call it before any write."""
    if not allowed:
        raise ScopeError(message)


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    if user.is_superuser:
        return Scope(role="admin", label="Nasional", user_id=user.pk, username=user.get_username())
    membership = getattr(user, "membership", None)
    if membership is None:
        return NO_ACCESS
    org = membership.organisation
    if org.regency_id:
        label = org.regency.name
    elif org.province_id:
        label = org.province.name
    else:
        label = "Nasional"
    return Scope(
        province_code=org.province_id,
        regency_code=org.regency_id,
        role=membership.role,
        organisation_id=org.id,
        label=label,
        organisation_kind=org.kind,
        organisation_name=org.name,
        user_id=user.pk,
        username=user.get_username(),
    )
