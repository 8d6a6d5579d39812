"""One interface for every way an escalation reaches a platform (or Komdigi).

A `Deliverer` sends one escalation and says how it went; it never changes the escalation's
state itself (services.escalation.deliver does, with the back-off and the audit trail), so the
same deliverer serves the worker, `saring cases deliver` and the tests. Each deliverer is
idempotent per escalation: a resend carries the same Message-ID or Idempotency-Key, so the
receiver can drop the copy.

`notice()` is what every channel says, after the elements of a notice under DSA Art. 16: who
notifies, why the content is illegal or against the terms, where it is, the good-faith
statement; plus the deadline, the packet and where to send the decision. Reporters' identity
is in it only when the officer included it in the packet.
"""

from __future__ import annotations

import json
import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from typing import Any, ClassVar

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from saring.cases import categories
from saring.kernel.address import public_url

PACKET_SALT = "saring.cases.escalation-packet"
# A platform may fetch the packet for this long after the notice (it is in the notice body).
PACKET_LINK_AGE = timedelta(days=30)


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    error: str = ""
    # Nothing was attempted: the channel waits for a person (a batch download).
    deferred: bool = False


class Deliverer(ABC):
    """Sends one escalation through one kind of channel (Channel.Kind)."""

    kind: ClassVar[str]

    @abstractmethod
    def deliver(self, escalation) -> DeliveryResult: ...


_REGISTRY: dict[str, type[Deliverer]] = {}


def register(cls: type[Deliverer]) -> type[Deliverer]:
    _REGISTRY[cls.kind] = cls
    return cls


def deliverer_for(channel, **options) -> Deliverer:
    """The deliverer of `channel`'s kind; `options` go to its constructor (tests: timeouts)."""
    _load()
    try:
        return _REGISTRY[channel.kind](**options)
    except KeyError:
        raise LookupError(f"no deliverer for channel kind {channel.kind!r}") from None


def kinds() -> list[str]:
    _load()
    return sorted(_REGISTRY)


def _load() -> None:
    # The modules register themselves on import; imported here to keep base.py their root.
    from saring.cases.channels import batch, email, webhook  # noqa: F401


# Signatures: the packet link we hand out, and the HMAC both directions of a webhook use.


def packet_signature(escalation) -> str:
    return signing.dumps(escalation.pk, salt=PACKET_SALT, compress=False)


def packet_signature_valid(escalation_pk: int, signature: str) -> bool:
    try:
        value = signing.loads(signature, salt=PACKET_SALT, max_age=PACKET_LINK_AGE.total_seconds())
    except signing.BadSignature:
        return False
    return value == escalation_pk


# Links and the packet.


def absolute_url(path: str) -> str:
    return public_url(path)


def packet_url(escalation) -> str:
    """A signed, expiring download link of the escalation's packet (no login needed)."""
    path = reverse("web:escalation_packet", args=[escalation.pk])
    return absolute_url(f"{path}?sig={packet_signature(escalation)}")


def decision_url(escalation) -> str:
    return absolute_url(f"/api/v1/escalations/{escalation.pk}/decision")


def page_url(escalation) -> str:
    return absolute_url(reverse("web:escalation", args=[escalation.pk]))


def packet_bytes(escalation) -> bytes:
    if not escalation.packet:
        return b""
    with escalation.packet.open("rb") as handle:
        return handle.read()


def packet_key_id(escalation) -> str:
    """The id of the key that signed the packet, read from its manifest (empty if unknown)."""
    data = packet_bytes(escalation)
    if not data:
        return ""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.rsplit("/", 1)[-1].lower() == "manifest.json":
                    manifest = json.loads(archive.read(name))
                    key = manifest.get("key_id") or manifest.get("signature", {}).get("key_id")
                    return str(key or "")
    except (zipfile.BadZipFile, ValueError, AttributeError, KeyError):
        return ""
    return ""


# What every channel says.


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def explanation(escalation) -> str:
    """Why the content is illegal or violating: the category, the case and the legal bases."""
    case = escalation.case
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            _("Category: %(category)s") % {"category": categories.label(case.category)},
            _("Case: %(reference)s, %(title)s")
            % {"reference": case.reference, "title": case.title},
        ]
        if case.summary:
            lines.append(case.summary)
        citations = "; ".join(basis.citation for basis in case.bases.all())
        if citations:
            lines.append(_("Legal grounds: %(citations)s") % {"citations": citations})
        if escalation.note:
            lines.append(_("Note: %(note)s") % {"note": escalation.note})
    return "\n".join(lines)


def notice(escalation) -> dict[str, Any]:
    case = escalation.case
    notifier = case.organisation.name if case.organisation_id else "Bawaslu"
    body: dict[str, Any] = {
        "notice_id": escalation.reference,
        "submitted_at": _iso(escalation.created_at),
        "notifier": {
            "name": notifier,
            "type": "trusted_flagger",
            "country": "ID",
            "case_reference": case.reference,
        },
        "explanation": explanation(escalation),
        "category": case.category,
        "content": [
            {
                "url": item.url,
                "canonical_url": item.canonical_url,
                "platform": item.platform,
                "platform_id": item.content_id,
            }
            for item in case.items.all()
        ],
        "legal_grounds": [
            {"code": b.code, "kind": b.kind, "citation": b.citation, "url": b.url}
            for b in case.bases.all()
        ],
        "good_faith": True,
        "deadline": _iso(escalation.due_at),
        "deadline_source": escalation.due_source,
        "urgent": escalation.urgent,
        "packet": {
            "sha256": escalation.packet_sha256,
            "url": packet_url(escalation),
            "key_id": packet_key_id(escalation),
        },
        "callback": {"decision_url": decision_url(escalation)},
    }
    if escalation.include_personal:
        # The officer chose to include reporters' identity; the packet builder audited it.
        body["reporters"] = [
            {"name": r.reporter_name, "email": r.reporter_email, "phone": r.reporter_phone}
            for r in case.reports.all()
        ]
    return body
