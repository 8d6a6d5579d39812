"""/feeds/announcements.atom, /feeds/clarifications.atom, /feeds/stages.ics: public, no login.

The bytes come from the functions below, which the static build calls too
(saring.guide.publicdata.snapshot_files). Each output depends only on the data, never on the
clock (a feed's `updated` is its newest entry's), so an unchanged feed keeps its ETag and a
rebuilt site its files. `?region=32.05` (a province or a regency/city code) narrows a feed to
national items and that region's (a regency's province included).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

from saring.elections.models import Election, Stage
from saring.elections.timezones import zone_label
from saring.factcheck.models import Clarification
from saring.guide.models import Entry
from saring.guide.publicdata import clarification_url, entry_url, site_url
from saring.guide.querysets import for_region, public_entries
from saring.kernel.address import public_url
from saring.regions.models import Province, Regency

REGION = re.compile(r"[0-9]{2}(\.[0-9]{2})?")
FEED_LIMIT = 200  # newest items per Atom feed; the API's change feed has the full history
EMPTY_FEED_UPDATED = datetime(2024, 1, 1, tzinfo=UTC)  # a fixed stamp, so an empty feed is stable
ATOM = "application/atom+xml; charset=utf-8"
ICS = "text/calendar; charset=utf-8"


class UnknownRegion(LookupError):
    """A region code that names no province or regency/city."""


def check_region(code: str | None) -> str | None:
    """The code if it is a known province or regency/city (ValueError: not a code at all,
    UnknownRegion: no such region)."""
    if not code:
        return None
    if not REGION.fullmatch(code):
        raise ValueError(code)
    model = Regency if "." in code else Province
    if not model.objects.filter(pk=code).exists():
        raise UnknownRegion(code)
    return code


def _english() -> bool:
    return (translation.get_language() or "id").startswith("en")


def _feed(feed_id: str, title: str, self_path: str, alternate: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.author({"name": "Saring"})
    fg.link(href=f"{public_url()}{self_path}", rel="self", type="application/atom+xml")
    fg.link(href=alternate, rel="alternate", type="text/html")
    fg.language("en" if _english() else "id")
    return fg


def announcements_atom(region: str | None = None) -> bytes:
    """The announcements in force (national, or for `region`), newest first, in the active
    language (English text where the announcement has it)."""
    entries = public_entries(Entry.Kind.ANNOUNCEMENT)
    if region:
        entries = for_region(entries, region)
    rows = list(entries.order_by("-published_at", "-id")[:FEED_LIMIT])
    query = f"?region={region}" if region else ""
    fg = _feed(
        site_url(f"pengumuman/{query}"),
        _("Official election announcements"),
        f"/feeds/announcements.atom{query}",
        site_url("pengumuman/"),
    )
    fg.subtitle(_("Notices of KPU and Bawaslu: quiet period, re-votes, moved polling days."))
    english = _english()
    notices = dict(Entry.Notice.choices)
    for entry in rows:
        live = entry.live
        fe = fg.add_entry(order="append")
        url = entry_url(entry)
        fe.id(url)
        fe.title((english and live.title_en) or live.title_id)
        fe.link(href=url, rel="alternate", type="text/html")
        fe.content((english and live.body_en) or live.body_id, type="html")
        fe.updated(entry.updated_at)
        fe.published(entry.published_at or entry.updated_at)
        notice = entry.notice or Entry.Notice.GENERAL
        fe.category(term=notice, label=str(notices.get(notice, notice)))
        if entry.regency_id:
            fe.category(term=f"region:{entry.regency_id}", label=entry.regency.name)
        elif entry.province_id:
            fe.category(term=f"region:{entry.province_id}", label=entry.province.name)
    fg.updated(max((e.updated_at for e in rows), default=EMPTY_FEED_UPDATED))
    return fg.atom_str(pretty=True)


def clarifications_atom() -> bytes:
    """Published clarifications, newest first: the verdict, the headline, the explanation, a
    link to the Cek fakta page and to the original review."""
    rows = list(
        Clarification.objects.filter(status="published")
        .select_related("claim")
        .order_by("-published_at", "-id")[:FEED_LIMIT]
    )
    fg = _feed(
        site_url("cek-fakta/"),
        _("Fact checks: clarifications of election claims"),
        "/feeds/clarifications.atom",
        site_url("cek-fakta/"),
    )
    for c in rows:
        fe = fg.add_entry(order="append")
        url = clarification_url(c.pk)
        fe.id(url)
        fe.title(f"[{c.verdict_label or c.verdict}] {c.headline}")
        # One link only: feedgen 1.0 writes an entry link's href alone, which Atom reads as
        # rel="alternate"; the original review's address goes into the text instead.
        fe.link(href=url, rel="alternate", type="text/html")
        fe.summary(c.claim.text)
        text = "\n\n".join(part for part in (c.explanation, c.url) if part)
        if text:
            fe.content(text, type="text")
        fe.updated(c.updated_at)
        fe.published(c.published_at or c.updated_at)
        fe.category(term=c.verdict, label=c.verdict_label or c.verdict)
        if c.publisher:
            fe.author({"name": c.publisher})
    fg.updated(max((c.updated_at for c in rows), default=EMPTY_FEED_UPDATED))
    return fg.atom_str(pretty=True)


_ics_cache: OrderedDict[tuple, bytes] = OrderedDict()
_ics_lock = threading.Lock()
ICS_CACHE_SIZE = 64  # calendars kept (one per region asked and language)


def _calendar_fingerprint() -> tuple:
    """Changes whenever an election or a stage does (a stage edit saves its election)."""
    elections = Election.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    stages = Stage.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (elections["n"], elections["last"], stages["n"], stages["last"])


def stages_ics(region: str | None = None) -> bytes:
    """`render_stages_ics`, kept in memory until the calendar changes: the whole country's is
    ~1 MB and takes seconds to render, while it changes a few times a year."""
    key = (region, translation.get_language(), public_url(), _calendar_fingerprint())
    with _ics_lock:
        held = _ics_cache.get(key)
        if held is not None:
            _ics_cache.move_to_end(key)
            return held
    rendered = render_stages_ics(region)
    with _ics_lock:
        _ics_cache[key] = rendered
        while len(_ics_cache) > ICS_CACHE_SIZE:
            _ics_cache.popitem(last=False)
    return rendered


def render_stages_ics(region: str | None = None) -> bytes:
    """Every stage of every election (or of national elections and `region`'s) as an all-day
    event: UID `<election id>.<stage kind>@saring` stays the same when the dates move, so a
    subscribed calendar updates the event rather than adding one."""
    stages = Stage.objects.select_related("election").order_by(
        "election__voting_day", "election_id", "starts_on", "kind"
    )
    if region:
        stages = stages.filter(election__in=for_region(Election.objects.all(), region).values("pk"))
    calendar = Calendar()
    calendar.add("prodid", "-//Saring//Tahapan Pemilu//ID")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Election stages"))
    calendar.add("x-wr-timezone", "Asia/Jakarta")
    labels = dict(Stage.Kind.choices)
    url = site_url("kalender/")
    for stage in stages:
        election = stage.election
        event = Event()
        event.add("uid", f"{election.pk}.{stage.kind}@saring")
        event.add("summary", f"{labels[stage.kind]}: {election.name}")
        event.add("dtstart", stage.starts_on)
        event.add("dtend", stage.ends_on + timedelta(days=1))  # DTEND of a day is exclusive
        event.add("dtstamp", election.updated_at.astimezone(UTC))
        event.add("last-modified", election.updated_at.astimezone(UTC))
        event.add("transp", "TRANSPARENT")
        event.add("categories", [stage.kind])
        event.add("url", url)
        zone = zone_label(election.province_id)
        note = _("Dates are local days (%(zone)s).") % {"zone": zone}
        if election.legal_basis:
            note = f"{note} {election.legal_basis}"
        event.add("description", note)
        calendar.add_component(event)
    return calendar.to_ical()


# --- views -------------------------------------------------------------------------------


def _region_or_error(request: HttpRequest) -> tuple[str | None, HttpResponse | None]:
    raw = request.GET.get("region") or None
    try:
        return check_region(raw), None
    except ValueError:
        message = _("`region` must be a province code such as 32 or a regency code such as 32.05.")
        return None, HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    except UnknownRegion:
        message = _("There is no region with the code %(code)s.") % {"code": raw}
        return None, HttpResponse(message, status=404, content_type="text/plain; charset=utf-8")


@login_not_required
@require_safe
def announcements_view(request: HttpRequest) -> HttpResponse:
    region, error = _region_or_error(request)
    return error or HttpResponse(announcements_atom(region), content_type=ATOM)


@login_not_required
@require_safe
def clarifications_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(clarifications_atom(), content_type=ATOM)


@login_not_required
@require_safe
def stages_view(request: HttpRequest) -> HttpResponse:
    region, error = _region_or_error(request)
    return error or HttpResponse(stages_ics(region), content_type=ICS)


app_name = "feeds"
urlpatterns = [
    path("announcements.atom", announcements_view, name="announcements"),
    path("clarifications.atom", clarifications_view, name="clarifications"),
    path("stages.ics", stages_view, name="stages"),
]
