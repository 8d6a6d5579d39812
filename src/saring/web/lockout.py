"""Login throttling: django-axes with one limit per account and a higher one per address.

Axes keeps failed logins in its `AccessAttempt` table (one row per username × address × user
agent, deleted once older than the cool-off) and asks one question: do the recent failures reach
the limit? Saring asks two, each with its own limit:

- failures for this account from any address (`SARING_LOGIN_FAILURE_LIMIT`): guessing one
  person's password from many machines;
- failures from this address for any accounts (`SARING_LOGIN_ADDRESS_FAILURE_LIMIT`, higher,
  because an office may share one address): trying many accounts from one machine.

So the handler tells axes how many of those limits are reached and `AXES_FAILURE_LIMIT` is 1.
A successful login forgives that account's failures from that address.
Attempts made while locked are refused without being counted, so a lockout ends exactly
`SARING_LOGIN_COOLOFF_MINUTES` after the failures that caused it and the page can say when.
Reaching a limit writes one audit event; the address is kept there only as a keyed hash.
"""

from __future__ import annotations

import hmac
import ipaddress
import math
from datetime import datetime

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.audit.actions import Action
from saring.audit.services import record

# Axes' names for what it counts, and the words the audit event uses for them.
LIMITS = {"username": "account", "ip_address": "address"}


def _limit(parameter: str) -> int:
    if parameter == "username":
        return settings.SARING_LOGIN_FAILURE_LIMIT
    if parameter == "ip_address":
        return settings.SARING_LOGIN_ADDRESS_FAILURE_LIMIT
    raise ValueError(f"AXES_LOCKOUT_PARAMETERS may name username and ip_address, not {parameter!r}")


def client_address(request: HttpRequest) -> str | None:
    """The address login failures are counted for (`AXES_CLIENT_IP_CALLABLE`).

    Behind a trusted proxy (`SARING_TRUST_PROXY_HEADERS`) every request comes from the proxy, so
    the client is the last entry of X-Forwarded-For: the one the proxy itself appended (entries
    before it are whatever the client sent)."""
    if settings.SARING_TRUST_PROXY_HEADERS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if _is_address(forwarded):
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _is_address(remote) else None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def address_hash(address: str | None) -> str:
    """A keyed hash of an address: equal for the same address, unreadable without the secret
    key (a plain hash of an IPv4 address is reversed by trying all four billion)."""
    if not address:
        return ""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, address.encode(), "sha256").hexdigest()[:16]


class LoginThrottle(AxesDatabaseHandler):
    """`AXES_HANDLER`: axes' database handler with a limit per lockout parameter."""

    def lock_ends(
        self, request: HttpRequest, credentials: dict | None = None
    ) -> dict[str, datetime]:
        """For each limit the recent failures reach ("username", "ip_address"), when it ends:
        the cool-off after the newest attempt needed to reach it (older ones expire first)."""
        cool_off = get_cool_off(request)
        parameters = get_lockout_parameters(request, credentials)
        ends: dict[str, datetime] = {}
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            limit, total = _limit(parameter), 0
            rows = attempts.order_by("-attempt_time").values_list(
                "attempt_time", "failures_since_start"
            )
            for attempt_time, failures in rows:
                total += failures
                if total >= limit:
                    ends[parameter] = attempt_time + cool_off
                    break
        return ends

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # Axes compares this number with AXES_FAILURE_LIMIT (1): the limits reached.
        return len(self.lock_ends(request, credentials))

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        # AXES_RESET_ON_SUCCESS: a login forgives this account's failures from this address
        # only. Axes would also clear the address's failures at other accounts, so one valid
        # account would wipe the count of its owner's guesses at everybody else's.
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        locked_before = bool(getattr(request, "axes_locked_out", False))
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is not None and request.axes_locked_out and not locked_before:
            _record_lockout(request, credentials, sorted(self.lock_ends(request, credentials)))


def _record_lockout(request: HttpRequest, credentials: dict, reached: list[str]) -> None:
    """One audit event when an account or address becomes locked. A username that is no
    account is not written down: it may be a password typed into the wrong field."""
    username = get_client_username(request, credentials) or ""
    user_model = get_user_model()
    user = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username}).first()
        if username
        else None
    )
    scope = Scope(role="none", username=user.get_username() if user is not None else "")
    record(
        scope,
        Action.LOGIN_LOCKED_OUT,
        user,
        subject_type="" if user is not None else "auth.user",
        to_state="locked",
        details={
            "account": "known" if user is not None else "unknown",
            "limits": [LIMITS[p] for p in reached],
            "cool_off_minutes": settings.SARING_LOGIN_COOLOFF_MINUTES,
            "address_hash": address_hash(request.axes_ip_address),
        },
    )


def minutes_left(request: HttpRequest, credentials: dict | None = None) -> int:
    """Whole minutes (rounded up, at least 1) until every lock on this login attempt ends."""
    handler = AxesProxyHandler.get_implementation()
    ends = handler.lock_ends(request, credentials) if isinstance(handler, LoginThrottle) else {}
    if not ends:
        return settings.SARING_LOGIN_COOLOFF_MINUTES
    seconds = (max(ends.values()) - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """`AXES_LOCKOUT_CALLABLE`: the login page again, saying how long to wait, as a 429."""
    context = dict(getattr(original_response, "context_data", None) or {})
    if "form" not in context:
        username = get_client_username(request, credentials) or ""
        context["form"] = AuthenticationForm(request, initial={"username": username})
    minutes = minutes_left(request, credentials)
    context["lockout_minutes"] = minutes
    response = render(request, "registration/login.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class TestClientBackend(AxesStandaloneBackend):
    """Test settings only. Django's test client logs in (`client.login`) without a request,
    which axes refuses outright; such a login has no address and is not throttled. Every real
    request is throttled exactly as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
