"""The public data of the guide: the API's items and change feed, and the static snapshots.

One set of functions answers both `/api/v1/announcements|pages|faqs` (saring.guide.api) and the
files the static build writes (`snapshot_files`), so a platform reading the snapshot and one
calling the API get the same JSON.

Change feed (`?since=CURSOR`, saring.api.cursors): rows are entries that were ever published,
in (updated_at, id) order; an entry that is public now is a result, one withdrawn or out of its
validity window is `removed`. A validity window that opens or closes does not save the entry,
so the feed stamps such entries first (`stamp_window_edges`): a platform polling sees an
announcement appear when its `valid_from` passes and disappear when its `valid_until` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from saring.api import cursors
from saring.api.schemas import region_of
from saring.guide.models import Entry
from saring.guide.querysets import feed_entries, for_region, public_entries
from saring.kernel.address import public_url

# Where each kind lives on the public site (served at /panduan/; the site helper's paths).
SITE_PATHS = {
    Entry.Kind.ANNOUNCEMENT: "pengumuman/{slug}/",
    Entry.Kind.PAGE: "halaman/{slug}/",
    Entry.Kind.FAQ: "tanya-jawab/#{slug}",
}
# The API's list names per kind (`/api/v1/<name>`), and the snapshot files.
LIST_NAMES = {
    Entry.Kind.ANNOUNCEMENT: "announcements",
    Entry.Kind.PAGE: "pages",
    Entry.Kind.FAQ: "faqs",
}


def site_url(path: str) -> str:
    """The absolute address of a page of the public guide (`path` relative to /panduan/)."""
    return f"{public_url()}/panduan/{path.lstrip('/')}"


def entry_url(entry: Entry) -> str:
    return site_url(SITE_PATHS[entry.kind].format(slug=entry.slug))


def clarification_url(pk: int) -> str:
    return site_url(f"cek-fakta/{pk}/")


# --- items -------------------------------------------------------------------------------


def _text(indonesian: str, english: str) -> dict[str, str | None]:
    return {"id": indonesian, "en": english or None}


def entry_item(entry: Entry) -> dict[str, Any]:
    """One entry as the API shows it (select_related live, province, regency)."""
    live = entry.live
    item: dict[str, Any] = {
        "id": entry.pk,
        "slug": entry.slug,
        "title": _text(live.title_id, live.title_en),
        "body": _text(live.body_id, live.body_en),  # sanitised on every save (guide.sanitize)
        "region": region_of(entry),
        "election": entry.election_id,
        "valid_from": live.valid_from,
        "valid_until": live.valid_until,
        "published_at": entry.published_at,
        "updated_at": entry.updated_at,
        "version": live.number,
        "url": entry_url(entry),
    }
    if entry.kind == Entry.Kind.ANNOUNCEMENT:
        item["notice"] = entry.notice or Entry.Notice.GENERAL
    else:
        item["topic"] = entry.topic or Entry.Topic.OTHER
        item["position"] = entry.position
    return item


def is_public_now(entry: Entry, at: datetime | None = None) -> bool:
    """The same rule as querysets.public_entries, for one row already loaded."""
    at = at or timezone.now()
    live = entry.live if entry.live_id else None
    return (
        entry.status == Entry.Status.PUBLISHED
        and live is not None
        and (live.valid_from is None or live.valid_from <= at)
        and (live.valid_until is None or live.valid_until > at)
    )


# --- lists and the change feed ---------------------------------------------------------


def stamp_window_edges(at: datetime | None = None) -> int:
    """Save (`updated_at` = now) published entries whose validity opened or closed after their
    last change, so the change feed carries them; returns how many. Idempotent: once stamped,
    an entry's `updated_at` is past the edge."""
    at = at or timezone.now()
    edges = Q(live__valid_from__gt=F("updated_at"), live__valid_from__lte=at) | Q(
        live__valid_until__gt=F("updated_at"), live__valid_until__lte=at
    )
    due = Entry.objects.filter(status=Entry.Status.PUBLISHED, live__isnull=False).filter(edges)
    pks = list(due.values_list("pk", flat=True))
    if not pks:
        return 0
    return Entry.objects.filter(pk__in=pks).update(updated_at=at)


def _filtered(
    entries: QuerySet[Entry], *, region: str | None, topic: str | None, notice: str | None
) -> QuerySet[Entry]:
    if region:
        entries = for_region(entries, region)
    if topic:
        entries = entries.filter(topic=topic)
    if notice:
        entries = entries.filter(notice=notice)
    return entries


def entry_page(
    kind: str,
    *,
    since: str | None = None,
    page: int = 1,
    page_size: int = 50,
    region: str | None = None,
    topic: str | None = None,
    notice: str | None = None,
) -> dict[str, Any]:
    """`{"count", "results", "next", "removed"}` of one kind (CursorError: a bad `since`).

    Without `since`: the entries in force now, newest first, one page; `next` is the cursor of
    the newest change of the whole list (poll from it). With `since`: what changed after it in
    feed order (`page_size` rows), `next` the cursor after the last, `removed` the ids among
    them that are not public any more; `count` is how many changes there are from `since`."""
    filters = {"region": region, "topic": topic, "notice": notice}
    feed = _filtered(feed_entries(kind), **filters)
    if since is None:
        current = _filtered(public_entries(kind), **filters).order_by("-published_at", "-id")
        start = (page - 1) * page_size
        rows = list(current[start : start + page_size])
        return {
            "count": current.count(),
            "results": [entry_item(e) for e in rows],
            "next": cursors.latest(feed),
            "removed": [],
        }
    cursors.decode(since)  # a bad cursor is refused before anything is written
    stamp_window_edges()
    rows, cursor, count = cursors.changes_since(feed, since, page_size)
    now = timezone.now()
    return {
        "count": count,
        "results": [entry_item(e) for e in rows if is_public_now(e, now)],
        "next": cursor,
        "removed": [e.pk for e in rows if not is_public_now(e, now)],
    }


def public_entry(kind: str, slug: str) -> Entry | None:
    return public_entries(kind).filter(slug=slug).first()


# --- the static snapshots ------------------------------------------------------------------

SNAPSHOT_LISTS = ("elections", "announcements", "pages", "faqs", "clarifications")


def api_answer(path: str, query: str = "") -> bytes:
    """The body the public API answers at `path` (`query`: a query string) for a caller
    without credentials: the API's own view, called in-process (no HTTP), so a snapshot or an
    example cannot drift from the API."""
    from io import BytesIO

    from django.contrib.auth.models import AnonymousUser
    from django.core.handlers.wsgi import WSGIRequest
    from django.urls import resolve

    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(b""),
        }
    )
    request.user = AnonymousUser()
    match = resolve(path)
    response = match.func(request, *match.args, **match.kwargs)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:200]!r}")
    return response.content


def snapshot_files() -> dict[str, bytes]:
    """What the static build writes besides the HTML (relative path → bytes): the first page of
    each public list with no filters, as the API answers it, and the three feeds."""
    from django.utils import translation

    from saring.guide import feeds

    files: dict[str, bytes] = {}
    with translation.override("id"):
        for name in SNAPSHOT_LISTS:
            files[f"api/v1/{name}.json"] = api_answer(f"/api/v1/{name}")
        files["feeds/announcements.atom"] = feeds.announcements_atom()
        files["feeds/clarifications.atom"] = feeds.clarifications_atom()
        files["feeds/stages.ics"] = feeds.stages_ics()
    return files
