"""The demo's public guide: ~50 pages, FAQs and announcements, published with the two-person rule.

`build_demo_guide()` (called by `saring demo` after the cases) reads `demo_content.json` and
loads each record through the guide's own services (saring.guide.services.content) as the demo
officers, so the audit trail shows who drafted and who approved:

- national entries: drafted by `analis.kpu` (KPU RI analyst), approved by `admin` (KPU RI);
- Kabupaten Garut (32.05): drafted by `kpu.garut` (KPU Kabupaten Garut analyst), approved by
  `kpu.jabar` (KPU Provinsi Jawa Barat admin): an admin of a higher region;
- other Jawa Barat regions: drafted by `analis.jabar`, approved by `kpu.jabar`.

Records may use two placeholders: `{report_url}` (RESPOND's public report form, from
SARING_PUBLIC_URL) and `{day+N:id}` / `{day+N:en}` (today + N days in WIB, written out), and
validity ends `@day+N` (midnight WIB of that day): the demo's "in force now" announcements keep
being in force because a re-run after their window closed publishes a fresh version (again
drafted and approved by two people). Idempotent otherwise: an unchanged record adds nothing, a
changed one becomes a new version. Publications are collected while loading and the site is
built once at the end (`saring guide build`), instead of one rebuild request per approval.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from saring.accounts.models import Membership, Organisation
from saring.accounts.scope import Scope, scope_for
from saring.accounts.services import ensure_member, ensure_organisation
from saring.guide import sanitize
from saring.guide.models import Entry, Revision
from saring.guide.services import content, webhooks
from saring.kernel.address import public_url
from saring.workflow import TransitionError

CONTENT_FILE = Path(__file__).with_name("demo_content.json")
WIB = ZoneInfo("Asia/Jakarta")
# username, organisation, kind, province, regency, role (the demo's guide officers; `admin`
# and `analis.jabar` come from saring.demo.services and are reused as they are).
ACCOUNTS = (
    ("analis.kpu", "KPU RI", Organisation.Kind.KPU, None, None, Membership.Role.ANALYST),
    ("kpu.garut", "KPU Kabupaten Garut", Organisation.Kind.KPU, "32", "32.05",
     Membership.Role.ANALYST),
    ("kpu.jabar", "KPU Provinsi Jawa Barat", Organisation.Kind.KPU, "32", None,
     Membership.Role.ADMIN),
    ("analis.jabar", "KPU Provinsi Jawa Barat", Organisation.Kind.KPU, "32", None,
     Membership.Role.ANALYST),
)  # fmt: skip
COMPARED = ("title_id", "title_en", "body_id", "body_en", "valid_from", "valid_until")
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
             "September", "Oktober", "November", "Desember")  # fmt: skip
DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_DAY_TEXT = re.compile(r"\{day([+-]\d+):(id|en)\}")
_DAY_BOUND = re.compile(r"^@day([+-]\d+)$")


@dataclass
class Result:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)
    published: dict[str, list[int]] = field(default_factory=dict)
    built: bool = False


def authors_for(region: str) -> tuple[str, str]:
    """(drafter, approver) usernames for a record's region: never the same person."""
    if not region:
        return "analis.kpu", "admin"
    if region == "32.05":
        return "kpu.garut", "kpu.jabar"
    if region.startswith("32"):
        return "analis.jabar", "kpu.jabar"
    raise ValueError(f"the demo has no officers for region {region}")


def ensure_guide_accounts(password: str) -> dict[str, Scope]:
    """The demo's guide officers (created or reset) and their scopes, plus the national admin."""
    users = {}
    for username, org_name, kind, province, regency, role in ACCOUNTS:
        organisation = ensure_organisation(org_name, kind, province, regency)
        users[username] = ensure_member(username, password, organisation, role)
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:  # `saring demo` makes it first; alone (tests), make the same one
        organisation = ensure_organisation("KPU RI", Organisation.Kind.KPU)
        admin = ensure_member("admin", password, organisation, "admin", superuser=True)
    users["admin"] = admin
    return {name: scope_for(user) for name, user in users.items()}


def _local_midnight(today: date, days: int) -> datetime:
    return datetime.combine(today + timedelta(days=days), time(0, 0), tzinfo=WIB)


def _spell(day: date, language: str) -> str:
    if language == "id":
        return f"{DAYS_ID[day.weekday()]}, {day.day} {MONTHS_ID[day.month - 1]} {day.year}"
    return f"{day:%A} {day.day} {day:%B %Y}"


def resolve(record: dict[str, Any], *, today: date, report_url: str) -> dict[str, Any]:
    """A record with its placeholders filled in and its validity as datetimes."""
    out = dict(record)

    def fill(text: str) -> str:
        text = text.replace("{report_url}", report_url)
        return _DAY_TEXT.sub(
            lambda m: _spell(today + timedelta(days=int(m.group(1))), m.group(2)), text
        )

    for name in ("title_id", "title_en", "body_id", "body_en"):
        out[name] = fill(out.get(name) or "")
    for name in ("valid_from", "valid_until"):
        value = out.get(name)
        bound = _DAY_BOUND.match(value) if isinstance(value, str) else None
        if bound:
            out[name] = _local_midnight(today, int(bound.group(1)))
        elif value:
            out[name] = datetime.fromisoformat(value)
        else:
            out[name] = None
    out["relative"] = any(
        isinstance(record.get(n), str) and record[n].startswith("@")
        for n in ("valid_from", "valid_until")
    )
    return out


