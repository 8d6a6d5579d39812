"""`saring bench pages --json` measures every list page and says so in one JSON object."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from saring.monitoring.services.ingest import ingest_file
from tests.factories import member, post_line, write_jsonl

pytestmark = pytest.mark.django_db


def test_bench_pages_reports_each_page_the_posts_and_the_target(tmp_path):
    ingest_file(
        write_jsonl(tmp_path / "p.jsonl", [post_line("1"), post_line("2")]), "generic-jsonl"
    )
    member("admin", username="bench.admin")
    out = io.StringIO()
    call_command("bench", "pages", "--json", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    assert result["posts"] == 2 and result["target_ms"] == 300
    assert {"dashboard", "search", "narratives", "clarifications", "review queue"} <= set(
        result["pages"]
    )
    assert result["slowest_ms"] == max(result["pages"].values())
    assert set(result["pages_cold"]) >= {"dashboard"}


def test_bench_pages_needs_a_national_administrator():
    from saring.evaluation.pages_bench import NoAdmin, run

    with pytest.raises(NoAdmin):
        run(repeat=1)
