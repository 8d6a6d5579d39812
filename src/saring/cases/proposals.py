"""Automatic proposals: MONITOR signals at or above an admin-set level propose DRAFT cases.

Signals (`ProposalRule.Signal`; levels are edited in the Django admin, "Proposal rules"):
- false_match: the post is matched to a published clarification that says the claim is false
  (SALAH, HOAKS, MENYESATKAN, PENIPUAN): a reviewer-confirmed match whatever its score, or an
  automatic or suggested one with a score at or above the level;
- harm_score: the harm classifier's highest probability (PostHarmScore.top) at or above it;
- quiet_period: a registered campaign account posting in the quiet period (a flag: no level);
- impostor: an account imitating an official one (a flag: no level).

A proposal is a draft case (origin automatic, state draft) with the signal and its figures, one
content item and a report from "monitoring" with no reporter. Content already in a case gets no
second one. Nothing is escalated: a person accepts the draft (`handling.move(…, "received")`)
or rejects it. After an import the hook only queues `propose_for_run`; since matching and
scoring run as their own tasks, `saring cases propose --since 1` (cron) catches signals that
arrive later.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from saring.accounts.scope import SYSTEM
from saring.audit.actions import Action
from saring.audit.services import record
from saring.cases.models import Case, CaseItem, ProposalRule, Report
from saring.factcheck.models import PostMatch
from saring.harms.models import PostHarmScore
from saring.monitoring.models import Post

logger = logging.getLogger("saring.cases.proposals")

# The order in which a post's signals name its case (the first that fires).
SIGNALS = ("impostor", "quiet_period", "false_match", "harm_score")
FALSE_VERDICTS = ("SALAH", "HOAKS", "MENYESATKAN", "PENIPUAN")
CATEGORY = {"impostor": "impersonation", "quiet_period": "quiet_period", "false_match": "hoax"}
TITLE_PREFIX = {
    "impostor": "Akun meniru akun resmi",
    "quiet_period": "Akun kampanye di masa tenang",
    "false_match": "Cocok dengan klarifikasi: salah",
    "harm_score": "Skor bahaya tinggi",
}


def register() -> None:
    """Hook the proposals onto MONITOR's imports (AppConfig.ready())."""
    from saring.kernel.hooks import after_import

    after_import(queue_proposals_of_run)


def queue_proposals_of_run(run) -> None:
    """After an import: queue the proposals for its new posts (hooks only queue work)."""
    if not ProposalRule.objects.filter(is_active=True).exists():
        return
    run_id = run.pk

    def enqueue() -> None:
        from saring.cases.tasks import propose_run_task

        propose_run_task.enqueue(run_id)

    transaction.on_commit(enqueue)


def propose_for_run(run_id: int) -> dict[str, int]:
    """Proposals for the posts a run created; {signal: cases proposed}."""
    return propose_counts(Post.objects.filter(first_run_id=run_id))


def propose_since(days: float) -> dict[str, int]:
    """Proposals for the posts ingested in the last `days` days."""
    since = timezone.now() - timedelta(days=days)
    return propose_counts(Post.objects.filter(ingested_at__gte=since))


def propose(posts: QuerySet[Post]) -> int:
    """Draft cases for `posts` whose signal reaches its active rule's level; how many."""
    return sum(propose_counts(posts).values())


def _rules() -> dict[str, float]:
    return {rule.signal: rule.level for rule in ProposalRule.objects.filter(is_active=True)}


def signals_of(posts: QuerySet[Post], rules: dict[str, float]) -> dict[int, dict[str, dict]]:
    """{post id: {signal: figures}} for the posts that reach an active rule."""
    found: dict[int, dict[str, dict]] = {}
    post_ids = posts.values("pk")
    if "impostor" in rules or "quiet_period" in rules:
        flags = [s for s in ("impostor", "quiet_period") if s in rules]
        for pk, flag, known in posts.filter(account_flag__in=flags).values_list(
            "pk", "account_flag", "known_account_id"
        ):
            found.setdefault(pk, {})[flag] = {"account_flag": flag, "known_account": known}
    if "false_match" in rules:
        level = rules["false_match"]
        matches = (
            PostMatch.objects.filter(
                post_id__in=post_ids,
                clarification__verdict__in=FALSE_VERDICTS,
                clarification__status="published",
            )
            .filter(
                Q(decision="confirmed") | Q(decision__in=["auto", "suggested"], score__gte=level)
            )
            .order_by("post_id", "-score")
            .values_list(
                "post_id", "clarification_id", "score", "decision", "clarification__verdict"
            )
        )
        for pk, clarification, score, decision, verdict in matches:
            found.setdefault(pk, {}).setdefault(
                "false_match",
                {
                    "clarification": clarification,
                    "score": round(score, 4),
                    "decision": decision,
                    "verdict": verdict,
                    "level": level,
                },
            )
    if "harm_score" in rules:
        level = rules["harm_score"]
        scores = PostHarmScore.objects.filter(post_id__in=post_ids, top__gte=level)
        for pk, top, probabilities in scores.values_list("post_id", "top", "scores"):
            category = max(probabilities, key=probabilities.get) if probabilities else ""
            found.setdefault(pk, {})["harm_score"] = {
                "top": round(top, 4),
                "category": category,
                "level": level,
            }
    return found


