"""The deployment's Ed25519 key that signs evidence packets (docs/packets.md).

The private key lives in `SARING_PACKET_KEY` or, by default, `DATA_DIR/packet-signing-key.pem`,
generated on first use with mode 0600. Platforms get the public key from
`GET /api/v1/packet-key` and check packets with it; its id is the first 16 hex digits of the
SHA-256 of the raw 32-byte public key.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from saring.kernel.keys import read_or_create

ALGORITHM = "Ed25519"
_lock = threading.Lock()
_keys: dict[Path, Ed25519PrivateKey] = {}


def key_path() -> Path:
    configured = getattr(settings, "SARING_PACKET_KEY", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "packet-signing-key.pem"


def _private_key() -> Ed25519PrivateKey:
    path = key_path()
    with _lock:
        if path not in _keys:
            _keys[path] = _load_or_create(path)
        return _keys[path]


def _load_or_create(path: Path) -> Ed25519PrivateKey:
    def generate() -> bytes:
        return Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )

    key = serialization.load_pem_private_key(read_or_create(path, generate), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_key() -> Ed25519PublicKey:
    return _private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def key_id_of(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def key_id() -> str:
    return key_id_of(public_key())


def sign(data: bytes) -> bytes:
    """The 64-byte Ed25519 signature of `data` with the deployment's key."""
    return _private_key().sign(data)


def load_public_key(public_pem: bytes | str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    if isinstance(public_pem, str):
        public_pem = public_pem.encode("ascii")
    key = serialization.load_pem_public_key(public_pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def verify_signature(public_pem: bytes, data: bytes, signature: bytes) -> bool:
    """Whether `signature` is the signature of `data` by the key in `public_pem`."""
    try:
        load_public_key(public_pem).verify(signature, data)
    except (InvalidSignature, UnsupportedAlgorithm, ValueError, TypeError):
        return False
    return True
