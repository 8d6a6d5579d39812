"""Writes for claims and clarifications: one record saved (idempotent by external id), exports,
and the editor's create/edit/publish. File imports are in `factcheck.imports`.

Rules:
- A clarification is identified by its external id (the review URL or @id, or a CSV id):
  importing it again updates it, never duplicates it.
- Clarifications of the same claim share one Claim: claims are matched on their normalised
  text, so the same hoax checked by KPU and by Mafindo is one claim with two answers.
- Who writes what (every write here checks it, whatever the caller: editor, import, command;
  a refusal is ClarificationPermissionError, a ScopeError, and changes nothing):
  - viewers write nothing;
  - analysts and administrators write drafts; a new one belongs to their organisation and
    region; they edit drafts of their own region or below and of their own kind of
    organisation (or of nobody), never of a region above theirs or another kind's (an import
    that reuses such a record's external id is refused, not merged into it);
  - administrators also publish, and change published clarifications, of their own region or
    below and their own kind of organisation. Publishing goes through the workflow engine
    (models.CLARIFICATION_PUBLISHING: CLARIFICATION_PUBLISHED in the audit trail);
  - commands act as the system (a national administrator of every kind).
- Every save is recorded (CLARIFICATION_SAVED, with whether it was created).
- A clarification without a verdict is never published (NotPublishable says why): the verdict
  is what platforms show and ClaimReview's rating.
- After a clarification is published, or a published one changes, `kernel.hooks.published(
  "clarification", [id])` runs once the transaction commits (the guide rebuilds its site and
  tells webhook subscribers); imports go through the same functions, so they call it too.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import Scope, ScopeError
from saring.audit.actions import Action
from saring.audit.services import record as audit
from saring.factcheck.models import CLARIFICATION_PUBLISHING, Claim, Clarification
from saring.kernel import hooks
from saring.sources.claimreview import ClarificationRecord
from saring.text.normalize import normalize
from saring.workflow import transition


def claim_for(text: str, seen: Any = None) -> Claim:
    """The claim with this normalised text, created if new; a new wording is kept as a variant."""
    key = " ".join(normalize(text).tokens)
    claim = Claim.objects.filter(normalized=key).first()
    if claim is None:
        return Claim.objects.create(text=text, normalized=key, first_seen=seen)
    if text != claim.text and text not in claim.variants:
        claim.variants = [*claim.variants, text]
        claim.save(update_fields=["variants"])
    return claim


class ClarificationPermissionError(ScopeError):
    """The scope's role, region or organisation does not allow this change."""


class NotPublishable(ClarificationPermissionError):
    """The clarification cannot be public as it is (no verdict). A ClarificationPermissionError,
    so every caller that shows a refusal (editor, import) shows this one and changes nothing."""

    field = "verdict"


def may_edit(scope: Scope, clarification: Clarification) -> bool:
    """Whether `scope` may change this clarification (a published one needs an admin)."""
    role = "admin" if clarification.status == Clarification.Status.PUBLISHED else "analyst"
    return scope.edits_record(clarification, role=role)


def may_publish(scope: Scope, clarification: Clarification) -> bool:
    return CLARIFICATION_PUBLISHING.permits(scope, clarification, Clarification.Status.PUBLISHED)


def _check_write(scope: Scope, clarification: Clarification | None, publish: bool) -> None:
    if not scope.can("analyst"):
        raise ClarificationPermissionError(_("Writing clarifications needs the analyst role."))
    if publish and not scope.can("admin"):
        raise ClarificationPermissionError(_("Only administrators publish clarifications."))
    if clarification is None:
        return
    if not scope.edits_record(clarification, role="analyst"):
        raise ClarificationPermissionError(
            _(
                "This clarification belongs to a region above yours, another region or another "
                "organisation: you can read it but not change it."
            )
        )
    if clarification.status == Clarification.Status.PUBLISHED and not scope.can("admin"):
        raise ClarificationPermissionError(
            _("This clarification is published: only administrators change it.")
        )


def _new(scope: Scope, **values: Any) -> Clarification:
    return Clarification(
        created_by_id=scope.user_id,
        organisation_id=scope.organisation_id,
        province_id=scope.province_code,
        regency_id=scope.regency_code,
        **values,
    )


