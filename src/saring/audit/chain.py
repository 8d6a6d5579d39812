"""The hash of an audit event: what is chained, and how (pure functions, no database)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

GENESIS = "0" * 64  # prev_hash of the first event

# The fields that make an event; a change to any of them changes its hash.
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor",
    "organisation_id",
    "organisation",
    "action",
    "subject_type",
    "subject_id",
    "subject",
    "from_state",
    "to_state",
    "reason",
    "details",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    return value


def event_hash(prev_hash: str, fields: Mapping[str, Any]) -> str:
    """sha256 over the previous hash and the event's fields in canonical JSON."""
    body = {name: _canonical(fields[name]) for name in HASHED_FIELDS}
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()
