"""Clarifications (fact-checks) from ClaimReview JSON-LD, CSV and TurnBackHoax-style articles.

Pure Python. Each reader yields ``ClarificationRecord``; a malformed item raises
``RecordError`` naming the field, like the post formats, so the same quarantine rules apply.

- ClaimReview: schema.org JSON-LD as fact-checkers publish it (one object, a list, or an
  ``@graph``), and the Google Fact Check Tools API shape (``{"claims": [{"text", "claimant",
  "claimReview": [{"publisher", "url", "title", "reviewDate", "textualRating"}]}]}``).
- CSV: ``id, headline, claim, verdict, explanation, url, publisher, published_at, sources``
  (Indonesian aliases accepted: ``judul``, ``narasi``, ``label``, ``penjelasan``, ``tanggal``).
- TurnBackHoax articles: a title such as ``[SALAH] …`` and sections ``NARASI:``,
  ``PENJELASAN:``, ``REFERENSI:``/``SUMBER:``; the verdict comes from the title's bracket or the
  URL slug (``/salah-…``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._values import dig, load_json, parse_datetime, text_value
from .records import RecordError
from .urls import checked_url, http_urls

# Verdict codes Saring stores; labels as Indonesian fact-checkers write them map onto these.
VERDICTS = ("SALAH", "HOAKS", "MENYESATKAN", "PENIPUAN", "KLARIFIKASI", "BENAR", "LAINNYA")
FALSE_VERDICTS = frozenset({"SALAH", "HOAKS", "MENYESATKAN", "PENIPUAN"})
_VERDICT_WORDS: tuple[tuple[str, str], ...] = (
    # Order matters: "tidak benar" must win over "benar", "sebagian benar" over "benar".
    ("tidak benar", "SALAH"),
    ("sebagian benar", "MENYESATKAN"),
    ("partly", "MENYESATKAN"),
    ("menyesatkan", "MENYESATKAN"),
    ("misleading", "MENYESATKAN"),
    ("missing context", "MENYESATKAN"),
    ("penipuan", "PENIPUAN"),
    ("scam", "PENIPUAN"),
    ("fraud", "PENIPUAN"),
    ("hoaks", "HOAKS"),
    ("hoax", "HOAKS"),
    ("fake", "HOAKS"),
    ("disinformasi", "HOAKS"),
    ("salah", "SALAH"),
    ("false", "SALAH"),
    ("keliru", "SALAH"),
    ("klarifikasi", "KLARIFIKASI"),
    ("clarification", "KLARIFIKASI"),
    ("benar", "BENAR"),
    ("true", "BENAR"),
    ("fakta", "BENAR"),
)


@dataclass(slots=True)
class ClarificationRecord:
    external_id: str  # the review's URL or @id, or a CSV id: what makes re-imports idempotent
    headline: str
    claim_text: str  # the statement as it circulated
    verdict: str  # one of VERDICTS
    verdict_label: str = ""  # the rating as the publisher wrote it
    explanation: str = ""
    url: str = ""
    publisher: str = ""
    publisher_url: str = ""
    published_at: datetime | None = None
    claim_date: datetime | None = None
    claimant: str = ""
    language: str = "id"
    sources: tuple[str, ...] = field(default_factory=tuple)
    warnings: list[str] = field(default_factory=list)  # what was dropped (a javascript: url)

    def cleaned(self) -> ClarificationRecord:
        """NUL characters out of every text (PostgreSQL refuses them; JSON can carry them as
        ``\\u0000``) and every address reduced to http(s), a dropped one named in
        ``warnings``."""
        for name in ("external_id", "headline", "claim_text", "verdict_label", "explanation"):
            value = getattr(self, name)
            if "\x00" in value:
                setattr(self, name, value.replace("\x00", ""))
        for name in ("publisher", "claimant", "language"):
            setattr(self, name, getattr(self, name).replace("\x00", ""))
        for name in ("url", "publisher_url"):
            url, warning = checked_url(getattr(self, name), name)
            setattr(self, name, url)
            if warning:
                self.warnings.append(warning)
        self.sources = http_urls(list(self.sources))
        return self


def verdict_code(label: str) -> str:
    """Map a published rating ("Salah", "Hoaks", "Missing context", "4/5") to a verdict code."""
    lowered = " ".join(label.lower().split())
    for word, code in _VERDICT_WORDS:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered):
            return code
    return "LAINNYA"


# -- ClaimReview JSON-LD ------------------------------------------------------------------------


def claimreview_items(document: Any) -> Iterator[tuple[str, Any]]:
    """Yield (location, item) for every ClaimReview (or Fact Check API claim) in a document."""
    if isinstance(document, list):
        for index, element in enumerate(document):
            for location, item in claimreview_items(element):
                yield f"[{index}]{location}", item
        return
    if not isinstance(document, dict):
        return
    if isinstance(document.get("claims"), list):  # Google Fact Check Tools API response
        for index, claim in enumerate(document["claims"]):
            yield from api_claim_items(claim, f"claims[{index}]")
        return
    if isinstance(document.get("@graph"), list):
        for location, item in claimreview_items(document["@graph"]):
            yield f"@graph{location}", item
        return
    kind = document.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "ClaimReview" in kinds:
        yield "", document


def api_claim_items(claim: Any, location: str) -> Iterator[tuple[str, Any]]:
    """(location, item) for each review of one Fact Check API claim; a claim that is not an
    object, or a review that is not one, is yielded as it is, for its parse to refuse."""
    reviews = claim.get("claimReview") if isinstance(claim, dict) else claim
    if reviews is None:
        return  # a claim nobody reviewed: nothing to import
    if not isinstance(reviews, list):
        yield location, claim
        return
    for index, review in enumerate(reviews):
        where = f"{location}.claimReview[{index}]"
        yield where, ({"_api_claim": claim, **review} if isinstance(review, dict) else review)


def parse_claimreview(item: dict[str, Any]) -> ClarificationRecord:
    """One ClaimReview object (schema.org) or one Fact Check API review."""
    if not isinstance(item, dict):
        raise RecordError(f"a ClaimReview item must be a JSON object, not {type(item).__name__}")
    if "_api_claim" in item:
        return _parse_api_review(item)
    if "claimReview" in item:
        raise RecordError("claimReview is not a list of reviews", "claimReview")
    url = text_value(item.get("url"))
    external_id = text_value(item.get("@id")) or url
    if not external_id:
        raise RecordError("a ClaimReview needs a url or an @id", "url", code="no_identifier")
    rating = item.get("reviewRating") or {}
    label = text_value(dig(rating, "alternateName")) or text_value(dig(rating, "name"))
    if not label:
        raise RecordError(
            "reviewRating.alternateName (the verdict) is missing",
            "verdict",
            code="no_verdict",
            where="reviewRating.alternateName",
        )
    claim = item.get("itemReviewed") or {}
    claim_text = text_value(item.get("claimReviewed")) or text_value(dig(claim, "name"))
    headline = text_value(item.get("headline")) or text_value(item.get("name")) or claim_text
    if not claim_text and not headline:
        raise RecordError(
            "claimReviewed (the claim) is missing",
            "claim_text",
            code="no_claim",
            where="claimReviewed",
        )
    publisher = item.get("author") or item.get("publisher") or {}
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else {}
    if not isinstance(claim, dict):
        claim = {}
    return ClarificationRecord(
        external_id=external_id,
        headline=headline,
        claim_text=claim_text or headline,
        verdict=verdict_code(label),
        verdict_label=label,
        explanation=text_value(item.get("reviewBody")) or text_value(item.get("description")),
        url=url,
        publisher=text_value(dig(publisher, "name")) if isinstance(publisher, dict) else "",
        publisher_url=text_value(dig(publisher, "url")) if isinstance(publisher, dict) else "",
        published_at=_date(item.get("datePublished"), "published_at"),
        claim_date=_date(dig(claim, "datePublished"), "claim_date"),
        claimant=text_value(dig(claim, "author", "name")),
        language=text_value(item.get("inLanguage")) or "id",
    ).cleaned()


def _parse_api_review(item: dict[str, Any]) -> ClarificationRecord:
    claim = item["_api_claim"] if isinstance(item["_api_claim"], dict) else {}
    url = text_value(item.get("url"))
    if not url:
        raise RecordError("claimReview.url is missing", "url")
    label = text_value(item.get("textualRating"))
    if not label:
        raise RecordError(
            "claimReview.textualRating (the verdict) is missing",
            "verdict",
            code="no_verdict",
            where="claimReview.textualRating",
        )
    claim_text = text_value(claim.get("text"))
    return ClarificationRecord(
        external_id=url,
        headline=text_value(item.get("title")) or claim_text,
        claim_text=claim_text or text_value(item.get("title")),
        verdict=verdict_code(label),
        verdict_label=label,
        url=url,
        publisher=text_value(dig(item, "publisher", "name")),
        publisher_url=_site(text_value(dig(item, "publisher", "site"))),
        published_at=_date(item.get("reviewDate"), "published_at"),
        claim_date=_date(claim.get("claimDate"), "claim_date"),
        claimant=text_value(claim.get("claimant")),
        language=text_value(item.get("languageCode")) or "id",
    ).cleaned()


def read_claimreview(payload: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Items of a ClaimReview document; RecordError when it is not JSON or holds none."""
    document = load_json(payload)
    items = list(claimreview_items(document))
    if not items:
        found = document.get("@type") if isinstance(document, dict) else type(document).__name__
        raise RecordError(
            f"no ClaimReview found (top level is {found!r}); expected "
            "@type ClaimReview, an @graph, a list, or a Fact Check API "
            "response with 'claims'",
            "",
        )
    yield from items


