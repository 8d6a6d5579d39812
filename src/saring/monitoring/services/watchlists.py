"""Watchlist edits, proposals and re-scoring. An edit bumps the version and re-scores in the
background; the watchlist row says how far the re-scoring got and how it ended.

Rules (whatever the caller: page, API, command; a refusal is WatchlistPermissionError, a
ScopeError, and changes nothing):
- Only administrators write watchlists. A new one belongs to the administrator's organisation
  and region; they edit watchlists of their own region or below and of their own kind of
  organisation (or of nobody, the shipped defaults, when national): never a region above
  theirs, never another kind's (Bawaslu Jabar neither reads nor edits KPU Jabar's lists).
- An analyst may *propose* one for their own region and organisation: it is stored inactive and
  "proposed" and flags nothing until an administrator who may edit it approves it (which
  activates and re-scores it) or rejects it, through the workflow engine (WATCHLIST_REVIEW).
  Only an approved watchlist can be active, however it is saved.
- Every save is a WATCHLIST_SAVED audit event (version, whether posts are re-scored); a proposal
  is WATCHLIST_PROPOSED, a decision WATCHLIST_APPROVED / WATCHLIST_REJECTED.
- Re-scoring (`rescore_watchlist`) reads every post in chunks outside any transaction, writing
  its progress (posts done of total) as it goes, and swaps the flags in one short transaction at
  the end, so the database's write lock is not held for the whole scan (SQLite) and the page can
  show the progress. It always ends: done, or failed with the reason (then the page says so).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.services.analysis import build_context
from saring.monitoring.services.runs import this_worker
from saring.taxonomy.models import HarmCategory
from saring.workflow import Move, TransitionError, Workflow, transition

logger = logging.getLogger("saring.watchlists")
RESCORE_CHUNK = 2000


class WatchlistPermissionError(ScopeError):
    """The scope's role, region or organisation does not allow editing this watchlist."""


class WatchlistReviewError(Exception):
    """A decision the transition table does not have (e.g. approving a rejected proposal)."""


def may_edit(scope: Scope, watchlist: Watchlist) -> bool:
    return scope.edits_record(watchlist, role="admin")


def may_propose(scope: Scope) -> bool:
    """Analysts propose (administrators simply create); the system proposes nothing."""
    return scope.can("analyst") and scope.user_id is not None


WATCHLIST_REVIEW = Workflow(
    name="watchlist review",
    state_field="status",
    moves={
        ("proposed", "approved"): Move(Action.WATCHLIST_APPROVED, role="admin"),
        ("proposed", "rejected"): Move(Action.WATCHLIST_REJECTED, role="admin"),
    },
    may_act=may_edit,
)


def _queue_rescore(watchlist: Watchlist) -> None:
    """Mark the watchlist waiting for the worker, then enqueue the job once this commits."""
    Watchlist.objects.filter(id=watchlist.id).update(
        rescore_state=Watchlist.Rescore.QUEUED,
        rescore_done=0,
        rescore_total=0,
        rescore_error="",
        rescore_queued_at=timezone.now(),
        rescore_finished_at=None,
    )
    from saring.monitoring.tasks import rescore_watchlist_task

    watchlist_id = watchlist.id
    transaction.on_commit(lambda: rescore_watchlist_task.enqueue(watchlist_id))


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
    if watchlist.status != Watchlist.Status.APPROVED:
        is_active = False  # a proposal flags nothing until it is approved
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
        _queue_rescore(watchlist)
        watchlist.refresh_from_db()
    return watchlist


@transaction.atomic
def propose_watchlist(
    scope: Scope, *, name: str, category: HarmCategory, terms: str, notes: str = ""
) -> Watchlist:
    """An analyst's proposal for their own region and organisation: inactive until approved."""
    if not may_propose(scope):
        raise WatchlistPermissionError(_("Proposing a watchlist needs the analyst role."))
    watchlist = Watchlist.objects.create(
        organisation_id=scope.organisation_id,
        province_id=scope.province_code,
        regency_id=scope.regency_code,
        name=name,
        category=category,
        terms=terms,
        notes=notes,
        is_active=False,
        status=Watchlist.Status.PROPOSED,
        proposed_by_id=scope.user_id,
        updated_by_id=scope.user_id,
        rescored_version=1,  # inactive: it flags nothing, so there is nothing to re-score
    )
    record(scope, Action.WATCHLIST_PROPOSED, watchlist, details={"terms": len(watchlist.terms)})
    return watchlist


def may_review(scope: Scope, watchlist: Watchlist) -> bool:
    return WATCHLIST_REVIEW.permits(scope, watchlist, Watchlist.Status.APPROVED)


