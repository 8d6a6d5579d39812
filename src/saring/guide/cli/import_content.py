"""`saring guide import FILE.json`: load and publish guide entries from a JSON list.

Each record: {kind, slug, topic, notice, region, election, position, title_id, title_en,
body_id, body_en, valid_from, valid_until} ("region": "" national, "32" a province, "32.05" a
regency; times in ISO 8601). The import is an administrator's action: it drafts as the system
identity "system-import" and approves as "system", so the two-person rule holds and the audit
trail names both. Re-running it updates entries in place (a new version only when the text
changed) and never duplicates one; a bad record is reported with its index (from 0) and field,
and the others are still imported.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from slugify import slugify

from saring.accounts.scope import SYSTEM, ScopeError
from saring.guide.models import Entry
from saring.guide.services import content
from saring.guide.services.content import ContentError
from saring.workflow import TransitionError

NAME = "import"
HELP = "Publish guide pages, FAQs and announcements from a JSON list (re-runs update)."

DRAFTER = replace(SYSTEM, username="system-import")
APPROVER = SYSTEM
COMPARED = ("title_id", "title_en", "body_id", "body_en", "valid_from", "valid_until")


def add_arguments(parser) -> None:
    parser.add_argument("file", help="A JSON file holding a list of entries.")


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    province, regency = content.split_region(record.get("region"))
    return {
        "topic": record.get("topic") or "",
        "notice": record.get("notice") or "",
        "province": province,
        "regency": regency,
        "election": record.get("election") or None,
        "position": record.get("position", 100),
        **{name: record.get(name) or "" for name in COMPARED},
    }


def _publish(revision) -> None:
    content.approve(APPROVER, content.submit(DRAFTER, revision), note="saring guide import")


def import_record(record: Any) -> str:
    """One record: "new", "updated" or "unchanged"; ContentError when it is refused."""
    if not isinstance(record, dict):
        raise ContentError("not an object", "")
    kind = str(record.get("kind") or "")
    if kind not in Entry.Kind.values:
        raise ContentError(f"unknown kind {kind!r}", "kind")
    fields = _fields(record)
    slug = str(record.get("slug") or "").strip() or slugify(
        str(fields["title_id"]), max_length=content.SLUG_MAX - 4
    )
    entry = Entry.objects.filter(kind=kind, slug=slug).select_related("live").first()
    if entry is None:
        _publish(content.draft(DRAFTER, kind=kind, slug=slug, **fields))
        return "new"
    text = content._text(fields)
    current = entry.live or entry.revisions.order_by("-number").first()
    meta = {k: v for k, v in fields.items() if k not in COMPARED}
    if current is not None and all(getattr(current, k) == v for k, v in text.items()):
        content._change_meta(entry, meta)  # refuses changes to a published entry's metadata
        if entry.status == Entry.Status.DRAFT and current.state == current.State.DRAFT:
            _publish(current)
            return "updated"
        return "unchanged"
    open_revision = entry.revisions.filter(state__in=content.OPEN_STATES).first()
    if open_revision is not None and open_revision.state == open_revision.State.SUBMITTED:
        raise ContentError("a version of this entry is awaiting approval", "")
    if open_revision is not None:
        revision = content.update(DRAFTER, open_revision, **fields)
    else:
        revision = content.revise(DRAFTER, entry, **fields)
    _publish(revision)
    return "updated"


def handle(command, options) -> None:
    path = Path(options["file"])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path.name} is not JSON: {exc}") from None
    if not isinstance(data, list):
        raise CommandError(f"{path.name} must hold a JSON list of entries")
    counts = {"new": 0, "updated": 0, "unchanged": 0}
    refused = 0
    for index, record in enumerate(data):
        try:
            with transaction.atomic():  # a refused record leaves nothing half-done
                counts[import_record(record)] += 1
        except ContentError as error:
            refused += 1
            field = f" {error.field}" if error.field else ""
            command.stderr.write(f"#{index}{field}: {error}")
        except (ScopeError, TransitionError) as error:
            refused += 1
            command.stderr.write(f"#{index}: {error}")
    command.stdout.write(
        f"{counts['new']} new, {counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{refused} refused"
    )
    if refused:
        raise CommandError(f"{refused} record(s) refused", returncode=1)
