"""The demo's speakers: its official accounts are registered before the posts are imported,
impostors of them are flagged, and campaign accounts posting in the quiet period too."""

from __future__ import annotations

import pytest

from saring.demo import services
from saring.demo.registry import campaign_accounts, official_accounts
from saring.demo.speakers import CAMPAIGN_ACCOUNTS, IMPOSTORS, speaker_lines
from saring.monitoring.models import Post
from saring.monitoring.services.ingest import ingest_file
from saring.registry.directory import Account, Directory


def test_the_speaker_lines_are_stable_and_their_accounts_registered():
    assert speaker_lines() == speaker_lines()
    campaign = {(a["platform"], a["handle"]) for a in campaign_accounts()}
    assert {(p, h) for p, h, _ in CAMPAIGN_ACCOUNTS} <= campaign
    directory = Directory(
        [
            Account(i, a["platform"], a["handle"], a["display_name"], "official")
            for i, a in enumerate(official_accounts(), start=1)
        ]
    )
    for platform, handle, name, _posts in IMPOSTORS:
        found = directory.identify(platform, handle, name)
        assert found is not None and found.kind == "impostor", handle


@pytest.mark.django_db
def test_the_demo_import_says_who_speaks(tmp_path, settings):
    from saring.demo.generator import write_jsonl

    settings.DATA_DIR = tmp_path
    services.ensure_demo_accounts()
    assert services.ensure_demo_registry()["created"] > 0
    main = tmp_path / "main.jsonl"
    write_jsonl(main, n_posts=1500, seed=2024)
    ingest_file(main, "generic-jsonl")
    ingest_file(services.demo_speakers_file(), "generic-jsonl")
    assert Post.objects.filter(speaker="official").count() > 0
    # every official post of the generator is recognised: none is left as an impostor of itself
    assert (
        not Post.objects.filter(account_flag="impostor")
        .exclude(platform_id__startswith="demo-speaker-")
        .exists()
    )
    assert Post.objects.filter(account_flag="impostor").count() == sum(
        len(posts) for *_, posts in IMPOSTORS
    )
    assert Post.objects.filter(account_flag="quiet_period").count() == 4
    assert Post.objects.filter(speaker="campaign").count() == 7
