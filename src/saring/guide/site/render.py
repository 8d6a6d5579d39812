"""Render the public guide to static files: Indonesian at the root, English under en/ with the
same paths. Every link is relative (a `root` prefix per page), so the directory works under
/panduan/ on Saring, at a CDN's root, or from disk.

The data is read once (`SiteData`) and every page is rendered from it, in each language with
`translation.override`, so a build of ~1,200 pages takes seconds.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from saring.elections.models import Election, Stage
from saring.elections.querysets import stages_in_order
from saring.elections.timezones import zone_for
from saring.factcheck.models import Clarification
from saring.factcheck.querysets import reach
from saring.factcheck.services import claimreview_document
from saring.guide.models import Entry
from saring.guide.querysets import for_region, public_entries
from saring.kernel.address import public_url
from saring.regions.models import Province, Regency

LANGUAGES = ("id", "en")
PER_PAGE = 50  # clarifications per list page (/cek-fakta/, /cek-fakta/halaman/2/, …)
STATIC = Path(__file__).resolve().parent.parent / "static" / "guide"
# As a <meta>: frame-ancestors only works as a header (the server sends that one).
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'"
)


def region_path(code: str) -> str:
    """ "32" → "32", "32.05" → "32-05" (a dot in a directory name confuses some servers)."""
    return code.replace(".", "-")


# --- the data, read once ---------------------------------------------------------------------


@dataclass
class StageRow:
    kind: str
    label: str
    starts: date
    ends: date
    is_current: bool = False


def _stage_rows(election: Election) -> list[StageRow]:
    labels = dict(Stage.Kind.choices)
    return [
        StageRow(s.kind, str(labels[s.kind]), s.starts_on, s.ends_on) for s in election.stages.all()
    ]


def stage_status(stages: list[StageRow], voting_day: date | None, today: date) -> dict[str, Any]:
    """The current stage (the latest started that has not ended; on a tie, the shortest), the
    next one, and the days left: computed at build time and written as text."""
    running = [s for s in stages if s.starts <= today <= s.ends]
    current = max(running, key=lambda s: (s.starts, -s.ends.toordinal()), default=None)
    upcoming = [s for s in stages if s.starts > today]
    nxt = min(upcoming, key=lambda s: s.starts, default=None)
    status: dict[str, Any] = {"current": None, "next": None, "voting_day": voting_day}
    if current:
        status["current"] = {
            "label": current.label,
            "kind": current.kind,
            "starts": current.starts,
            "ends": current.ends,
            "days_left": (current.ends - today).days,
        }
    elif nxt:
        status["next"] = {
            "label": nxt.label,
            "kind": nxt.kind,
            "starts": nxt.starts,
            "days_to": (nxt.starts - today).days,
        }
    status["days_to_vote"] = (
        (voting_day - today).days if voting_day and voting_day >= today else None
    )
    return status


@dataclass
class SiteData:
    """Everything the pages show, read in a few queries (labels re-read per language)."""

    now: datetime
    provinces: list[Province]
    regencies: dict[str, list[Regency]]
    elections: list[Election]
    entries: list[Entry]
    region_entries: dict[str, set[int]]  # region code → ids of entries that apply there
    clarifications: list[Clarification]
    reach: dict[int, dict[str, int]]
    report_url: str

    @classmethod
    def load(cls, now: datetime | None = None, provinces_only: list[str] | None = None) -> SiteData:
        """`provinces_only`: region pages for these provinces alone (quick previews and tests;
        a build always renders all 38)."""
        now = now or timezone.now()
        province_rows = Province.objects.order_by("code")
        regency_rows = Regency.objects.order_by("code")
        if provinces_only is not None:
            province_rows = province_rows.filter(code__in=provinces_only)
            regency_rows = regency_rows.filter(province_id__in=provinces_only)
        provinces = list(province_rows)
        regencies: dict[str, list[Regency]] = defaultdict(list)
        for regency in regency_rows:
            regencies[regency.province_id].append(regency)
        elections = list(
            Election.objects.prefetch_related(stages_in_order()).order_by("voting_day", "id")
        )
        entries = list(public_entries(at=now).order_by("kind", "position", "slug"))
        # guide.querysets.for_region decides what applies where; one query per region.
        public = public_entries(at=now)
        region_entries: dict[str, set[int]] = {}
        for code in [p.code for p in provinces] + [r.code for rs in regencies.values() for r in rs]:
            region_entries[code] = set(for_region(public, code).values_list("id", flat=True))
        region_entries[""] = set(for_region(public, None).values_list("id", flat=True))
        clarifications = list(
            Clarification.objects.filter(status=Clarification.Status.PUBLISHED)
            .select_related("claim")
            .order_by("-published_at", "-created_at", "-id")
        )
        base = public_url()
        return cls(
            now=now,
            provinces=provinces,
            regencies=dict(regencies),
            elections=elections,
            entries=entries,
            region_entries=region_entries,
            clarifications=clarifications,
            reach={c.id: reach(c) for c in clarifications},
            report_url=base.rstrip("/") + "/lapor/",
        )


# --- per-language views of the data ------------------------------------------------------------


def _entry_view(entry: Entry, lang: str, regions: dict[str, str]) -> dict[str, Any]:
    rev = entry.live
    english = lang == "en" and bool(rev.title_en and rev.body_en)
    code = entry.regency_id or entry.province_id
    return {
        "id": entry.id,
        "kind": entry.kind,
        "slug": entry.slug,
        "topic": entry.topic or Entry.Topic.OTHER,
        "title": rev.title_en if english else rev.title_id,
        # Bodies were sanitised (nh3) when they were saved: they are safe HTML.
        "body": mark_safe(rev.body_en if english else rev.body_id),  # noqa: S308
        "fallback": lang == "en" and not english,
        "region": regions.get(code, "") if code else "",
        "region_code": code or "",
        "valid_until": rev.valid_until,
    }


def _sources(values: list) -> list[dict[str, str]]:
    out = []
    for value in values or []:
        if isinstance(value, dict):
            url, text = str(value.get("url", "")), str(value.get("name") or value.get("url", ""))
        else:
            url = text = str(value)
        safe_url = url if url.startswith(("https://", "http://")) else ""
        out.append({"url": safe_url, "text": text})
    return out


def _clarification_view(c: Clarification, counts: dict[str, int]) -> dict[str, Any]:
    return {
        "id": c.id,
        "headline": c.headline,
        "verdict": c.verdict,
        "verdict_text": c.verdict_label or c.get_verdict_display(),
        "says_false": c.says_false,
        "claim": c.claim.text,
        "explanation": c.explanation,
        "sources": _sources(c.sources),
        "publisher": c.publisher or "Saring",
        "publisher_url": c.publisher_url,
        "url": c.url,
        "language": c.language or "id",
        "published": c.published_at or c.created_at,
        "reach": {"posts": counts.get("posts", 0), "accounts": counts.get("accounts", 0)},
    }


def json_ld(c: Clarification) -> str:
    """The ClaimReview object for a <script type="application/ld+json">: "<" is escaped so
    no text in it can close the element."""
    text = json.dumps(claimreview_document([c])[0], ensure_ascii=False, default=str)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


# --- the writer --------------------------------------------------------------------------------


class SiteWriter:
    """Writes files under `out` and remembers how many bytes each kind took."""

    def __init__(self, out: Path, data: SiteData):
        self.out = out
        self.data = data
        self.files = 0
        self.bytes = 0
        self.counts: dict[str, int] = defaultdict(int)
        self.assets = self._copy_assets()

    def write(self, rel: str, content: bytes | str) -> None:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        raw = content.encode("utf-8") if isinstance(content, str) else content
        path.write_bytes(raw)
        self.files += 1
        self.bytes += len(raw)

    def _copy_assets(self) -> dict[str, str]:
        """site.css and site.js under a content hash, so a CDN may cache them for ever."""
        names = {}
        for key, name in (("css", "site.css"), ("js", "site.js")):
            raw = (STATIC / name).read_bytes()
            stem, ext = name.rsplit(".", 1)
            rel = f"assets/{stem}.{hashlib.sha256(raw).hexdigest()[:10]}.{ext}"
            self.write(rel, raw)
            names[key] = rel
        return names

    def page(
        self,
        lang: str,
        path: str,
        template: str,
        context: dict[str, Any],
        *,
        section: str = "",
        index: bool = True,
    ) -> None:
        """Render `template` to <lang prefix><path>index.html; `path` is "" or ends with "/"."""
        prefix = "" if lang == "id" else "en/"
        depth_in_lang = path.count("/")
        depth = depth_in_lang + (0 if lang == "id" else 1)
        root = "../" * depth or "./"
        home = "../" * depth_in_lang or "./"
        other = "en" if lang == "id" else "id"
        other_url = root + ("en/" if other == "en" else "") + path
        zone = context.get("zone_code")
        offset = int(self.data.now.astimezone(zone_for(zone)).utcoffset().total_seconds() // 3600)
        full = {
            "lang": lang,
            "other_lang": other,
            "other_url": other_url or "./",
            "root": root,
            "home": home,
            "csp": mark_safe(CSP),  # noqa: S308 - a constant without double quotes
            "assets": self.assets,
            "report_url": self.data.report_url,
            "built_at": formats.date_format(timezone.localtime(self.data.now), "j F Y H:i"),
            "utc_offset": offset,
            "section": section,
            "index": index,
            **context,
        }
        self.write(prefix + path + "index.html", render_to_string(template, full))
        self.counts[section or "other"] += 1


# --- the pages ---------------------------------------------------------------------------------


def _today(now: datetime, province: str | None = None) -> date:
    return now.astimezone(zone_for(province)).date()


def _election_view(election: Election, today: date) -> dict[str, Any]:
    stages = _stage_rows(election)
    status = stage_status(stages, election.voting_day, today)
    current = status["current"]
    for s in stages:
        s.is_current = bool(current and s.kind == current["kind"])
    return {
        "id": election.id,
        "name": election.name,
        "anchor": election.id.replace(".", "-"),
        "stages": stages,
        "status": status,
    }


def render_language(writer: SiteWriter, lang: str) -> None:
    data = writer.data
    regions = {p.code: f"{_('Province')} {p.name}" for p in data.provinces}
    for rs in data.regencies.values():
        for r in rs:
            regions[r.code] = r.name
    views = {e.id: _entry_view(e, lang, regions) for e in data.entries}
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for e in data.entries:
        by_kind[e.kind].append(views[e.id])
    national = data.region_entries[""]
    today = _today(data.now)
    rounds = [
        _election_view(e, today)
        for e in data.elections
        if e.parent_id is None and not e.province_id
    ]
    clar = [_clarification_view(c, data.reach[c.id]) for c in data.clarifications]
    provinces = [
        {"code": p.code, "name": p.name, "path": region_path(p.code)} for p in data.provinces
    ]
    announcements = by_kind[Entry.Kind.ANNOUNCEMENT]
    pages = by_kind[Entry.Kind.PAGE]

    writer.page(
        lang,
        "",
        "guide/site/home.html",
        {
            "rounds": rounds,
            "announcements": [a for a in announcements if a["id"] in national],
            "pages": [p for p in pages if p["id"] in national],
            "latest": clar[:5],
            "provinces": provinces,
        },
        section="home",
    )
    writer.page(
        lang, "kalender/", "guide/site/calendar.html", {"rounds": rounds}, section="calendar"
    )
    writer.page(
        lang,
        "pengumuman/",
        "guide/site/announcements.html",
        {"announcements": announcements},
        section="announcements",
    )
    for entry in announcements + pages:
        where = "pengumuman" if entry["kind"] == Entry.Kind.ANNOUNCEMENT else "halaman"
        writer.page(
            lang,
            f"{where}/{entry['slug']}/",
            "guide/site/page.html",
            {"entry": entry, "zone_code": entry["region_code"] or None},
            section="announcements" if where == "pengumuman" else "page",
        )
    topic_labels = dict(Entry.Topic.choices)
    grouped: dict[str, list[dict]] = defaultdict(list)
    for q in by_kind[Entry.Kind.FAQ]:
        grouped[q["topic"]].append(q)
    topics = [
        {"code": code, "label": str(topic_labels[code]), "entries": grouped[code]}
        for code in Entry.Topic.values
        if grouped.get(code)
    ]
    writer.page(lang, "tanya-jawab/", "guide/site/faq.html", {"topics": topics}, section="faq")

    pages_total = max(1, -(-len(clar) // PER_PAGE))
    for number in range(1, pages_total + 1):
        # Later pages under halaman/: /cek-fakta/<n>/ is the clarification with id n.
        path = "cek-fakta/" if number == 1 else f"cek-fakta/halaman/{number}/"
        up = "" if number == 1 else "../../"  # from this page to cek-fakta/
        prev_url = None
        if number == 2:
            prev_url = "../../"
        elif number > 2:
            prev_url = f"../{number - 1}/"
        next_url = f"{up}halaman/{number + 1}/" if number < pages_total else None
        writer.page(
            lang,
            path,
            "guide/site/factchecks.html",
            {
                "items": clar[(number - 1) * PER_PAGE : number * PER_PAGE],
                "page_number": number,
                "pages": pages_total,
                "previous": prev_url,
                "next": next_url,
            },
            section="factcheck",
            index=False,  # the list repeats the headlines: only the detail pages are indexed
        )
    for c, view in zip(data.clarifications, clar, strict=True):
        writer.page(
            lang,
            f"cek-fakta/{c.id}/",
            "guide/site/factcheck.html",
            {"c": view, "jsonld": json_ld(c)},
            section="factcheck",
        )
    writer.page(lang, "cari/", "guide/site/search.html", {}, section="search", index=False)
    _render_regions(writer, lang, views, provinces)


def _render_regions(
    writer: SiteWriter, lang: str, views: dict[int, dict], provinces: list[dict]
) -> None:
    """/wilayah/<code>/ for every province and regency: its elections (Pemilu, the governor race,
    the regent or mayor race) and what applies there. Not indexed: 552 near-identical pages
    would drown the search results."""
    data = writer.data
    pemilu = [
        e
        for e in data.elections
        if e.parent_id is None and not e.province_id and e.kind == "pemilu"
    ]
    governor = {e.province_id: e for e in data.elections if e.province_id and not e.regency_id}
    local = {e.regency_id: e for e in data.elections if e.regency_id}
    names = {p["code"]: p for p in provinces}
    order = [e.id for e in data.entries]  # kind, position, slug
    for province in data.provinces:
        today = _today(data.now, province.code)
        shared = [_election_view(e, today) for e in pemilu]  # Pemilu and the governor race
        if province.code in governor:
            shared.append(_election_view(governor[province.code], today))
        regencies = data.regencies.get(province.code, [])
        pages = [(province.code, f"{_('Province')} {province.name}", None, None)]
        pages += [(r.code, r.name, local.get(r.code), names[province.code]) for r in regencies]
        for code, name, own, parent in pages:
            elections = shared + ([_election_view(own, today)] if own else [])
            applies = data.region_entries.get(code, set())
            entries = [views[i] for i in order if i in applies]
            writer.page(
                lang,
                f"wilayah/{region_path(code)}/",
                "guide/site/region.html",
                {
                    "region": {"code": code, "name": name, "province": parent},
                    "elections": elections,
                    "announcements": [e for e in entries if e["kind"] == Entry.Kind.ANNOUNCEMENT],
                    "entries": [
                        e
                        for e in entries
                        if e["kind"] != Entry.Kind.ANNOUNCEMENT and e["region_code"]
                    ],
                    "regencies": [
                        {"code": r.code, "name": r.name, "path": region_path(r.code)}
                        for r in regencies
                    ]
                    if parent is None
                    else [],
                    "zone_code": province.code,
                },
                section="region",
                index=False,
            )


def render_site(
    out: Path, *, data: SiteData | None = None, provinces_only: list[str] | None = None
) -> SiteWriter:
    """Write every page in both languages into `out` (which must not exist yet)."""
    out.mkdir(parents=True)
    data = data or SiteData.load(provinces_only=provinces_only)
    writer = SiteWriter(out, data)
    for lang in LANGUAGES:
        with translation.override(lang):
            render_language(writer, lang)
    return writer