def _finish_save(
    scope: Scope, clarification: Clarification, *, created: bool, publish: bool
) -> tuple[Clarification, bool]:
    """Record the save and publish through the engine; returns it and whether it went live."""
    public = publish or clarification.status == Clarification.Status.PUBLISHED
    if public and not (clarification.verdict or "").strip():
        raise NotPublishable(
            _(
                "A clarification without a verdict cannot be published: choose the verdict "
                "(e.g. SALAH, HOAKS, BENAR) that the public and the platforms will see."
            )
        )
    audit(scope, Action.CLARIFICATION_SAVED, clarification, details={"created": created})
    if clarification.status == Clarification.Status.PUBLISHED:
        hooks.published("clarification", [clarification.pk])  # a published one changed
    if not publish or clarification.status == Clarification.Status.PUBLISHED:
        return clarification, False
    clarification = transition(
        clarification,
        CLARIFICATION_PUBLISHING,
        Clarification.Status.PUBLISHED,
        scope=scope,
        changes={"published_at": clarification.published_at or timezone.now()},
    )
    hooks.published("clarification", [clarification.pk])
    return clarification, True


@transaction.atomic
def save_record(
    record: ClarificationRecord, *, scope: Scope, publish: bool = False
) -> tuple[Clarification, bool]:
    """Create or update one imported clarification; returns it and whether it was created.

    Matching by external id happens only among the records `scope` may edit: an id that belongs
    to another region's or organisation's clarification is refused (ClarificationPermissionError;
    the importer quarantines the item), never merged into that record."""
    existing = Clarification.objects.filter(external_id=record.external_id[:500]).first()
    _check_write(scope, existing, publish)
    claim = claim_for(record.claim_text, record.claim_date)
    values = {
        "claim": claim,
        "headline": record.headline[:500],
        "verdict": record.verdict,
        "verdict_label": record.verdict_label[:200],
        "explanation": record.explanation,
        "url": record.url[:2000],
        "publisher": record.publisher[:200],
        "publisher_url": record.publisher_url[:500],
        "sources": list(record.sources),
        "language": record.language[:10] or "id",
        "claim_date": record.claim_date,
        "claimant": record.claimant[:300],
        # Published by this import and undated by its source: published now (on publishing).
        "published_at": record.published_at,
    }
    if existing is not None:
        for name, value in values.items():
            if name != "published_at" or value is not None:
                setattr(existing, name, value)
        existing.save()
        return _finish_save(scope, existing, created=False, publish=publish)[0], False
    created = _new(scope, external_id=record.external_id[:500], **values)
    created.save()
    # The importer queues backwards matching for the whole file (factcheck.imports).
    return _finish_save(scope, created, created=True, publish=publish)[0], True


def claimreview_document(clarifications) -> list[dict[str, Any]]:
    """Published clarifications as schema.org ClaimReview JSON-LD objects."""
    document = []
    for c in clarifications:
        item: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": c.url or None,
            "claimReviewed": c.claim.text,
            "headline": c.headline,
            "reviewBody": c.explanation or None,
            "inLanguage": c.language,
            "datePublished": (c.published_at or c.created_at or timezone.now()).date().isoformat(),
            "author": {
                "@type": "Organization",
                "name": c.publisher or "Saring",
                **({"url": c.publisher_url} if c.publisher_url else {}),
            },
            "reviewRating": {
                "@type": "Rating",
                "alternateName": c.verdict_label or c.verdict,
                "ratingValue": 1 if c.says_false else 5,
                "bestRating": 5,
                "worstRating": 1,
            },
            "itemReviewed": {
                "@type": "Claim",
                "name": c.claim.text,
                **({"author": {"@type": "Person", "name": c.claimant}} if c.claimant else {}),
                **({"datePublished": c.claim_date.date().isoformat()} if c.claim_date else {}),
            },
        }
        document.append({k: v for k, v in item.items() if v is not None})
    return document


@transaction.atomic
def save_clarification(
    scope: Scope,
    *,
    clarification: Clarification | None = None,
    claim_text: str,
    headline: str,
    verdict: str,
    explanation: str = "",
    url: str = "",
    publisher: str = "",
    sources: list[str] | None = None,
    publish: bool = False,
) -> Clarification:
    """Create or edit a clarification from the editor (see the module's rules: analysts write
    drafts of their own region and organisation kind; administrators publish). Publishing
    queues backwards matching against existing posts."""
    if clarification is not None:
        clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    _check_write(scope, clarification, publish)
    created = clarification is None
    if clarification is None:
        clarification = _new(scope)
    clarification.claim = claim_for(claim_text)
    clarification.headline, clarification.verdict = headline, verdict
    clarification.verdict_label = clarification.verdict_label or verdict
    clarification.explanation, clarification.url = explanation, url
    clarification.publisher = publisher or clarification.publisher
    clarification.sources = sources or []
    clarification.save()
    clarification, went_live = _finish_save(scope, clarification, created=created, publish=publish)
    if went_live:
        from saring.factcheck.tasks import match_clarification_task

        transaction.on_commit(lambda: match_clarification_task.enqueue(clarification.id))
    return clarification
