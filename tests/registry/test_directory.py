"""Who an author is (saring.registry.directory): exact accounts, impostors of official ones, and
ordinary people who must not be taken for impostors. Pure: no database."""

from __future__ import annotations

import time
from random import Random

import pytest

from saring.registry.directory import THRESHOLD, Account, Directory, keys_of, skeleton

KPU_RI = Account(1, "x", "kpu_ri", "KPU RI", "official", "kpu")
BAWASLU_RI = Account(2, "x", "bawaslu_ri", "Bawaslu RI", "official", "bawaslu")
KPU_JABAR = Account(3, "tiktok", "kpu_jabar", "KPU Provinsi Jawa Barat", "official", "kpu")
KPU_RI_TIKTOK = Account(4, "tiktok", "kpu_ri", "KPU RI", "official", "kpu")
CAMPAIGN = Account(5, "tiktok", "ganjar_official", "Ganjar Pranowo", "campaign", "", "pemilu")


@pytest.fixture
def directory() -> Directory:
    return Directory([KPU_RI, BAWASLU_RI, KPU_JABAR, KPU_RI_TIKTOK, CAMPAIGN])


def test_registered_accounts_are_found_exactly(directory):
    assert directory.identify("x", "kpu_ri").kind == "official"
    assert directory.identify("x", "@KPU_RI", "whatever").account is KPU_RI
    # The same body's handle registered on another platform is that platform's account.
    assert directory.identify("tiktok", "kpu_ri").account is KPU_RI_TIKTOK
    found = directory.identify("tiktok", "ganjar_official", "Ganjar Pranowo")
    assert (found.kind, found.account_id, found.score) == ("campaign", 5, 100.0)


@pytest.mark.parametrize(
    "platform, handle, name, imitated",
    [
        ("x", "kpu_rii", "", KPU_RI),  # one letter added
        ("tiktok", "kpu_rii", "KPU RI Official", KPU_RI),
        ("instagram", "kpu.ri.official", "", KPU_RI),  # separators and a noise word
        ("x", "officialkpuri", "", KPU_RI),
        ("x", "bawas1u_ri", "", BAWASLU_RI),  # a digit for a letter
        ("x", "bawaslu", "", BAWASLU_RI),  # the body without its country mark
        ("facebook", "rakyat_peduli_123", "KPU RI", KPU_RI),  # a registered name, another handle
        ("x", "kpu_jabar", "", KPU_JABAR),  # an official handle where it is not registered
        ("x", "kpu_jabarr", "KPU Jawa Barat", KPU_JABAR),
    ],
)
def test_imitations_of_official_accounts_are_impostors(directory, platform, handle, name, imitated):
    found = directory.identify(platform, handle, name)
    assert found is not None and found.kind == "impostor"
    assert found.account is imitated
    assert found.score >= THRESHOLD


@pytest.mark.parametrize(
    "handle, name",
    [
        ("andi", "Andi"),
        ("andi_pratama88", "Andi Pratama"),
        ("kpu_watch_fans", "KPU Watch Fans"),  # names the body, imitates no account
        ("pantau_bawaslu", "Pantau Bawaslu"),
        ("bawaslu_watch", ""),
        ("kang_jabar", "Kang Jabar"),
        ("kpu_ru", ""),  # one letter changed in a 5-letter key: 80, under the threshold
        ("ganjarpranowo", "Ganjar Pranowo"),  # campaign accounts are not protected
        ("ri", "ID"),  # too short to imitate anything
        ("", ""),
    ],
)
def test_ordinary_authors_are_nobody(directory, handle, name):
    assert directory.identify("x", handle, name) is None


def test_skeletons_fold_look_alikes_and_noise():
    assert skeleton("@KPU_RI") == skeleton("kpu.r1") == skeleton("KPU  Rl") == "kpuri"
    assert skeleton("Bawaslü RI") == skeleton("bawas1u_ri")
    assert skeleton("the.real.kpu.official") == "kpu"
    assert keys_of("kpu_ri") == ("kpuri", "kpu")
    assert keys_of("ri") == ()


def test_an_empty_directory_knows_nobody():
    assert Directory().identify("x", "kpu_ri", "KPU RI") is None


def test_no_demo_author_is_taken_for_an_impostor():
    """The false-positive rate decision 0013 quotes: every invented author of the demo pool,
    and 100,000 more people made the same way, against the demo's official accounts."""
    from saring.demo.geo import load_geo
    from saring.demo.people import _person, build_pool, pick_region

    geo = load_geo()
    pool = build_pool(Random(2024 * 7919 + 1), geo)
    directory = Directory(
        [
            Account(i, a.platform, a.handle, a.name, "official")
            for i, a in enumerate(pool.officials, start=1)
        ]
    )
    authors = [a for group in pool.users.values() for a in group]
    authors += [a for group in pool.spreaders.values() for a in group]
    authors += [m for cluster in pool.clusters for m in cluster.members]
    assert [a.handle for a in authors if directory.identify(a.platform, a.handle, a.name)] == []
    rng = Random(7)
    people = [_person(rng, pick_region(rng, geo)) for _ in range(100_000)]
    assert [p for p in people if directory.identify("x", *p)] == []
    official = pool.officials[0]
    assert directory.identify(official.platform, official.handle, official.name).kind == (
        "official"
    )


def test_identify_is_fast_on_a_realistic_registry():
    """50,000 distinct authors against 2,000 official + 3,000 campaign accounts: the ingest
    calls identify once per new post (cached per author)."""
    from saring.demo.geo import load_geo
    from saring.demo.people import _person, pick_region
    from saring.monitoring.benchmark import synthetic_registry

    rows = synthetic_registry(2000, 3000)
    directory = Directory(
        [
            Account(i, r["platform"], r["handle"], r["display_name"], r["kind"])
            for i, r in enumerate(rows, start=1)
        ]
    )
    assert len(directory) == 5000
    geo = load_geo()
    rng = Random(3)
    people = [_person(rng, pick_region(rng, geo)) for _ in range(50_000)]
    started = time.perf_counter()
    found = [directory.identify("x", handle, name) for handle, name in people]
    seconds = time.perf_counter() - started
    # Measured 1.3-1.5 s on a 2-core Xeon while other tests ran (decision 0013); the bound
    # leaves room for a loaded CI machine.
    assert seconds < 3.0, f"50,000 identify calls took {seconds:.2f} s"
    assert sum(1 for f in found if f is not None and f.kind == "impostor") == 0
    # Cached: the same authors again cost a dict look-up each.
    started = time.perf_counter()
    for handle, name in people:
        directory.identify("x", handle, name)
    assert time.perf_counter() - started < 0.2
