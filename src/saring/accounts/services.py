"""Writes for organisations and memberships (used by `saring demo` and the admin)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from saring.accounts.models import Membership, Organisation


@transaction.atomic
def ensure_organisation(
    name: str, kind: str, province_code: str | None = None, regency_code: str | None = None
) -> Organisation:
    org, _ = Organisation.objects.update_or_create(
        name=name,
        defaults={"kind": kind, "province_id": province_code, "regency_id": regency_code},
    )
    return org


@transaction.atomic
def ensure_member(
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    *,
    superuser: bool = False,
    email: str = "",
):
    """Create or reset a user with the given password and membership (demo and first setup)."""
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username, defaults={"email": email})
    user.set_password(password)
    user.is_staff = superuser or role == Membership.Role.ADMIN
    user.is_superuser = superuser
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    return user
