"""Watchlist edits and re-scoring. An edit bumps the version and re-scores in the background.

Rules (whatever the caller: page, API, command; a refusal is WatchlistPermissionError, a
ScopeError, and changes nothing):
- Only administrators write watchlists. A new one belongs to the administrator's organisation
  and region; they edit watchlists of their own region or below and of their own kind of
  organisation (or of nobody, the shipped defaults, when national): never a region above
  theirs, never another kind's (Bawaslu Jabar neither reads nor edits KPU Jabar's lists).
- Every save is a WATCHLIST_SAVED audit event (version, whether posts are re-scored).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.services.analysis import build_context
from saring.taxonomy.models import HarmCategory

logger = logging.getLogger("saring.watchlists")
RESCORE_CHUNK = 2000


class WatchlistPermissionError(ScopeError):
    """The scope's role, region or organisation does not allow editing this watchlist."""


def may_edit(scope: Scope, watchlist: Watchlist) -> bool:
    return scope.edits_record(watchlist, role="admin")


@transaction.atomic
def save_watchlist(
    scope: Scope,
    *,
    watchlist: Watchlist | None = None,
    name: str,
    category: HarmCategory,
    terms: str,
    notes: str = "",
    is_active: bool = True,
) -> Watchlist:
    """Create or edit a watchlist (see the module's rules), then queue its re-scoring."""
    if not scope.can("admin"):
        raise WatchlistPermissionError(_("Only administrators edit watchlists."))
    if watchlist is None:
        watchlist = Watchlist(
            organisation_id=scope.organisation_id,
            province_id=scope.province_code,
            regency_id=scope.regency_code,
        )
    else:
        watchlist = Watchlist.objects.select_for_update().get(pk=watchlist.pk)
        if not may_edit(scope, watchlist):
            raise WatchlistPermissionError(
                _("This watchlist belongs to another level or organisation; you cannot change it.")
            )
    created = watchlist.pk is None
    changed = (
        watchlist.pk is None
        or watchlist.terms != terms
        or watchlist.category_id != category.id
        or watchlist.is_active != is_active
    )
    watchlist.name, watchlist.category, watchlist.terms = name, category, terms
    watchlist.notes, watchlist.is_active = notes, is_active
    watchlist.updated_by_id = scope.user_id
    if changed and watchlist.pk is not None:
        watchlist.version += 1
    watchlist.save()
    record(
        scope,
        Action.WATCHLIST_SAVED,
        watchlist,
        details={"created": created, "version": watchlist.version, "rescore": changed},
    )
    if changed:
        from saring.monitoring.tasks import rescore_watchlist_task

        transaction.on_commit(lambda: rescore_watchlist_task.enqueue(watchlist.id))
    return watchlist


def rescore_watchlist(watchlist_id: int) -> int:
    """Recompute one watchlist's flags on every post; returns how many posts it flags now."""
    watchlist = Watchlist.objects.select_related("category").get(id=watchlist_id)
    version = watchlist.version
    flagged = 0
    with transaction.atomic():
        PostFlag.objects.filter(watchlist_id=watchlist_id).delete()
        if watchlist.is_active and watchlist.term_list():
            context = build_context([watchlist])
            analyzer = context.analyzer
            rows = Post.objects.values_list("id", "text", "hashtags").order_by("id")
            batch: list[PostFlag] = []
            for post_id, text, hashtags in rows.iterator(chunk_size=RESCORE_CHUNK):
                hits = analyzer.watchlist_hits(text, hashtags or ())
                if hits:
                    batch.extend(context.flags_for(post_id, hits))
                if len(batch) >= RESCORE_CHUNK:
                    flagged += len(batch)
                    PostFlag.objects.bulk_create(batch)
                    batch = []
            flagged += len(batch)
            PostFlag.objects.bulk_create(batch)
        Watchlist.objects.filter(id=watchlist_id).update(rescored_version=version)
    logger.info("re-scored watchlist %s v%s: %s posts flagged", watchlist_id, version, flagged)
    return flagged