def propose_counts(posts: QuerySet[Post]) -> dict[str, int]:
    """Draft cases for `posts`; {signal: cases proposed} (every signal named, zeros too)."""
    rules = _rules()
    counts = dict.fromkeys(SIGNALS, 0)
    if not rules:
        return counts
    hits = signals_of(posts, rules)
    if not hits:
        return counts
    from saring.cases.services.handling import content_of_post

    candidates = Post.objects.filter(pk__in=list(hits)).order_by("pk")
    contents = {post.pk: (post, content_of_post(post)) for post in candidates}
    keys = _all_keys(contents.values())
    taken = set(CaseItem.objects.filter(key__in=keys).values_list("key", flat=True))
    for pk, (post, content) in contents.items():
        post_keys = {content.key, f"{post.platform}:{post.platform_id}"}
        if post_keys & taken:
            continue  # already in a case: never a second one
        signal = next(s for s in SIGNALS if s in hits[pk])
        try:
            with transaction.atomic():
                _open_draft(post, content, signal, hits[pk])
        except IntegrityError:  # someone filed the same content meanwhile
            logger.info("proposal for post %s skipped: content already in a case", pk)
            continue
        taken |= post_keys
        counts[signal] += 1
    return counts


def _all_keys(pairs: Iterable) -> list[str]:
    keys = []
    for post, content in pairs:
        keys += [content.key, f"{post.platform}:{post.platform_id}"]
    return keys


def _top_category(code: str) -> str:
    """A classifier's category as a case category: its top-level harm (cases.categories)."""
    from saring.taxonomy.models import HarmCategory

    category = HarmCategory.objects.filter(code=code).select_related("parent").first()
    if category is None:
        return "other"
    while category.parent_id is not None:
        category = category.parent
    return category.code


def _open_draft(post: Post, content, signal: str, signals: dict[str, dict]) -> Case:
    from saring.cases.services import offices
    from saring.cases.services.handling import tracking_code

    office = offices.handling_office(post.province_id, post.regency_id)
    regime = offices.regime_at(office.province_code, office.regency_code, post.created_at)
    category = CATEGORY.get(signal) or _top_category(signals[signal].get("category", ""))
    quiet = regime.in_quiet_period or signal == "quiet_period"
    title = f"{TITLE_PREFIX[signal]}: {post.platform} @{post.author_handle} {post.text}"
    case = Case.objects.create(
        title=" ".join(title.split())[:300],
        state=Case.State.DRAFT,
        origin=Case.Origin.AUTOMATIC,
        category=category[:40],
        signal=signal,
        signal_detail={**signals[signal], "post": post.pk, "signals": sorted(signals)},
        organisation=office.organisation,
        province_id=office.province_code,
        regency_id=office.regency_code,
        regime=regime.regime,
        election_id=regime.election_id,
        in_quiet_period=quiet,
        priority=Case.Priority.HIGH if quiet else Case.Priority.NORMAL,
        discovered_at=post.created_at,
    )
    CaseItem.objects.create(
        case=case,
        url=content.url or post.url or content.canonical_url,
        canonical_url=content.canonical_url or post.url,
        platform=content.platform,
        content_id=content.content_id,
        key=content.key,
        post=post,
        origin_case=case,
    )
    Report.objects.create(
        case=case,
        first_case=case,
        tracking_code=tracking_code("OTO"),
        channel=Report.Channel.AUTOMATIC,
        urls=[post.url] if post.url else [],
        category=case.category,
        province_id=case.province_id,
        regency_id=case.regency_id,
        notify=Report.Notify.NONE,
        good_faith=True,
    )
    record(SYSTEM, Action.CASE_PROPOSED, case, details={"signal": signal, "post": post.pk})
    return case
