"""Who may see what: a user's region scope and role.

Rules (see docs/user-guide.md, "Access"):
- A user's scope is their organisation's region: national, one province, or one regency/city.
- Public posts are visible to everyone logged in; screens merely open on the user's own region,
  and any user can widen to national.
- Internal records (watchlists and their notes, the flags they raise, imports and quarantine)
  carry the region of the organisation that made them. A user sees records of their own region,
  of regions inside it, and of the regions above it (national, their province); never a
  sibling region's.
- Superusers are national admins. A logged-in user without a membership sees public pages only.
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

    @property
    def is_national(self) -> bool:
        return self.province_code is None

    def can(self, role: str) -> bool:
        """At least `role` (viewer < analyst < admin)."""
        return ROLE_RANK.get(self.role, 0) >= ROLE_RANK[role]

    def visible_q(self, prefix: str = "") -> Q:
        """Records whose `{prefix}province`/`{prefix}regency` region this scope may see."""
        province, regency = f"{prefix}province_id", f"{prefix}regency_id"
        if self.is_national:
            return Q()
        national = Q(**{f"{province}__isnull": True})
        if self.regency_code is None:
            return national | Q(**{province: self.province_code})
        provincial = Q(**{province: self.province_code, f"{regency}__isnull": True})
        return national | provincial | Q(**{regency: self.regency_code})

    def may_see(self, province_code: str | None, regency_code: str | None) -> bool:
        if self.is_national or province_code is None:
            return True
        if province_code != self.province_code:
            return False
        return self.regency_code is None or regency_code in (None, self.regency_code)

    def may_edit(self, province_code: str | None, regency_code: str | None) -> bool:
        """Admins edit records of their own region and below, never of the regions above."""
        if not self.can("admin"):
            return False
        if self.is_national:
            return True
        if province_code != self.province_code:
            return False
        return self.regency_code is None or regency_code == self.regency_code


NO_ACCESS = Scope(role="none", label="")


def scope_for(user) -> Scope:
    if not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    if user.is_superuser:
        return Scope(role="admin", label="Nasional")
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
    )
