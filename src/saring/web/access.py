"""Role checks for views; the rules themselves live in saring.accounts.scope."""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from saring.accounts.models import Membership
from saring.accounts.scope import Scope, scope_for


def request_scope(request) -> Scope:
    scope = getattr(request, "_saring_scope", None)
    if scope is None:
        scope = request._saring_scope = scope_for(request.user)
    return scope


def require_role(role: str):
    """The user needs a membership with at least `role` (viewer < analyst < admin)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            scope = request_scope(request)
            if scope.role == "none":
                raise PermissionDenied(
                    _(
                        "Your account has no organisation yet. Ask an "
                        "administrator to add you to one."
                    )
                )
            if not scope.can(role):
                label = Membership.Role(role).label
                raise PermissionDenied(_("This page needs the %(role)s role.") % {"role": label})
            return view(request, *args, scope=scope, **kwargs)

        return wrapped

    return decorator


def safe_next(request, default: str) -> str:
    """The `next` field when it points inside this site, else `default` (no open redirects)."""
    from django.shortcuts import resolve_url
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)
