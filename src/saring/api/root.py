"""The /api/v1/ root: the composition root of the API.

This is the ONE kernel module that imports contexts: it mounts each context's `api` router
(`saring.<context>.api`) on one NinjaAPI. Every other module of `saring.api` (tokens, auth,
shared schemas, pagination) stays context-free, and the contexts import only those.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from saring.api.auth import BearerToken, Session
from saring.broadcasts.api import router as broadcasts_router
from saring.cases.api import router as cases_router
from saring.elections.api import router as elections_router
from saring.factcheck.api import router as factcheck_router
from saring.guide.api import router as guide_router
from saring.monitoring.api import router as monitoring_router
from saring.registry.api import router as registry_router

DESCRIPTION = """Read access to Saring for partners and scripts: posts (as the search page
finds them), narratives and clarifications, each within the caller's scope.

Authenticate with `Authorization: Bearer TOKEN` (a token from `saring api token create`) or,
from the browser, with your logged-in session. Lists are pages: `{"count": N, "results": […]}`
with `page` and `page_size` (default 50, at most 200). Errors are `{"detail": …}`.
Guide: docs/api.md."""

logger = logging.getLogger("saring.api")
api = NinjaAPI(
    title="Saring API",
    version="1",
    description=DESCRIPTION,
    auth=[BearerToken(), Session()],
    urls_namespace="api-v1",
)
api.add_router("/", monitoring_router)
api.add_router("/", factcheck_router)
api.add_router("/", elections_router)
api.add_router("/", registry_router)
api.add_router("/", cases_router)
api.add_router("/", guide_router)
api.add_router("/", broadcasts_router)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else _("Authentication required.")
    response = api.create_response(request, {"detail": message}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="saring"'
    return response


@api.exception_handler(Exception)
def internal_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback, answered in the API's error shape."""
    logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(
        request, {"detail": _("Internal error; it has been logged.")}, status=500
    )


def _not_found(request: HttpRequest, exc: Exception | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


api.add_exception_handler(Http404, _not_found)


@csrf_exempt
def _unknown_route(request: HttpRequest) -> HttpResponse:
    return _not_found(request)


def urls():
    """The API's URL patterns for `saring.urls`: every route answers JSON (an unknown one a
    JSON 404) and does its own authentication, so the site's login redirect skips them."""
    patterns, app_name, namespace = api.urls
    patterns = [*patterns, re_path(r"^.*$", _unknown_route, name="unknown")]
    for pattern in patterns:
        pattern.callback.login_required = False  # what django's login_not_required() sets
    return patterns, app_name, namespace
