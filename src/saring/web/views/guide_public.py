"""The built public guide (SARING_GUIDE_DIR) at /panduan/, from Django.

`saring serve` has granian serve these files itself (a static mount: Django never sees the
request); this view is the fallback for every other way of running Saring: the test suite's
live server, `runserver`, gunicorn without a proxy in front. Same answers as the mount: the
file, `index.html` for a directory, 404 for anything missing, never a directory listing, no
login. Paths are checked before touching the disk: no `..`, no hidden names, nothing that
resolves outside the directory (a symlink pointing out of it included).
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path

from csp.constants import SELF
from csp.decorators import csp_update
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotModified,
    HttpResponsePermanentRedirect,
)
from django.urls import path as route
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

MAX_AGE_SECONDS = 60  # as granian's --static-path-expires in `saring serve`
# Types mimetypes may not know or guesses differently across systems.
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".atom": "application/atom+xml; charset=utf-8",
    ".ics": "text/calendar; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}


def guide_root() -> Path:
    return Path(settings.SARING_GUIDE_DIR)


def resolve(root: Path, relative: str) -> Path | None:
    """The file or directory `relative` names inside `root`, or None when the path is unsafe
    or names nothing. `relative` is the URL path after /panduan/, already percent-decoded."""
    if "\x00" in relative or "\\" in relative:
        return None
    parts = [p for p in relative.split("/") if p]
    if any(p.startswith(".") for p in parts):  # `..`, `.`, and hidden files of the build
        return None
    try:
        base = root.resolve(strict=True)
        found = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, unreadable, a symlink loop
        return None
    if found != base and not found.is_relative_to(base):
        return None
    return found


def _content_type(file: Path) -> str:
    known = TYPES.get(file.suffix.lower())
    if known:
        return known
    guessed, _encoding = mimetypes.guess_type(file.name)
    return guessed or "application/octet-stream"


def _file_response(request: HttpRequest, file: Path) -> HttpResponseBase:
    stat = file.stat()
    modified = http_date(stat.st_mtime)
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    if request.headers.get("If-None-Match") == etag or (
        "If-None-Match" not in request.headers
        and not was_modified_since(request.headers.get("If-Modified-Since"), stat.st_mtime)
    ):
        response: HttpResponseBase = HttpResponseNotModified()
    else:
        response = FileResponse(file.open("rb"), content_type=_content_type(file))
        response["Content-Length"] = str(stat.st_size)
    response["Last-Modified"] = modified
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    return response


# The site's search page runs Pagefind's WebAssembly; the built pages also carry their own
# CSP <meta>, and the browser applies both.
@csp_update({"script-src": [SELF, "'wasm-unsafe-eval'"]})
@login_not_required
@require_safe
def guide_file(request: HttpRequest, path: str = "") -> HttpResponseBase:
    found = resolve(guide_root(), path)
    if found is None:
        raise Http404("no such page in the public guide")
    if found.is_dir():
        if not request.path.endswith("/"):
            # Relative links in the built pages need the slash, as nginx would redirect.
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
        found = found / "index.html"
        if not found.is_file():
            raise Http404("no index page in this directory")
    elif not found.is_file() or not os.access(found, os.R_OK):
        raise Http404("no such page in the public guide")
    return _file_response(request, found)


def _no_slash(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(request.path + "/")


urlpatterns = [
    route("panduan", login_not_required(require_safe(_no_slash)), name="guide_public_bare"),
    route("panduan/", guide_file, name="guide_public"),
    route("panduan/<path:path>", guide_file, name="guide_public_file"),
]
