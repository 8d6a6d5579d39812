"""Writes for claims and clarifications: one record saved (idempotent by external id), exports,
and the editor's create/edit/publish. File imports are in `factcheck.imports`.

Rules:
- A clarification is identified by its external id (the review URL or @id, or a CSV id):
  importing it again updates it, never duplicates it.
- Clarifications of the same claim share one Claim: claims are matched on their normalised
  text, so the same hoax checked by KPU and by Mafindo is one claim with two answers.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.factcheck.models import Claim, Clarification
from saring.sources.claimreview import ClarificationRecord
from saring.text.normalize import normalize


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


@transaction.atomic
def save_record(
    record: ClarificationRecord, *, scope: Scope | None = None, user=None, publish: bool = False
) -> tuple[Clarification, bool]:
    """Create or update one clarification; returns it and whether it was created."""
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
        # Published by this import and undated by its source: published now.
        "published_at": record.published_at or (timezone.now() if publish else None),
    }
    existing = Clarification.objects.filter(external_id=record.external_id[:500]).first()
    if existing is not None:
        for name, value in values.items():
            setattr(existing, name, value)
        if publish:
            existing.status = Clarification.Status.PUBLISHED
        existing.save()
        return existing, False
    created = Clarification.objects.create(
        external_id=record.external_id[:500],
        created_by=user,
        status=Clarification.Status.PUBLISHED if publish else Clarification.Status.DRAFT,
        organisation_id=scope.organisation_id if scope else None,
        province_id=scope.province_code if scope else None,
        regency_id=scope.regency_code if scope else None,
        **values,
    )
    return created, True


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


class ClarificationPermissionError(PermissionError):
    """The user's role or region does not allow this change."""


@transaction.atomic
def save_clarification(
    scope: Scope,
    user,
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
    """Create or edit a clarification in the editor's region. Analysts write drafts; only
    admins publish. Publishing queues backwards matching against existing posts."""
    if not scope.can("analyst"):
        raise ClarificationPermissionError("writing clarifications needs the analyst role")
    if publish and not scope.can("admin"):
        raise ClarificationPermissionError("only administrators publish clarifications")
    if clarification is not None and not scope.may_see(
        clarification.province_id, clarification.regency_id
    ):
        raise ClarificationPermissionError("this clarification belongs to another region")
    was_published = clarification is not None and clarification.status == "published"
    if clarification is None:
        clarification = Clarification(
            created_by=user,
            organisation_id=scope.organisation_id,
            province_id=scope.province_code,
            regency_id=scope.regency_code,
        )
    clarification.claim = claim_for(claim_text)
    clarification.headline, clarification.verdict = headline, verdict
    clarification.verdict_label = clarification.verdict_label or verdict
    clarification.explanation, clarification.url = explanation, url
    clarification.publisher = publisher or clarification.publisher
    clarification.sources = sources or []
    if publish:
        clarification.status = Clarification.Status.PUBLISHED
        clarification.published_at = clarification.published_at or timezone.now()
    clarification.save()
    if clarification.status == "published" and not was_published:
        from saring.factcheck.tasks import match_clarification_task

        transaction.on_commit(lambda: match_clarification_task.enqueue(clarification.id))
    return clarification
