"""The demo's writes: demo accounts, the synthetic posts file, published demo clarifications.

Each is idempotent (re-running `saring demo` adds nothing) and goes through the contexts' own
services (accounts, monitoring ingest, factcheck), acting as the demo's national admin.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from saring.accounts.models import Membership, Organisation
from saring.accounts.services import ensure_member, ensure_organisation
from saring.demo.generator import write_jsonl

DEMO_PASSWORD = "saring-demo-2024"  # noqa: S105 - printed to the user; demo accounts only
# username, organisation, kind, province, regency, role
DEMO_ACCOUNTS = (
    ("admin", "KPU RI", Organisation.Kind.KPU, None, None, Membership.Role.ADMIN),
    (
        "analis.jabar",
        "KPU Provinsi Jawa Barat",
        Organisation.Kind.KPU,
        "32",
        None,
        Membership.Role.ANALYST,
    ),
    (
        "admin.jabar",
        "KPU Provinsi Jawa Barat",
        Organisation.Kind.KPU,
        "32",
        None,
        Membership.Role.ADMIN,
    ),
    (
        "pemantau.bandung",
        "KPU Kota Bandung",
        Organisation.Kind.KPU,
        "32",
        "32.73",
        Membership.Role.VIEWER,
    ),
    ("bawaslu", "Bawaslu RI", Organisation.Kind.BAWASLU, None, None, Membership.Role.ANALYST),
    (
        "bawaslu.jatim",
        "Bawaslu Provinsi Jawa Timur",
        Organisation.Kind.BAWASLU,
        "35",
        None,
        Membership.Role.ANALYST,
    ),
    ("komdigi", "Komdigi", Organisation.Kind.KOMDIGI, None, None, Membership.Role.VIEWER),
)


def ensure_demo_accounts() -> None:
    for username, org_name, kind, province, regency, role in DEMO_ACCOUNTS:
        org = ensure_organisation(org_name, kind, province, regency)
        ensure_member(username, DEMO_PASSWORD, org, role, superuser=username == "admin")


def demo_posts_file(posts: int, seed: int, say: Callable[[str], None]) -> Path:
    """The synthetic posts file in the data dir, written once per size and seed."""
    folder = settings.DATA_DIR / "demo"
    folder.mkdir(exist_ok=True)
    path = folder / f"pemilu2024-demo-{posts}-{seed}.jsonl"
    if not path.exists():
        say(f"Writing {posts:,} synthetic posts to {path}…")
        partial = path.with_suffix(".partial")
        write_jsonl(partial, n_posts=posts, seed=seed)
        partial.replace(path)  # never leave a half-written file that looks complete
    return path


def ensure_demo_registry() -> dict[str, int]:
    """The demo's known accounts (its official KPU/Bawaslu accounts and campaign accounts),
    stored BEFORE the posts are imported: the import reads the registry to say who speaks."""
    from saring.demo.registry import fill_demo_registry

    return fill_demo_registry()


def demo_speakers_file() -> Path:
    """The demo's impostor and campaign-account posts (demo/speakers.py), a file of their own
    beside the generator's so its numbers do not change."""
    from saring.demo.speakers import write_speakers_jsonl

    folder = settings.DATA_DIR / "demo"
    folder.mkdir(exist_ok=True)
    path = folder / "pemilu2024-demo-speakers.jsonl"
    partial = path.with_suffix(".partial")
    write_speakers_jsonl(partial)  # small and deterministic: rewritten each run, same bytes
    partial.replace(path)
    return path


def publish_demo_clarifications() -> int:
    """One published KPU clarification per hoax narrative of the demo data (idempotent)."""
    from saring.accounts.scope import scope_for
    from saring.demo.narratives import NARRATIVES
    from saring.factcheck.models import Clarification
    from saring.factcheck.services import save_clarification

    admin = get_user_model().objects.get(username="admin")
    for narrative in NARRATIVES:
        url = f"https://demo.saring.invalid/klarifikasi/{narrative.slug}"
        existing = Clarification.objects.filter(url=url).first()
        if existing is not None:
            continue
        clarification = save_clarification(
            scope_for(admin),
            claim_text=narrative.title,
            headline=narrative.title[:1].upper() + narrative.title[1:],
            verdict=narrative.verdict,
            explanation=narrative.fact[:1].upper() + narrative.fact[1:],
            url=url,
            publisher="KPU RI (demo)",
            publish=True,
        )
        Clarification.objects.filter(id=clarification.id).update(external_id=url)
    return len(NARRATIVES)