@transaction.atomic
def review_proposal(scope: Scope, watchlist: Watchlist, decision: str, why: str = "") -> Watchlist:
    """Approve (activate and re-score) or reject a proposed watchlist, through the engine."""
    if decision not in (Watchlist.Status.APPROVED, Watchlist.Status.REJECTED):
        raise WatchlistReviewError(_("A proposal is approved or rejected."))
    approve = decision == Watchlist.Status.APPROVED
    changes: dict = {"updated_by_id": scope.user_id}
    if approve:
        changes.update(is_active=True, version=F("version") + 1)
    try:
        watchlist = transition(
            watchlist, WATCHLIST_REVIEW, decision, scope=scope, why=why, changes=changes
        )
    except ScopeError as error:
        raise WatchlistPermissionError(str(error)) from error
    except TransitionError as error:
        raise WatchlistReviewError(str(error)) from error
    watchlist.refresh_from_db()
    if approve:
        _queue_rescore(watchlist)
        watchlist.refresh_from_db()
    return watchlist


@transaction.atomic
def request_rescore(scope: Scope, watchlist: Watchlist) -> Watchlist:
    """Queue the re-scoring again (after a failure, or a job lost with its worker)."""
    watchlist = Watchlist.objects.select_for_update().get(pk=watchlist.pk)
    if not may_edit(scope, watchlist):
        raise WatchlistPermissionError(
            _("This watchlist belongs to another level or organisation; you cannot change it.")
        )
    _queue_rescore(watchlist)
    watchlist.refresh_from_db()
    return watchlist


def _progress(watchlist_id: int, **fields) -> None:
    Watchlist.objects.filter(id=watchlist_id).update(rescore_progress_at=timezone.now(), **fields)


def rescore_watchlist(watchlist_id: int) -> int:
    """Recompute one watchlist's flags on every post; returns how many posts it flags now.
    Writes its progress on the watchlist; on any error the watchlist is marked failed with the
    reason (and the error raised again, so the job is failed too)."""
    watchlist = Watchlist.objects.select_related("category").get(id=watchlist_id)
    version = watchlist.version
    posts = Post.objects.order_by("id")
    total = posts.count()
    _progress(
        watchlist_id,
        rescore_state=Watchlist.Rescore.RUNNING,
        rescore_worker=this_worker(),
        rescore_done=0,
        rescore_total=total,
        rescore_error="",
        rescore_finished_at=None,
    )
    try:
        flags, last_id = _scan(watchlist, posts, total)
        with transaction.atomic():
            # Posts after the last one read were imported meanwhile and flagged at import
            # with the watchlist as it is now: theirs are kept.
            stale = PostFlag.objects.filter(watchlist_id=watchlist_id)
            if last_id is not None:
                stale = stale.filter(post_id__lte=last_id)
            stale.delete()
            PostFlag.objects.bulk_create(flags, batch_size=RESCORE_CHUNK, ignore_conflicts=True)
            _progress(
                watchlist_id,
                rescored_version=version,
                rescore_state=Watchlist.Rescore.DONE,
                rescore_done=total,
                rescore_finished_at=timezone.now(),
            )
    except BaseException as error:
        logger.exception("re-scoring watchlist %s v%s failed", watchlist_id, version)
        _progress(
            watchlist_id,
            rescore_state=Watchlist.Rescore.FAILED,
            rescore_error=f"{type(error).__name__}: {error}"[:2000],
            rescore_finished_at=timezone.now(),
        )
        raise
    logger.info("re-scored watchlist %s v%s: %s posts flagged", watchlist_id, version, len(flags))
    return len(flags)


def _scan(watchlist: Watchlist, posts, total: int) -> tuple[list[PostFlag], int | None]:
    """The flags the watchlist raises on every post, read chunk by chunk; progress per chunk."""
    flags: list[PostFlag] = []
    last_id: int | None = None
    if not (watchlist.is_active and watchlist.term_list()):
        return flags, posts.values_list("id", flat=True).last()
    context = build_context([watchlist])
    analyzer = context.analyzer
    done = 0
    rows = posts.values_list("id", "text", "hashtags")
    while True:
        chunk = list((rows if last_id is None else rows.filter(id__gt=last_id))[:RESCORE_CHUNK])
        if not chunk:
            break
        for post_id, text, hashtags in chunk:
            hits = analyzer.watchlist_hits(text, hashtags or ())
            if hits:
                flags.extend(context.flags_for(post_id, hits))
        last_id = chunk[-1][0]
        done += len(chunk)
        _progress(watchlist.id, rescore_done=min(done, total))
    return flags, last_id
