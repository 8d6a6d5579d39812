"""Small builders for database tests (no third-party factory library needed yet)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

from saring.accounts.models import Membership, Organisation
from saring.accounts.services import ensure_member, ensure_organisation

PASSWORD = "a-long-test-password"
_ids = count(1)
BASE_TIME = datetime(2024, 2, 10, 8, 0, tzinfo=UTC)


def member(
    role: str = Membership.Role.ANALYST,
    province: str | None = None,
    regency: str | None = None,
    kind: str = Organisation.Kind.KPU,
    username: str = "",
):
    n = next(_ids)
    org = ensure_organisation(
        f"Org {n} {province or 'RI'} {regency or ''}", kind, province, regency
    )
    return ensure_member(username or f"user{n}", PASSWORD, org, role)


def post_line(
    platform_id: str,
    text: str = "Ayo ke TPS tanggal 14 Februari",
    *,
    platform: str = "x",
    hours: int = 0,
    observed_hours: int | None = None,
    views: int = 100,
    likes: int = 10,
    shares: int = 1,
    comments: int = 2,
    **extra,
) -> dict:
    created = BASE_TIME + timedelta(hours=hours)
    line = {
        "platform": platform,
        "platform_id": platform_id,
        "text": text,
        "created_at": created.isoformat(),
        "author_handle": f"akun{platform_id}",
        "views": views,
        "likes": likes,
        "shares": shares,
        "comments": comments,
    }
    if observed_hours is not None:
        line["observed_at"] = (created + timedelta(hours=observed_hours)).isoformat()
    line.update(extra)
    return line


def write_jsonl(path: Path, lines: list[dict | str]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False))
            handle.write("\n")
    return path
