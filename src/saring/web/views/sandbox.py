"""/developers/: the sandbox page for platforms (no login, no JavaScript needed).

What the public API and feeds are, example requests and the answers they get today: the
examples are the API's own answers, called in-process (saring.guide.publicdata.api_answer),
so the page cannot show a shape the API does not give.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from saring.guide.publicdata import api_answer
from saring.kernel.address import public_url

EXAMPLE_CHARS = 4000  # an example longer than this is cut (the page stays light on a phone)


@dataclass(frozen=True)
class Example:
    key: str
    title: str
    path: str
    query: str
    answer: str

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


def _pretty(body: bytes) -> str:
    text = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
    if len(text) > EXAMPLE_CHARS:
        text = text[:EXAMPLE_CHARS] + "\n…"
    return text


def examples() -> list[Example]:
    """One real answer per public list (one item each), in the order the guide explains them."""
    wanted = [
        ("elections", _("Elections and their timetable"), "/api/v1/elections", "page_size=1"),
        ("announcements", _("Announcements"), "/api/v1/announcements", "page_size=1"),
        ("pages", _("Guide pages"), "/api/v1/pages", "page_size=1"),
        ("faqs", _("Frequently asked questions"), "/api/v1/faqs", "page_size=1"),
        ("clarifications", _("Clarifications"), "/api/v1/clarifications", "page_size=1"),
    ]
    return [
        Example(key, title, url, query, _pretty(api_answer(url, query)))
        for key, title, url, query in wanted
    ]


@login_not_required
@require_safe
def developers(request: HttpRequest) -> HttpResponse:
    base = public_url()
    feeds = [
        ("announcements", _("Announcements (Atom)"), "/feeds/announcements.atom"),
        ("clarifications", _("Clarifications (Atom)"), "/feeds/clarifications.atom"),
        ("stages", _("Election stages (iCalendar)"), "/feeds/stages.ics"),
        ("stages-garut", _("Stages for Kabupaten Garut only"), "/feeds/stages.ics?region=32.05"),
    ]
    return render(
        request,
        "web/sandbox/developers.html",
        {"base": base, "examples": examples(), "feeds": feeds},
    )


urlpatterns = [path("developers/", developers, name="developers")]
