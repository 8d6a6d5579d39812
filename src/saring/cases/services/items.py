"""Content items: one case per piece of content. The canonical key (saring.sources.links) is
unique across all items, so finding the case a URL belongs to is one indexed lookup, and a
merge that moves items keeps the rule."""

from __future__ import annotations

from collections.abc import Iterable

from saring.cases.models import Case, CaseItem
from saring.monitoring.models import Post
from saring.sources.links import Content


def live_case(case: Case) -> Case:
    """The case a merged case now lives in (merges may chain)."""
    seen = set()
    while case.merged_into_id and case.pk not in seen:
        seen.add(case.pk)
        case = case.merged_into
    return case


def existing_case(contents: Iterable[Content]) -> Case | None:
    """The case that already holds any of `contents`, followed through merges."""
    keys = [content.key for content in contents]
    # Sorted here, not by the database: an ORDER BY id would walk the primary key instead of
    # probing the unique key index (a few rows match at most).
    items = sorted(CaseItem.objects.filter(key__in=keys).select_related("case"), key=_id)
    return live_case(items[0].case) if items else None


def _id(item: CaseItem) -> int:
    return item.pk


def post_for(content: Content) -> Post | None:
    """The ingested post of this content, when MONITOR has it."""
    if not content.content_id or content.platform == "other":
        return None
    return Post.objects.filter(platform=content.platform, platform_id=content.content_id).first()


def add_items(
    case: Case, contents: Iterable[Content], *, by=None
) -> tuple[list[CaseItem], list[str]]:
    """Add the contents not yet in any case; returns (added items, keys already in a case).
    Callers hold the transaction; a race on the unique key surfaces as IntegrityError."""
    contents = list({content.key: content for content in contents}.values())
    taken = set(
        CaseItem.objects.filter(key__in=[c.key for c in contents]).values_list("key", flat=True)
    )
    added = [
        CaseItem.objects.create(
            case=case,
            url=content.url,
            canonical_url=content.canonical_url,
            platform=content.platform,
            content_id=content.content_id,
            key=content.key,
            post=post_for(content),
            origin_case=case,
            added_by=by,
        )
        for content in contents
        if content.key not in taken
    ]
    return added, sorted(taken)
