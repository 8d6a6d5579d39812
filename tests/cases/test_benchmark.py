"""`saring bench cases`: the benchmark's code path at a tiny size, and its URL forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from saring.cases import benchmark
from saring.cases.models import Case, Decision, Report
from saring.sources.links import canonicalise


def test_every_form_of_a_content_is_one_key_and_contents_are_distinct():
    keys = {}
    platforms = set()
    for index in range(120):
        forms = benchmark.content_forms(index)
        assert len(forms) >= 4
        assert len(set(forms)) == len(forms)  # really written differently
        found = {canonicalise(url).key for url in forms}
        assert len(found) == 1, (index, forms, found)
        key = found.pop()
        assert key not in keys, (index, keys.get(key))
        keys[key] = index
        platforms.add(canonicalise(forms[0]).platform)
    assert platforms == {"tiktok", "youtube", "x", "facebook", "instagram", "other"}


def test_the_plan_reports_every_content_and_is_deterministic():
    plan = benchmark.report_plan(200, 40)
    assert len(plan) == 200
    assert {index for index, _url in plan} == set(range(40))
    assert plan == benchmark.report_plan(200, 40)
    assert len({url for _index, url in plan}) > 40  # the same content in several forms


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert benchmark._percentile(values, 95) == 95.0
    assert benchmark._percentile([3.0], 95) == 3.0
    assert benchmark._percentile([], 95) == 0.0


def test_the_child_never_sees_the_users_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db/real")
    monkeypatch.setenv("SARING_SMTP_HOST", "mail.example.org:25")
    env = benchmark.child_env(tmp_path / "data", None)
    assert "DATABASE_URL" not in env
    assert "SARING_SMTP_HOST" not in env
    assert env["SARING_DATA_DIR"] == str(tmp_path / "data")
    assert env["SARING_TASKS"] == "database"
    assert benchmark.child_env(tmp_path, "postgres://x/empty")["DATABASE_URL"] == (
        "postgres://x/empty"
    )


@pytest.mark.django_db
def test_a_tiny_run_makes_one_case_per_content_and_measures_every_part():
    result = benchmark.run(
        reports=200, contents=40, decisions=10, cases_for_list=300, list_requests=5
    )
    assert result["reports"] == 200
    assert result["reports_failed"] == 0, result["first_error"]
    assert result["expected_cases"] == 40
    assert result["cases"] == result["expected_cases"]
    assert result["targets"]["cases"]["met"] is True
    assert Report.objects.filter(channel=Report.Channel.PARTNER).count() == 200
    assert result["decisions"] == 10
    assert result["decisions_failed"] == 0, result["decisions_first_error"]
    assert result["decisions_stored"] == 10
    assert Decision.objects.filter(via="api").count() == 10
    reported = Case.objects.filter(reports__channel=Report.Channel.PARTNER).distinct()
    assert reported.filter(state=Case.State.ANSWERED).count() == 10
    assert Case.objects.count() >= 300  # the list's cases (and the packet's case)
    assert result["case_list_page_status"] == 200  # the page itself was timed
    assert result["case_list_requests"] == 5
    assert result["case_list_p95_ms"] >= result["case_list_median_ms"] > 0
    assert result["packet_seconds"] > 0
    assert result["packet_bytes"] > 0
    assert set(result["targets"]) == {"reports_per_s", "case_list_p95_ms", "packet_seconds",
                                      "cases"}  # fmt: skip
    assert result["machine"]["database"] in ("sqlite", "postgresql")
    assert result["machine"]["cores"] >= 1
    json.dumps(result)  # --json prints it as one object
    lines = "\n".join(benchmark.summary_lines(result))
    for key in ("reports_per_s", "expected_cases", "case_list_p95_ms", "packet_seconds",
                "decisions_per_s"):  # fmt: skip
        assert key in lines


def test_bench_cases_is_registered_and_runs_isolated(monkeypatch, capsys):
    calls = {}

    def fake(reports, contents, decisions, cases_for_list, *, database_url, progress):
        calls.update(reports=reports, contents=contents, decisions=decisions,
                     cases_for_list=cases_for_list, database_url=database_url)  # fmt: skip
        progress("working…")
        return {"reports": reports, "cases": 3, "expected_cases": 3}

    monkeypatch.setattr(benchmark, "run_isolated", fake)
    call_command(
        "bench", "cases", "--json", "--reports", "7", "--contents", "3", "--decisions", "2",
        "--cases-for-list", "9",
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert json.loads(out) == {"reports": 7, "cases": 3, "expected_cases": 3}
    assert "working…" in err  # progress on stderr, the figures alone on stdout
    assert calls == {"reports": 7, "contents": 3, "decisions": 2, "cases_for_list": 9,
                     "database_url": None}  # fmt: skip


def test_the_packet_target_file_exists_after_a_run_is_not_in_the_repository():
    # The benchmark writes only under the throwaway data dir: nothing in the source tree.
    assert not list(Path(benchmark.__file__).parent.glob("*.zip"))
