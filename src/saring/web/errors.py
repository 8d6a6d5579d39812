"""Error pages in the reader's language: 403 (a permission refused, also a ScopeError a service
raised and no view caught), 404 and 500, on the site's own layout."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from saring.accounts.scope import ScopeError

logger = logging.getLogger("saring.web")


@requires_csrf_token
def permission_denied(request, exception=None, template_name: str = "403.html") -> HttpResponse:
    """`handler403`: the styled page, with the reason the check gave (already translated)."""
    reason = str(exception) if exception is not None and str(exception) else ""
    template = loader.get_template(template_name)
    return HttpResponseForbidden(template.render({"reason": reason}, request))


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: a refused form (an expired page, another site's form) on the same
    page; the technical reason goes to the log, not to the reader."""
    logger.warning("CSRF refused %s %s: %s", request.method, request.path, reason)
    return permission_denied(
        request,
        PermissionDenied(
            _(
                "The form could not be accepted: the page was open too long or came from "
                "another site. Reload the page and try again."
            )
        ),
    )


class ScopeErrorMiddleware:
    """A ScopeError that reached the top of a view is a refusal, not a crash: it answers 403 with
    the page above, not a 500. (Views that want to stay on their page catch it themselves.)"""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ScopeError):
            logger.info("refused %s %s: %s", request.method, request.path, exception)
            return permission_denied(request, PermissionDenied(str(exception)))
        return None
