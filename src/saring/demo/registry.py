"""The demo's known accounts: every official KPU and Bawaslu account the demo posts come from,
a few registered campaign accounts of fictional Pemilu 2024 participants, and a CSV file in
the data dir for a new user to try the import with (one of its rows is refused on purpose).

Idempotent: a second run changes nothing and writes no audit event. Everything goes through
`saring.registry.services`, acting as the demo's national admin (or the system)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from saring.accounts.scope import SYSTEM, Scope, scope_for
from saring.demo.geo import load_geo
from saring.demo.people import _officials  # the one place the demo's official authors are made
from saring.registry import services
from saring.registry.imports import csv_text
from saring.registry.models import KnownAccount

PEMILU = "pemilu.2024-02-14"
REGISTERED = date(2023, 11, 24)  # by 25 Nov 2023, three days before the campaign
# (participant, handle stem, platforms): fictional, not the 2024 candidates' real accounts
CAMPAIGN = (
    ("Paslon 01 (fiktif)", "paslon01.fiktif", ("tiktok", "instagram", "x", "youtube")),
    ("Paslon 02 (fiktif)", "paslon02.fiktif", ("tiktok", "instagram", "x", "facebook")),
    ("Paslon 03 (fiktif)", "paslon03.fiktif", ("tiktok", "instagram", "x")),
    ("Partai Contoh Nusantara (fiktif)", "partaicontoh.fiktif", ("instagram", "facebook")),
)
CSV_NAME = "akun-terdaftar-contoh.csv"
# What a KPU office might send: columns in Indonesian, dates as DD/MM/YYYY, one late row.
CSV_ROWS = [
    {"platform": "tiktok", "akun": "@partaimaju.fiktif", "nama": "Partai Maju (fiktif)",
     "jenis": "kampanye", "peserta": "Partai Maju (fiktif)", "pemilu": PEMILU,
     "wilayah": "", "tanggal_daftar": "22/11/2023", "tanggal_tutup": "", "catatan": ""},
    {"platform": "instagram", "akun": "https://www.instagram.com/partaimaju.fiktif/",
     "nama": "Partai Maju (fiktif)", "jenis": "kampanye", "peserta": "Partai Maju (fiktif)",
     "pemilu": PEMILU, "wilayah": "", "tanggal_daftar": "22/11/2023",
     "tanggal_tutup": "10/02/2024", "catatan": ""},
    {"platform": "x", "akun": "partaimaju_fiktif", "nama": "Partai Maju (fiktif)",
     "jenis": "kampanye", "peserta": "Partai Maju (fiktif)", "pemilu": PEMILU, "wilayah": "",
     "tanggal_daftar": "27/11/2023", "tanggal_tutup": "",
     "catatan": "didaftarkan terlambat: masuk karantina"},
    {"platform": "youtube", "akun": "@kpu_ri", "nama": "KPU RI", "jenis": "resmi",
     "peserta": "", "pemilu": "", "wilayah": "", "tanggal_daftar": "", "tanggal_tutup": "",
     "catatan": "kanal YouTube resmi"},
    {"platform": "tiktok", "akun": "kpu_kotabandung", "nama": "KPU Kota Bandung",
     "jenis": "resmi", "peserta": "", "pemilu": "", "wilayah": "32.73", "tanggal_daftar": "",
     "tanggal_tutup": "", "catatan": ""},
]  # fmt: skip


def _scope() -> Scope:
    admin = get_user_model().objects.filter(username="admin").first()
    return scope_for(admin) if admin is not None else SYSTEM


def official_accounts() -> list[dict]:
    """The registry entries of the demo's official authors (one per handle and platform)."""
    authors, _weights = _officials(load_geo())
    seen: set[tuple[str, str]] = set()
    entries = []
    for author in authors:
        key = (author.platform, author.handle)
        if key in seen:
            continue
        seen.add(key)
        entries.append(
            {
                "platform": author.platform,
                "handle": author.handle,
                "display_name": author.name,
                "kind": KnownAccount.Kind.OFFICIAL,
                "body": "bawaslu" if author.cluster == "bawaslu" else "kpu",
                "region": author.area_code,
            }
        )
    return entries


def campaign_accounts() -> list[dict]:
    return [
        {
            "platform": platform,
            "handle": stem,
            "display_name": participant,
            "kind": KnownAccount.Kind.CAMPAIGN,
            "participant": participant,
            "election": PEMILU,
            "registered_on": REGISTERED,
            "url": "",
        }
        for participant, stem, platforms in CAMPAIGN
        for platform in platforms
    ]


def fill_demo_registry() -> dict[str, int]:
    """Put the demo's known accounts in the registry and write the demo CSV; returns how many
    entries were created, updated and unchanged."""
    scope = _scope()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    touched = False
    with transaction.atomic():
        for fields in official_accounts() + campaign_accounts():
            existing = KnownAccount.objects.filter(
                platform=fields["platform"], handle=fields["handle"]
            ).first()
            stored = services.store(scope, existing, fields)
            key = "created" if stored.created else "updated" if stored.changed else "unchanged"
            counts[key] += 1
            touched = touched or bool(stored.changed)
        if touched:
            services.announce(None)  # once for the lot, not once per account
    demo_csv()
    return counts


def demo_csv() -> Path:
    """The example file for the import page (written once; a user may have edited it)."""
    folder = Path(settings.DATA_DIR) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CSV_NAME
    if not path.exists():
        path.write_text(csv_text(CSV_ROWS), encoding="utf-8")
    return path
