"""/api/v1/ routes for evidence packets: the public key that signs them (docs/packets.md).

No authentication: a platform checks a packet it received without an account on Saring."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from saring.cases import signing
from saring.cases.packets import FORMAT

router = Router(tags=["packets"])


class PacketKeyOut(Schema):
    key_id: str = Field(
        description="First 16 hex digits of the SHA-256 of the raw 32-byte public key; "
        "manifest.json names it as `key_id`."
    )
    algorithm: Literal["Ed25519"]
    public_key_pem: str = Field(description="SubjectPublicKeyInfo PEM.")
    format: str = Field(description="The packet format this key signs.")


@router.get(
    "/packet-key",
    auth=None,
    response=PacketKeyOut,
    summary="The public key that signs evidence packets",
    description=(
        "Evidence packets (ZIP) carry `manifest.json` and `manifest.sig`, the base64 Ed25519 "
        "signature over the exact bytes of manifest.json. Verify it with this key, then each "
        "file's SHA-256 against the manifest. No authentication."
    ),
)
def packet_key(request: HttpRequest) -> dict:
    return {
        "key_id": signing.key_id(),
        "algorithm": signing.ALGORITHM,
        "public_key_pem": signing.public_key_pem(),
        "format": FORMAT,
    }