# -- CSV ------------------------------------------------------------------------------------------

CSV_ALIASES = {
    "headline": ("headline", "judul", "title"),
    "claim_text": ("claim", "claim_text", "narasi", "claimreviewed", "text"),
    "verdict": ("verdict", "label", "rating", "textualrating"),
    "explanation": ("explanation", "penjelasan", "reviewbody"),
    "external_id": ("id", "external_id"),
    "url": ("url", "link"),
    "publisher": ("publisher", "penerbit"),
    "published_at": ("published_at", "date_published", "tanggal", "date"),
    "sources": ("sources", "referensi", "sumber"),
}


def parse_csv_row(row: dict[str, str]) -> ClarificationRecord:
    """One CSV row (column -> value); column names are matched case-insensitively."""
    lowered = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}

    def pick(name: str) -> str:
        return next((lowered[a] for a in CSV_ALIASES[name] if lowered.get(a)), "")

    headline, claim_text = pick("headline"), pick("claim_text")
    if not headline and not claim_text:
        raise RecordError(
            "a clarification needs a headline or a claim",
            "headline",
            code="no_claim",
            where="headline, claim",
        )
    label = pick("verdict")
    if not label:
        raise RecordError(
            "the verdict column is empty", "verdict", code="no_verdict", where="verdict"
        )
    url = pick("url")
    external_id = pick("external_id") or url
    if not external_id:
        raise RecordError(
            "a clarification needs an id or a url", "external_id", code="no_identifier"
        )
    return ClarificationRecord(
        external_id=external_id,
        headline=headline or claim_text,
        claim_text=claim_text or headline,
        verdict=verdict_code(label),
        verdict_label=label,
        explanation=pick("explanation"),
        url=url,
        publisher=pick("publisher"),
        published_at=_date(pick("published_at") or None, "published_at"),
        sources=http_urls(pick("sources")),
    ).cleaned()


