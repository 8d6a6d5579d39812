"""Writes and checks for API tokens: issue, revoke, authenticate.

Rules:
- A token is `srg_` + an 8-hex-digit prefix + a random 32-byte URL-safe secret. Only the SHA-256
  of the whole token is stored; the prefix finds the row, the hash is compared in constant time.
  The clear token exists once, in the `IssuedToken` that `issue_token` returns.
- A token belongs to one user and to the organisation that user is a member of when it is made
  (a superuser's token has none: national, every kind). It acts with that user's scope, and
  stops working when revoked, when the user is deactivated, or when the user's organisation is
  no longer the token's.
- Who may issue or revoke a user's tokens: the user; an admin whose scope may edit records of
  the user's organisation (same kind, same region or above); for a superuser's tokens, a
  national admin of every kind (a superuser, or a command acting as SYSTEM).
- Issuing and revoking append an audit event (API_TOKEN_CREATED / API_TOKEN_REVOKED) in the
  same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, require
from saring.api.models import ApiToken
from saring.audit.actions import Action
from saring.audit.services import record

TOKEN_START = "srg_"  # noqa: S105 - the visible start of every token, not a secret
TOKEN_SHAPE = re.compile(r"^srg_(?P<prefix>[0-9a-f]{8})[A-Za-z0-9_-]{43}$")
# A token's last use is written at most this often: one UPDATE per request would serialise
# every API call on SQLite's write lock.
LAST_USED_EVERY = timedelta(minutes=1)


class TokenIssueError(ValueError):
    """A token cannot be made for this user (inactive, or without an organisation)."""


class TokenRejected(Exception):
    """A presented token does not authenticate; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the clear token: shown once, never stored


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _organisation_of(user):
    membership = getattr(user, "membership", None)
    return membership.organisation if membership is not None else None


def _may_manage(scope: Scope, user) -> bool:
    if scope.user_id is not None and scope.user_id == user.pk:
        return True
    if not scope.can("admin"):
        return False
    organisation = _organisation_of(user)
    if user.is_superuser or organisation is None:
        return scope.is_national and scope.organisation_kind is None
    return scope.may_edit(organisation.province_id, organisation.regency_id, organisation.kind)


@transaction.atomic
def issue_token(scope: Scope, user, name: str = "") -> IssuedToken:
    """A new token for `user`, acting with the user's scope; recorded in the audit trail."""
    require(
        scope,
        _may_manage(scope, user),
        _("Your role or region does not allow managing this user's API tokens."),
    )
    if not user.is_active:
        raise TokenIssueError(_("%(user)s is deactivated.") % {"user": user.get_username()})
    organisation = _organisation_of(user)
    if organisation is None and not user.is_superuser:
        raise TokenIssueError(
            _("%(user)s belongs to no organisation; add a membership first.")
            % {"user": user.get_username()}
        )
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        secret = f"{TOKEN_START}{prefix}{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():  # a savepoint: a prefix collision retries cleanly
                token = ApiToken.objects.create(
                    user=user,
                    organisation=None if user.is_superuser else organisation,
                    name=name.strip()[:100],
                    prefix=prefix,
                    token_hash=hash_token(secret),
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 2^32 prefixes; five collisions in a row is a broken RNG
        raise RuntimeError("could not find a free token prefix")
    record(
        scope,
        Action.API_TOKEN_CREATED,
        token,
        to_state="active",
        details={
            "user": user.get_username(),
            "organisation": organisation.name if organisation and token.organisation_id else "",
            "prefix": prefix,
            "name": token.name,
        },
    )
    return IssuedToken(token, secret)


@transaction.atomic
def revoke_token(scope: Scope, token: ApiToken, reason: str = "") -> bool:
    """Revoke `token`; False if it was revoked already (nothing recorded then)."""
    require(
        scope,
        _may_manage(scope, token.user),
        _("Your role or region does not allow managing this user's API tokens."),
    )
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        scope,
        Action.API_TOKEN_REVOKED,
        token,
        from_state="active",
        to_state="revoked",
        reason=reason,
        details={"user": token.user.get_username(), "prefix": token.prefix},
    )
    return True


def authenticate(raw: str) -> ApiToken:
    """The active token `raw` is, with its user loaded; TokenRejected says why not."""
    match = TOKEN_SHAPE.match(raw.strip())
    if match is None:
        raise TokenRejected(
            "malformed", _("This is not a Saring API token (they start with “srg_”).")
        )
    token = (
        ApiToken.objects.select_related("user__membership__organisation")
        .filter(prefix=match["prefix"])
        .first()
    )
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw.strip())):
        raise TokenRejected("unknown", _("Unknown API token."))
    if token.revoked_at is not None:
        raise TokenRejected("revoked", _("This API token has been revoked."))
    user = token.user
    if not user.is_active:
        raise TokenRejected("inactive", _("The account of this API token is deactivated."))
    organisation = _organisation_of(user)
    current = None if user.is_superuser else (organisation.pk if organisation else None)
    if current != token.organisation_id or (current is None and not user.is_superuser):
        raise TokenRejected(
            "organisation",
            _("This API token was issued for another organisation; ask for a new one."),
        )
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
