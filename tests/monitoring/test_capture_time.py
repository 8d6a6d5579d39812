"""An old export imported today keeps the virality it had when it was captured (issue #10 §3)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from saring.accounts.scope import scope_for
from saring.monitoring.models import EngagementObservation, ImportRun, Post
from saring.monitoring.services.ingest import ingest_file
from saring.monitoring.services.uploads import start_upload
from tests.factories import PASSWORD, member, post_line, write_jsonl

pytestmark = pytest.mark.django_db

CAPTURED = datetime(2024, 2, 20, 3, 0, tzinfo=UTC)  # 10:00 WIB, six days after the vote


def _old_export(tmp_path, name="old.jsonl", **extra):
    # Posts of 10-14 February 2024 with no observation time of their own: the file's mtime
    # (today) is all the importer knows unless the capture time is given.
    lines = [
        post_line(str(i), hours=24 * i, views=50_000, likes=4_000, shares=900, comments=300)
        for i in range(3)
    ]
    for line in lines:
        line.update(extra)
    return write_jsonl(tmp_path / name, lines)


def _expected_floor() -> float:
    # 900 shares*5 + 300 comments*3 + 4,000 likes + 50,000 views*0.05 = 11,900 weighted
    # interactions over at most 10 days (240 h): about 50 an hour, log10(51) ≈ 1.7.
    return 1.5


def test_an_old_export_without_a_capture_time_looks_dead_today(tmp_path):
    # The behaviour the fix is about: read as observed now, 3 years of age flatten it.
    ingest_file(_old_export(tmp_path), "generic-jsonl")
    assert max(Post.objects.values_list("virality", flat=True)) < 0.6


def test_the_command_line_captured_at_gives_the_virality_of_the_capture(tmp_path):
    call_command(
        "ingest",
        str(_old_export(tmp_path)),
        "--format",
        "generic-jsonl",
        "--captured-at",
        "2024-02-20T10:00",
        "--no-progress",
    )
    posts = list(Post.objects.all())
    assert len(posts) == 3
    assert all(p.observed_at == CAPTURED for p in posts)
    assert min(p.virality for p in posts) > _expected_floor()
    assert "age" in posts[0].virality_basis


def test_a_captured_at_column_in_the_file_is_used(tmp_path):
    path = _old_export(tmp_path, captured_at="2024-02-20T10:00:00+07:00")
    ingest_file(path, "generic-jsonl")
    assert set(Post.objects.values_list("observed_at", flat=True)) == {CAPTURED}
    assert min(Post.objects.values_list("virality", flat=True)) > _expected_floor()


@pytest.mark.parametrize("column", ["scraped_at", "retrieved_at", "observation_time"])
def test_the_common_names_of_a_capture_column_work_in_csv(tmp_path, column):
    path = tmp_path / "old.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["platform", "id", "text", "created_at", "shares", column])
        writer.writerow(["x", "7", "Ayo ke TPS", "2024-02-12 09:00", "1200", "2024-02-20 10:00"])
    ingest_file(path, "generic-csv")
    assert Post.objects.get().observed_at == CAPTURED


def test_a_meta_content_library_export_with_a_collected_at_column(tmp_path):
    path = tmp_path / "meta.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "creation_time", "text", "statistics_share_count", "collected_at"])
        writer.writerow(["55", "2024-02-12T02:00:00", "Ayo ke TPS", "300", "2024-02-20T03:00:00"])
    ingest_file(path, "meta-cl")
    assert Post.objects.get().observed_at == CAPTURED


def test_an_upload_with_a_capture_time_gets_it_and_stays_idempotent(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    analyst = member("analyst", "32")
    body = _old_export(tmp_path).read_bytes()
    scope = scope_for(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        run = start_upload(
            scope, analyst, SimpleUploadedFile("old.jsonl", body), "generic-jsonl", CAPTURED
        )
    run.refresh_from_db()
    assert run.status == ImportRun.Status.DONE  # immediate tasks in the test settings
    assert run.observed_default == CAPTURED
    assert min(Post.objects.values_list("virality", flat=True)) > _expected_floor()
    # The same bytes uploaded again, without a time or with another one: nothing is added.
    with django_capture_on_commit_callbacks(execute=True):
        again = start_upload(scope, analyst, SimpleUploadedFile("old.jsonl", body), "generic-jsonl")
    with django_capture_on_commit_callbacks(execute=True):
        third = start_upload(
            scope,
            analyst,
            SimpleUploadedFile("copy.jsonl", body),
            "generic-jsonl",
            datetime(2024, 3, 1, tzinfo=UTC),
        )
    for later in (again, third):
        later.refresh_from_db()
        assert later.observed_default == CAPTURED
        assert (later.created, later.updated, later.unchanged) == (0, 0, 3)
    assert EngagementObservation.objects.count() == 3
    assert "kept" in third.error  # the differing stated time is said, not silently dropped


def test_the_upload_form_asks_for_the_capture_time(
    client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    analyst = member("analyst", "32")
    client.login(username=analyst.username, password=PASSWORD)
    page = client.get(reverse("web:imports"))
    assert 'name="captured_at"' in page.content.decode()
    assert 'type="datetime-local"' in page.content.decode()
    body = _old_export(tmp_path).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("web:imports"),
            {
                "file": SimpleUploadedFile("old.jsonl", body),
                "format": "generic-jsonl",
                "captured_at": "2024-02-20T10:00",  # the form's local time: WIB
            },
        )
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.observed_default == CAPTURED
    assert min(Post.objects.values_list("virality", flat=True)) > _expected_floor()
    detail = client.get(reverse("web:import_detail", args=[run.pk]))
    assert 'id="run-captured"' in detail.content.decode()


def test_a_capture_time_in_the_future_is_refused(client, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    analyst = member("analyst", "32")
    client.login(username=analyst.username, password=PASSWORD)
    response = client.post(
        reverse("web:imports"),
        {
            "file": SimpleUploadedFile("x.jsonl", json.dumps(post_line("1")).encode()),
            "format": "generic-jsonl",
            "captured_at": "2999-01-01T10:00",
        },
    )
    assert response.status_code == 200
    assert "captured_at" in response.context["form"].errors
    assert not ImportRun.objects.exists()


def test_a_bad_captured_at_on_the_command_line_is_refused(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="captured-at"):
        call_command(
            "ingest",
            str(_old_export(tmp_path)),
            "--format",
            "generic-jsonl",
            "--captured-at",
            "kemarin",
            "--no-progress",
        )
    assert not Post.objects.exists()