def load_records(path: Path = CONTENT_FILE) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))


def _changed(live: Revision, wanted: dict[str, Any], now: datetime) -> bool:
    """Whether the published text differs from the record (relative windows: only once the
    published window has closed, so a re-run the same day adds no version)."""
    if wanted["relative"]:
        return live.valid_until is not None and live.valid_until <= now
    for name in COMPARED:
        value = wanted[name]
        if name.startswith("body_"):
            value = "" if sanitize.is_blank(value) else sanitize.clean(value)
        if (getattr(live, name) or "") != (value or ""):
            return True
    return False


def _publish(drafter: Scope, approver: Scope, revision: Revision) -> None:
    """Submit as the analyst, approve as the admin (the two-person rule, as officers do it)."""
    if revision.state == Revision.State.DRAFT:
        revision = content.submit(drafter, revision)
    content.approve(approver, revision, note="Demo: diperiksa dan disetujui.")


def load_record(record: dict[str, Any], scopes: dict[str, Scope], now: datetime) -> str:
    """One record through the services: "created", "updated" or "unchanged"."""
    drafter_name, approver_name = authors_for(record.get("region") or "")
    drafter, approver = scopes[drafter_name], scopes[approver_name]
    entry = Entry.objects.filter(kind=record["kind"], slug=record["slug"]).first()
    text = {name: record[name] for name in COMPARED}
    if entry is None:
        province, regency = content.split_region(record.get("region"))
        revision = content.draft(
            drafter,
            kind=record["kind"],
            slug=record["slug"],
            topic=record.get("topic") or "",
            notice=record.get("notice") or "",
            province=province,
            regency=regency,
            election=record.get("election") or None,
            position=record.get("position", 100),
            **text,
        )
        _publish(drafter, approver, revision)
        return "created"
    open_revision = entry.revisions.filter(state__in=content.OPEN_STATES).first()
    if open_revision is not None:  # an earlier run stopped half-way: finish it
        _publish(drafter, approver, open_revision)
        return "updated"
    if entry.status == Entry.Status.WITHDRAWN:
        return "unchanged"  # an officer took it down: the demo does not put it back
    if entry.live_id and not _changed(entry.live, record, now):
        return "unchanged"
    _publish(drafter, approver, content.revise(drafter, entry, **text))
    return "updated"


@contextlib.contextmanager
def collected_publications(into: dict[str, list[int]]) -> Iterator[None]:
    """Hold back the per-approval follow-ups (a rebuild request and webhooks each): the demo
    publishes ~50 entries and builds the site once at the end."""

    def collect(kind: str, ids: list, *, action: str = "published") -> None:
        into.setdefault(kind, []).extend(ids)

    with mock.patch("saring.guide.services.events.published", collect):
        yield


def _build_site(say: Callable[[str], None]) -> bool:
    from django.core.management import call_command

    from saring.guide import cli
    from saring.kernel.subcommands import subcommands

    if "build" not in subcommands(cli):
        say("The public guide's build command is not installed; skipping the site build.")
        return False
    call_command("guide", "build")
    return True


def build_demo_guide(
    out=None,
    *,
    password: str,
    records: list[dict[str, Any]] | None = None,
    build: bool = True,
    now: datetime | None = None,
) -> Result:
    """Load the demo guide content (idempotent) and build the public site once."""

    def say(message: str) -> None:
        if out is not None:
            out.write(message)

    now = now or timezone.now()
    today = timezone.localtime(now, WIB).date()
    report_url = public_url() + "/lapor/"
    scopes = ensure_guide_accounts(password)
    result = Result()
    with collected_publications(result.published):
        for index, raw in enumerate(records if records is not None else load_records()):
            record = resolve(raw, today=today, report_url=report_url)
            try:
                outcome = load_record(record, scopes, now)
            except (content.ContentError, PermissionError, TransitionError, ValueError) as exc:
                where = getattr(exc, "field", "") or "-"
                result.errors.append(f"{index} {raw.get('slug', '?')} [{where}]: {exc}")
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
    for kind, ids in result.published.items():  # what the held-back follow-ups would have sent
        webhooks.enqueue(kind, sorted(set(ids)), action="published")
    say(
        f"Public guide: {result.created} entries published, {result.updated} updated, "
        f"{result.unchanged} unchanged (drafted by analysts, approved by admins). "
        "Public site: /panduan/; guide officers: 'kpu.garut' drafts, 'kpu.jabar' approves."
    )
    for error in result.errors:
        say(f"  refused: {error}")
    if build:
        result.built = _build_site(say)
    return result
