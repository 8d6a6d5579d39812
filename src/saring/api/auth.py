"""Who calls /api/v1/: a bearer token (partners, scripts) or the browser session (the UI).

Either way the request gets a `Caller` (`request.auth`) whose `scope` every endpoint reads
through `caller_scope(request)`; the rules of what a scope sees stay in the contexts' querysets.
A request that presents an `Authorization` header is judged by it alone: a bad token is a 401
even when a session cookie rides along.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from saring.accounts.scope import NO_ACCESS, Scope, scope_for
from saring.api import services
from saring.api.models import ApiToken


@dataclass(frozen=True)
class Caller:
    user: object
    scope: Scope
    token: ApiToken | None = None  # None: the browser session
    public: bool = False  # no credentials: published content only (the public routes)


def _caller(user, token: ApiToken | None = None) -> Caller:
    scope = scope_for(user)
    if scope.role == "none":
        raise HttpError(
            403,
            _("Your account has no organisation yet. Ask an administrator to add you to one."),
        )
    return Caller(user=user, scope=scope, token=token)


class BearerToken(HttpBearer):
    """`Authorization: Bearer srg_…`: an API token (see saring.api.services)."""

    def __call__(self, request: HttpRequest) -> Caller | None:
        header = request.headers.get(self.header)
        if header is None:
            return None  # no header: let the session speak
        scheme, _space, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError(message=_("The Authorization header must be “Bearer TOKEN”."))
        return self.authenticate(request, raw)

    def authenticate(self, request: HttpRequest, token: str) -> Caller:
        try:
            found = services.authenticate(token)
        except services.TokenRejected as rejected:
            raise AuthenticationError(message=rejected.message) from None
        request.user = found.user  # logs and any later check see who called
        return _caller(found.user, found)


class Session(SessionAuth):
    """The logged-in UI user (Django's session cookie); unsafe methods need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Caller | None:
        if request.user.is_authenticated:
            return _caller(request.user)
        return None


def caller_scope(request: HttpRequest) -> Scope:
    """The scope the request acts with (set by the API's authentication)."""
    return request.auth.scope


class Anonymous:
    """No credentials at all: a public caller (platforms embedding the guide, voters). Only
    routes that list it read published content for it; a request with an Authorization
    header is judged by that header alone (a bad token stays a 401)."""

    def __call__(self, request: HttpRequest) -> Caller | None:
        if request.headers.get("Authorization") is not None:
            return None
        return Caller(user=request.user, scope=NO_ACCESS, public=True)


# The `auth` of a public read: a token or session widens what the caller sees (drafts of
# their own region); without either, the published content.
PUBLIC_READ = [BearerToken(), Session(), Anonymous()]
# `openapi_extra=` of such a route: ninja appends it to the route's schemes, so the document
# says "a token, a session, or nothing" (`{}` is OpenAPI's "no credentials needed").
PUBLIC_OPENAPI = {"security": [{}]}


def is_public(request: HttpRequest) -> bool:
    """True when the caller presented no credentials (see `Anonymous`)."""
    return bool(getattr(request.auth, "public", False))
