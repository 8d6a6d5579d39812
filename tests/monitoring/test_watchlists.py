"""Watchlists: flags with evidence, background re-scoring, region-scoped visibility."""

from __future__ import annotations

import pytest

from saring.accounts.scope import Scope, scope_for
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.services.ingest import ingest_file
from saring.monitoring.services.watchlists import (
    WatchlistPermissionError,
    rescore_watchlist,
    save_watchlist,
)
from saring.taxonomy.models import HarmCategory
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_taxonomy_and_national_watchlists():
    codes = set(HarmCategory.objects.values_list("code", flat=True))
    assert {
        "sara",
        "money_politics",
        "black_campaign",
        "attack_organisers",
        "wrong_procedure",
        "violence",
        "hate_speech",
    } <= codes
    assert Watchlist.objects.filter(province__isnull=True).count() >= 6


def test_an_inflected_form_raises_a_flag_that_says_why(tmp_path):
    ingest_file(
        write_jsonl(
            tmp_path / "a.jsonl", [post_line("1", "Ada bagi-bagi amplop serangan fajar di Garut")]
        ),
        "generic-jsonl",
    )
    flag = PostFlag.objects.select_related("category").get(post__platform_id="1")
    assert flag.category.code == "money_politics"
    assert any(e["term"] == "serangan fajar" for e in flag.evidence)


def test_editing_a_watchlist_rescores_existing_posts(tmp_path, django_capture_on_commit_callbacks):
    ingest_file(
        write_jsonl(
            tmp_path / "a.jsonl",
            [
                post_line("1", "Warga menolak penimbunan beras menjelang pemilu"),
                post_line("2", "Cuaca cerah di Jakarta"),
            ],
        ),
        "generic-jsonl",
    )
    admin = member("admin")
    category = HarmCategory.objects.get(code="black_campaign")
    with django_capture_on_commit_callbacks(execute=True):
        watchlist = save_watchlist(
            scope_for(admin), name="Timbun", category=category, terms="timbun"
        )
    assert list(
        PostFlag.objects.filter(watchlist=watchlist).values_list("post__platform_id", flat=True)
    ) == ["1"]
    assert PostFlag.objects.get(watchlist=watchlist).evidence[0]["surface"] == "penimbunan"
    watchlist.refresh_from_db()
    assert watchlist.rescored_version == watchlist.version
    with django_capture_on_commit_callbacks(execute=True):
        save_watchlist(
            scope_for(admin),
            watchlist=watchlist,
            name="Timbun",
            category=category,
            terms="cuaca",
        )
    assert list(
        PostFlag.objects.filter(watchlist=watchlist).values_list("post__platform_id", flat=True)
    ) == ["2"]


def test_deactivating_a_watchlist_removes_its_flags(tmp_path):
    ingest_file(
        write_jsonl(tmp_path / "a.jsonl", [post_line("1", "bakar kotak suara!")]), "generic-jsonl"
    )
    watchlist = Watchlist.objects.get(category__code="violence", province__isnull=True)
    assert PostFlag.objects.filter(watchlist=watchlist).exists()
    Watchlist.objects.filter(id=watchlist.id).update(is_active=False)
    rescore_watchlist(watchlist.id)
    assert not PostFlag.objects.filter(watchlist=watchlist).exists()


def test_regional_watchlists_are_invisible_to_other_regions_but_national_ones_are_shared():
    jabar_admin, jatim, bandung = (
        member("admin", "32"),
        member("viewer", "35"),
        member("viewer", "32", "32.73"),
    )
    category = HarmCategory.objects.get(code="sara")
    own = save_watchlist(
        scope_for(jabar_admin),
        name="Isu lokal Jabar",
        category=category,
        terms="contoh",
        notes="catatan internal",
    )
    assert own.province_id == "32"
    assert not Watchlist.objects.visible_to(scope_for(jatim)).filter(id=own.id).exists()
    assert Watchlist.objects.visible_to(scope_for(bandung)).filter(id=own.id).exists()
    national = Watchlist.objects.filter(province__isnull=True)
    assert (
        Watchlist.objects.visible_to(scope_for(jatim)).filter(id__in=national).count()
        == national.count()
    )


def test_flags_of_a_hidden_watchlist_do_not_reach_other_regions(tmp_path):
    admin = member("admin", "32")
    category = HarmCategory.objects.get(code="sara")
    watchlist = save_watchlist(scope_for(admin), name="Jabar", category=category, terms="seblak")
    ingest_file(
        write_jsonl(tmp_path / "a.jsonl", [post_line("1", "seblak pedas")]), "generic-jsonl"
    )
    post = Post.objects.get()
    assert PostFlag.objects.filter(post=post, watchlist=watchlist).exists()
    assert Post.objects.flagged(scope_for(member("viewer", "35")), "sara").count() == 0
    assert Post.objects.flagged(scope_for(member("viewer", "32")), "sara").count() == 1


def test_only_admins_of_the_region_edit_a_watchlist():
    national = Watchlist.objects.filter(province__isnull=True).first()
    analyst, regional_admin = member("analyst"), member("admin", "32")
    for user in (analyst, regional_admin):
        with pytest.raises(WatchlistPermissionError):
            save_watchlist(
                scope_for(user),
                watchlist=national,
                name="x",
                category=national.category,
                terms="x",
            )


def test_scope_rules_for_each_level():
    regency = Scope("32", "32.73", "viewer")
    assert regency.may_see(None, None) and regency.may_see("32", None)
    assert regency.may_see("32", "32.73") and not regency.may_see("32", "32.04")
    assert not regency.may_see("35", None)
    province = Scope("32", None, "admin")
    assert province.may_edit("32", "32.04") and not province.may_edit(None, None)
