"""Recipients' addresses at rest: encrypted (Fernet), fingerprinted (HMAC-SHA256) and masked.

The key lives in `SARING_RECIPIENT_KEY` (a file path) or, by default,
`DATA_DIR/recipient-key` (generated on first use, mode 0600). Losing it makes the stored
addresses unreadable: the operator guide says to back it up with the database. Fingerprints
find duplicates and opt-outs without decrypting; they are keyed, so a leaked table cannot be
matched against a list of numbers without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings

from saring.kernel.keys import read_or_create

_lock = threading.Lock()


def key_path() -> Path:
    configured = getattr(settings, "SARING_RECIPIENT_KEY", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / "recipient-key"


@lru_cache(maxsize=4)
def _keys(path: Path) -> tuple[Fernet, bytes]:
    with _lock:
        material = read_or_create(path, Fernet.generate_key).strip()
    fingerprint_key = hashlib.sha256(b"saring-recipient-fingerprint:" + material).digest()
    return Fernet(material), fingerprint_key


def decryptor() -> Callable[[bytes], str]:
    """`decrypt` with the key resolved once (a sender decrypting a million addresses would
    otherwise spend a third of its time finding the key file)."""
    fernet = _keys(key_path())[0]
    return lambda token: fernet.decrypt(bytes(token)).decode("utf-8")


def encrypt(address: str) -> bytes:
    return _keys(key_path())[0].encrypt(address.encode("utf-8"))


def decrypt(token: bytes) -> str:
    return _keys(key_path())[0].decrypt(bytes(token)).decode("utf-8")


def fingerprint(channel: str, address: str) -> str:
    """Keyed hash of a normalised address (E.164 number or lower-case e-mail)."""
    message = f"{channel}:{address}".encode()
    return hmac.new(_keys(key_path())[1], message, hashlib.sha256).hexdigest()


def mask(address: str) -> str:
    """What a screen shows: `+62812****7890`, `a***@example.org`."""
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(address) <= 8:
        return "*" * len(address)
    return f"{address[:6]}{'*' * (len(address) - 10)}{address[-4:]}"