# -- TurnBackHoax-style articles --------------------------------------------------------------

_SECTION = re.compile(
    r"(?:=+\s*)?\b(narasi|penjelasan|referensi|sumber|kategori|kesimpulan)\s*:", re.IGNORECASE
)
_BRACKET = re.compile(r"^\s*\[([^\]]+)\]\s*(.*)$", re.DOTALL)


def parse_article(text: str, url: str = "", title: str = "") -> ClarificationRecord:
    """A TurnBackHoax-style article: ``[VERDICT] title`` and NARASI/PENJELASAN sections."""
    body = text.strip()
    if not title:
        first, _, rest = body.partition("\n")
        if _BRACKET.match(first):
            title, body = first.strip(), rest
    sections: dict[str, str] = {}
    marks = list(_SECTION.finditer(body))
    for index, mark in enumerate(marks):
        end = marks[index + 1].start() if index + 1 < len(marks) else len(body)
        name = mark.group(1).lower()
        sections.setdefault(name, " ".join(body[mark.end() : end].replace("=", " ").split()))
    narrative = sections.get("narasi", "").strip(' “”"')
    if not narrative:
        raise RecordError(
            "no NARASI: section (the claim as it circulated)", "claim_text", code="no_narasi"
        )
    label = ""
    headline = title
    bracket = _BRACKET.match(title)
    if bracket:
        label, headline = bracket.group(1).strip(), bracket.group(2).strip()
    if not label and url:
        slug = url.rstrip("/").rsplit("/", 1)[-1]
        label = slug.split("-", 1)[0]
        headline = headline or slug.split("-", 1)[-1].replace("-", " ").strip()
    if not label:
        raise RecordError(
            "no verdict: expected a title like '[SALAH] …' or a URL slug",
            "verdict",
            code="no_article_verdict",
        )
    explanation = sections.get("penjelasan") or sections.get("kesimpulan", "")
    references = sections.get("referensi", "") + " " + sections.get("sumber", "")
    return ClarificationRecord(
        external_id=url or f"article:{headline[:200]}",
        headline=headline or narrative[:200],
        claim_text=narrative,
        verdict=verdict_code(label),
        verdict_label=label,
        explanation=explanation,
        url=url,
        publisher="TurnBackHoax (Mafindo)" if "turnbackhoax" in url else "",
        sources=tuple(re.findall(r"https?://\S+", references)),
    ).cleaned()


def _site(site: str) -> str:
    """The Fact Check API names a publisher's site by its domain ("turnbackhoax.id")."""
    site = site.strip()
    return f"https://{site}" if site and "://" not in site and " " not in site else site


def _date(value: Any, name: str) -> datetime | None:
    if value in (None, ""):
        return None
    return parse_datetime(value, name)
