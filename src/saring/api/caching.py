"""HTTP caching and deprecation headers for what platforms poll: /api/v1/ and /feeds/.

- HEAD is answered as a GET without its body (the API's routes are declared GET only).
- Every GET/HEAD answer gets a strong ETag (a hash of its body); a request whose
  If-None-Match holds it is answered 304 with no body.
- Cache-Control: `public, max-age=60` for a caller without credentials (a CDN or a platform's
  cache may share the answer), `private, no-store` for a token or session (their answers hold
  their scope's drafts). Errors are `no-store` for everyone.
- `Vary: Authorization, Cookie, Accept-Language`: the answer depends on who asks and in which
  language (labels of stages, the feeds' texts).
- Answers to callers without credentials are kept per process for
  settings.SARING_PUBLIC_CACHE_SECONDS (by path, query and language), so a voting-day crowd
  hitting the live API costs one render per few seconds; `invalidate()` (called on every
  publication) clears this process's copies.
- Deprecations (settings.SARING_API_DEPRECATIONS, a mapping of path prefix to
  {"date", "sunset", "link"}): a matching path gets `Deprecation: @<unix time>` (RFC 9745),
  `Sunset: <HTTP date>` (RFC 8594) and `Link: <link>; rel="deprecation"`. The policy
  (docs/platforms.md) gives at least six months between the two dates; a shorter notice is a
  configuration error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_etags

CACHED_PREFIXES = ("/api/v1/", "/feeds/")
PUBLIC_CACHE = "public, max-age=60"
PRIVATE_CACHE = "private, no-store"
VARY = ("Authorization", "Cookie", "Accept-Language")
MIN_NOTICE = timedelta(days=183)  # six months between Deprecation and Sunset
# Headers a 304 repeats (RFC 9110 §15.4.5).
NOT_MODIFIED_KEEPS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")


@dataclass(frozen=True)
class Deprecation:
    prefix: str
    deprecated: datetime
    sunset: datetime
    link: str

    def headers(self) -> dict[str, str]:
        return {
            "Deprecation": f"@{int(self.deprecated.timestamp())}",
            "Sunset": http_date(self.sunset.timestamp()),
            "Link": f'<{self.link}>; rel="deprecation"; type="text/html"',
        }


def _moment(value: object, name: str) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise ImproperlyConfigured(
                f"SARING_API_DEPRECATIONS: {name} {value!r} is not an ISO date"
            ) from None
    else:
        raise ImproperlyConfigured(f"SARING_API_DEPRECATIONS: {name} is missing")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def deprecations(configured: dict | None = None) -> list[Deprecation]:
    """The configured deprecations, longest prefix first (ImproperlyConfigured when one lacks
    a date, a sunset or a link, or gives less than six months' notice)."""
    if configured is None:
        configured = getattr(settings, "SARING_API_DEPRECATIONS", None) or {}
    found = []
    for prefix, spec in configured.items():
        if not str(prefix).startswith("/"):
            raise ImproperlyConfigured(f"SARING_API_DEPRECATIONS: {prefix!r} is not a path")
        spec = spec or {}
        deprecated = _moment(spec.get("date"), f"{prefix} date")
        sunset = _moment(spec.get("sunset"), f"{prefix} sunset")
        link = str(spec.get("link") or "")
        if not link:
            raise ImproperlyConfigured(f"SARING_API_DEPRECATIONS: {prefix} needs a link")
        if sunset - deprecated < MIN_NOTICE:
            raise ImproperlyConfigured(
                f"SARING_API_DEPRECATIONS: {prefix} gives less than six months between its "
                "date and its sunset (the deprecation policy's notice period)"
            )
        found.append(Deprecation(str(prefix), deprecated, sunset, link))
    return sorted(found, key=lambda d: len(d.prefix), reverse=True)


def deprecation_for(path: str) -> Deprecation | None:
    return next((d for d in deprecations() if path.startswith(d.prefix)), None)


def strong_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ is ignored."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == wanted for tag in parse_etags(if_none_match))


def invalidate() -> None:
    """Forget this process's kept public answers (after a publication commits)."""
    caches["public_api"].clear()


def _kept_key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", "")
    return hashlib.sha256(f"{language}|{request.get_full_path()}".encode()).hexdigest()


def _anonymous(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return "Authorization" not in request.headers and not getattr(user, "is_authenticated", False)


class ApiCachingMiddleware:
    """ETag, 304, Cache-Control and Vary on /api/v1/ and /feeds/; deprecation headers on
    any configured prefix. Sits after AuthenticationMiddleware (it reads request.user)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        deprecations()  # a bad SARING_API_DEPRECATIONS stops the start, not a request

    def __call__(self, request: HttpRequest) -> HttpResponse:
        head = request.method == "HEAD" and request.path.startswith(CACHED_PREFIXES)
        if head:
            request.method = "GET"  # the API's routes are GET only; HEAD is GET without a body
        response = self._answer(request)
        if head:
            request.method = "HEAD"
            if not response.streaming:
                length = str(len(response.content))
                response.content = b""
                response["Content-Length"] = length  # what a GET would send
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        response = self._kept_or_fresh(request)
        deprecation = deprecation_for(request.path)
        if deprecation is not None:
            for name, value in deprecation.headers().items():
                response[name] = value
        if request.method not in {"GET", "HEAD"} or not request.path.startswith(CACHED_PREFIXES):
            return response
        patch_vary_headers(response, VARY)
        if response.status_code != 200 or response.streaming:
            response["Cache-Control"] = "no-store" if _anonymous(request) else PRIVATE_CACHE
            return response
        response["Cache-Control"] = PUBLIC_CACHE if _anonymous(request) else PRIVATE_CACHE
        etag = strong_etag(response.content)
        response["ETag"] = etag
        if _matches(request.headers.get("If-None-Match", ""), etag):
            return self._not_modified(response)
        return response

    def _kept_or_fresh(self, request: HttpRequest) -> HttpResponse:
        seconds = getattr(settings, "SARING_PUBLIC_CACHE_SECONDS", 0)
        keep = (
            seconds > 0
            and request.method == "GET"
            and request.path.startswith(CACHED_PREFIXES)
            and _anonymous(request)
        )
        if not keep:
            return self.get_response(request)
        kept = caches["public_api"].get(key := _kept_key(request))
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = self.get_response(request)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            caches["public_api"].set(key, (response.content, response["Content-Type"]), seconds)
        return response

    @staticmethod
    def _not_modified(response: HttpResponse) -> HttpResponse:
        answer = HttpResponseNotModified()
        for name in (*NOT_MODIFIED_KEEPS, "Deprecation", "Sunset", "Link"):
            if name in response:
                answer[name] = response[name]
        for cookie in response.cookies.values():
            answer.cookies[cookie.key] = cookie
        return answer
