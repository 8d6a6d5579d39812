"""Who speaks: official posts are counter-messages (kept as evidence, never counted as harms),
campaign accounts posting in the quiet period and impostors of official accounts are flagged,
and a registry change re-reads the stored posts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import translation

from saring.accounts.scope import SYSTEM
from saring.harms import queue
from saring.monitoring import reports
from saring.monitoring.api import _flags
from saring.monitoring.models import Post, PostFlag
from saring.monitoring.querysets import PostSelection
from saring.monitoring.services.ingest import ingest_file
from saring.monitoring.services.speakers import assign_speakers, respeak
from saring.registry.models import KnownAccount
from saring.registry.services import deactivate_account, save_account
from saring.web import exports
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db
PEMILU = "pemilu.2024-02-14"


def official(handle: str, name: str, body: str = "bawaslu", platform: str = "x") -> KnownAccount:
    return KnownAccount.objects.create(
        platform=platform, handle=handle, display_name=name, kind="official", body=body
    )


def campaign(handle: str, platform: str = "tiktok") -> KnownAccount:
    return KnownAccount.objects.create(
        platform=platform,
        handle=handle,
        display_name="Paslon 09 (fiktif)",
        kind="campaign",
        participant="Paslon 09 (fiktif)",
        election_id=PEMILU,
        registered_on=date(2023, 11, 20),
        closed_on=date(2024, 2, 10),
    )


def ingest(tmp_path, lines: list[dict], name: str = "a.jsonl") -> None:
    ingest_file(write_jsonl(tmp_path / name, lines), "generic-jsonl")


def test_an_official_warning_is_a_counter_message_not_a_harm(tmp_path, client):
    official("bawaslu_ri", "Bawaslu RI")
    ingest(
        tmp_path,
        [
            post_line(
                "1",
                "Tolak politik uang! Pemberi politik uang dapat dipidana.",
                author_handle="bawaslu_ri",
                views=90_000,
                shares=900,
            ),
            post_line("2", "Ada bagi-bagi amplop serangan fajar di Garut", views=50),
        ],
    )
    warning, harm = Post.objects.get(platform_id="1"), Post.objects.get(platform_id="2")
    assert (warning.speaker, warning.known_account.handle) == ("official", "bawaslu_ri")
    # The evidence is kept ...
    assert PostFlag.objects.filter(post=warning, category__code="money_politics").exists()
    # ... and read as a counter-message everywhere harms are counted, listed or filtered.
    posts = Post.objects.all()
    assert reports.totals(posts, SYSTEM).flagged == 1
    assert {c["code"]: c["n"] for c in reports.flags_by_category(posts, SYSTEM, "en")} == {
        "money_politics": 1
    }
    assert sum(r["flagged"] for r in reports.by_region(posts, SYSTEM, None)) == 1
    flagged = Post.objects.selected(PostSelection(category="money_politics"), SYSTEM)
    assert list(flagged) == [harm]
    assert list(Post.objects.selected(PostSelection(category="any"), SYSTEM)) == [harm]
    assert _flags(SYSTEM, [warning.id, harm.id]) == {harm.id: ["money_politics"]}
    analyst = member("analyst")
    # cold start: the viral official warning would come first if its flag counted
    assert queue.next_post(analyst, "money_politics") == (harm, "spreading")
    assert queue.next_post(analyst) == (harm, "spreading")
    with translation.override("en"):
        rows = {row[1]: row for row in exports.rows(Post.objects.order_by("id"), SYSTEM)}
    at = exports.COLUMNS.index
    assert (rows["1"][at("flags")], rows["1"][at("counter_messages")]) == ("", "Money politics")
    assert rows["1"][at("speaker")] == "Official account"
    assert (rows["2"][at("flags")], rows["2"][at("counter_messages")]) == ("Money politics", "")
    # The post page and the result list show the evidence as a counter-message.
    client.login(username=analyst.username, password=PASSWORD)
    # Pages answer in the interface language, Indonesian by default.
    page = client.get(f"/posts/{warning.pk}/").content.decode()
    assert 'data-speaker="official"' in page and "Akun resmi" in page
    assert 'id="counter-note"' in page and 'class="tag counter"' in page
    assert 'class="tag flag"' not in page
    listing = client.get("/posts/", {"q": "politik"}).content.decode()
    assert 'data-speaker="official"' in listing and "Pesan tandingan" in listing


def test_a_campaign_account_in_the_quiet_period_is_flagged(tmp_path):
    campaign("paslon09_official")
    ingest(
        tmp_path,
        [
            post_line(
                "q", "Ayo dukung paslon 09!", platform="tiktok", author_handle="paslon09_official"
            )
            | {"created_at": "2024-02-12T10:00:00+07:00"},
            post_line(
                "c", "Ayo dukung paslon 09!", platform="tiktok", author_handle="paslon09_official"
            )
            | {"created_at": "2024-02-09T10:00:00+07:00"},
            # 18:00 UTC on 10 Feb is 01:00 on 11 Feb in Jakarta: already the quiet period
            post_line(
                "z", "Paslon 09 menang!", platform="tiktok", author_handle="paslon09_official"
            )
            | {"created_at": "2024-02-10T18:00:00+00:00"},
            # an ordinary author on the same day is nobody's campaign
            post_line("u", "Ayo dukung paslon 09!", platform="tiktok", author_handle="warga")
            | {"created_at": "2024-02-12T10:00:00+07:00"},
        ],
    )
    got = {p.platform_id: (p.speaker, p.account_flag) for p in Post.objects.all()}
    assert got == {
        "q": ("campaign", "quiet_period"),
        "c": ("campaign", ""),
        "z": ("campaign", "quiet_period"),
        "u": ("", ""),
    }


def test_an_impostor_of_an_official_account_is_flagged(tmp_path, client):
    kpu = official("kpu_ri", "KPU RI", body="kpu")
    ingest(
        tmp_path,
        [
            post_line(
                "h",
                "Pemungutan suara diundur ke 21 Februari!",
                author_handle="kpu_rii",
                author_name="KPU RI Official",
            ),
            post_line("o", "Cek DPT di cekdptonline.kpu.go.id", author_handle="kpu_ri"),
            post_line("w", "Pantau terus KPU", author_handle="kpu_watch_fans"),
        ],
    )
    hoax = Post.objects.get(platform_id="h")
    assert (hoax.speaker, hoax.account_flag, hoax.known_account_id) == ("", "impostor", kpu.id)
    assert Post.objects.get(platform_id="o").speaker == "official"
    assert Post.objects.get(platform_id="w").account_flag == ""
    assert Post.objects.filter(account_flag="impostor").count() == 1
    viewer = member("viewer")
    client.login(username=viewer.username, password=PASSWORD)
    with translation.override("en"):
        page = client.get(f"/posts/{hoax.pk}/").content.decode()
    assert 'data-account-flag="impostor"' in page and "@kpu_ri" in page


def test_assign_speakers_sets_unsaved_posts():
    official("kpu_ri", "KPU RI", body="kpu")
    posts = [
        Post(platform="x", author_handle="@KPU_RI", author_name="", created_at="2024-02-01"),
        Post(
            platform="x", author_handle="kpu.ri.official", author_name="", created_at="2024-02-01"
        ),
        Post(platform="x", author_handle="andi", author_name="Andi", created_at="2024-02-01"),
    ]
    assign_speakers(posts)
    assert [(p.speaker, p.account_flag) for p in posts] == [
        ("official", ""),
        ("", "impostor"),
        ("", ""),
    ]


def test_a_registry_change_re_reads_the_stored_posts(tmp_path, django_capture_on_commit_callbacks):
    ingest(
        tmp_path,
        [
            post_line(
                "1", "Hati-hati hoaks! Cek faktanya di kanal resmi.", author_handle="kpujatim"
            ),
            post_line("2", "Info dari KPU Jatim", author_handle="kpu.jatim.resmi"),
            post_line("3", "Cuaca cerah", author_handle="andi"),
        ],
    )
    assert set(Post.objects.values_list("speaker", "account_flag")) == {("", "")}
    with django_capture_on_commit_callbacks(execute=True):
        account = save_account(
            SYSTEM,
            platform="x",
            handle="kpujatim",
            kind="official",
            body="kpu",
            display_name="KPU Provinsi Jawa Timur",
        )
    got = {p.platform_id: (p.speaker, p.account_flag) for p in Post.objects.all()}
    assert got == {"1": ("official", ""), "2": ("", "impostor"), "3": ("", "")}
    with django_capture_on_commit_callbacks(execute=True):
        deactivate_account(SYSTEM, account, "handed over")
    assert set(Post.objects.values_list("speaker", "account_flag", "known_account")) == {
        ("", "", None)
    }
    # The command walks every post and writes only what changed.
    account.is_active = True
    account.save()
    result = respeak()
    assert (result.posts, result.changed, result.official, result.impostor) == (3, 2, 1, 1)
    call_command("posts", "speakers", "--account", "x:kpujatim", "--json", verbosity=0)
    assert respeak().changed == 0


def test_an_official_clarification_post_is_no_hoax_candidate(tmp_path, client):
    from saring.factcheck.models import Claim, Clarification, PostMatch
    from saring.harms import hoax

    official("kpu_ri", "KPU RI", body="kpu")
    ingest(
        tmp_path,
        [
            post_line("k", "[KLARIFIKASI] Surat suara sudah dicoblos? Tidak benar.",
                      author_handle="kpu_ri"),
            post_line("h", "Surat suara sudah dicoblos duluan!", author_handle="warga"),
        ],
    )  # fmt: skip
    false = Clarification.objects.create(
        claim=Claim.objects.create(text="surat suara sudah dicoblos"),
        headline="Tidak benar",
        verdict="SALAH",
        status="published",
    )
    for post in Post.objects.all():
        PostMatch.objects.create(post=post, clarification=false, score=0.9, decision="auto")
    assert [p.platform_id for p in hoax.candidates(Post.objects.all())] == ["h"]
    client.login(username=member("viewer").username, password=PASSWORD)
    page = client.get(f"/posts/{Post.objects.get(platform_id='k').pk}/").content.decode()
    assert 'id="hoax-candidate"' not in page
