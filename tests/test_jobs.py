"""Jobs are commands first: every background job runs as a `saring …` command, and its task
calls the very function the command calls, with the same arguments.

Posts are imported with the background work off (inside a test the on-commit hooks that queue
matching, clustering and scoring never fire), so each command is seen doing the work itself.
"""

from __future__ import annotations

import inspect
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings

from saring.factcheck import jobs as factcheck_jobs
from saring.factcheck import matching
from saring.factcheck import tasks as factcheck_tasks
from saring.factcheck.models import Claim, Clarification, PassageVector, PostMatch, PostNarrative
from saring.harms import jobs as harms_jobs
from saring.harms import tasks as harms_tasks
from saring.harms.models import HarmModel, PostHarmScore
from saring.monitoring import jobs as monitoring_jobs
from saring.monitoring import tasks as monitoring_tasks
from saring.monitoring.models import Post, PostFlag, Watchlist
from saring.monitoring.services.ingest import ingest_file
from saring.taxonomy.models import HarmCategory
from tests.factories import post_line, write_jsonl

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
HOAX = [
    "Surat suara sudah dicoblos sebelum hari pencoblosan, ini buktinya!!",
    "ss udh dicoblos duluan sblm hari H, parah bgt",
    "Viral surat suara tercoblos untuk paslon tertentu sebelum 14 Februari",
]
CHATTER = ["Makan siang nasi padang enak banget", "Macet parah di tol dalam kota pagi ini"]
COPY = "surat suara sudah dicoblos sebelum hari pemungutan suara di kota bandung hari ini"


@pytest.fixture(autouse=True)
def fresh_matcher():
    matching.reset_index()  # each test has its own database, so its own clarifications
    yield
    matching.reset_index()


def run(*argv) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*argv, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def import_posts(tmp_path, texts: list[str], name: str = "posts.jsonl") -> list[int]:
    """Import posts without their background jobs; returns their ids in order."""
    lines = [post_line(f"{name}-{i}", text) for i, text in enumerate(texts)]
    ingest_file(write_jsonl(tmp_path / name, lines), "generic-jsonl")
    ids = Post.objects.filter(platform_id__startswith=f"{name}-").order_by("id")
    return list(ids.values_list("id", flat=True))


def clarification(
    status: str = Clarification.Status.PUBLISHED,
    claim: str = "Surat suara sudah dicoblos sebelum hari pemungutan suara",
    headline: str = "[SALAH] Surat suara sudah tercoblos sebelum hari H",
) -> Clarification:
    """A clarification written straight to the table: no service, so nothing is queued."""
    return Clarification.objects.create(
        claim=Claim.objects.create(text=claim),
        headline=headline,
        verdict="SALAH",
        status=status,
    )


def linked(clarification_id: int) -> set[int]:
    return set(
        PostMatch.objects.filter(clarification_id=clarification_id).values_list(
            "post_id", flat=True
        )
    )


# The commands do the work.


def test_match_posts_links_the_copies_of_its_range_with_a_line_per_chunk(tmp_path):
    published = clarification()
    ids = import_posts(tmp_path, HOAX + CHATTER)
    outside = import_posts(tmp_path, HOAX[:1], name="later.jsonl")
    assert not PostMatch.objects.exists()  # the import queued nothing that ran

    out, _ = run("match", "posts", "--from-id", ids[0], "--to-id", ids[-1], "--chunk", "2")

    assert {ids[0], ids[2]} <= linked(published.id)
    assert not linked(published.id) & {ids[3], ids[4], *outside}
    lines = out.splitlines()
    assert len(lines) == 4  # 5 posts in chunks of 2: three progress lines, then the summary
    assert lines[0].strip().startswith("2/5 posts")
    assert lines[-1].startswith("match posts: 5 posts against 1 clarifications")


def test_match_posts_without_a_range_matches_every_post_and_says_so_in_json(tmp_path):
    published = clarification()
    first = import_posts(tmp_path, HOAX[:1])
    second = import_posts(tmp_path, HOAX[2:3], name="b.jsonl")
    out, _ = run("match", "posts", "--json")
    result = json.loads(out)
    assert (result["posts"], result["clarifications"]) == (2, 1)
    assert result["links"] == len(linked(published.id)) == 2
    assert linked(published.id) == {*first, *second}


def test_match_posts_with_nothing_published_does_nothing_and_says_why(tmp_path):
    clarification(status=Clarification.Status.DRAFT)
    import_posts(tmp_path, HOAX)
    out, _ = run("match", "posts")
    assert out.strip() == "match posts: no published clarification, nothing to match"
    assert not PostMatch.objects.exists()


def test_match_clarification_links_existing_posts_backwards(tmp_path):
    ids = import_posts(tmp_path, HOAX + CHATTER)
    published = clarification()
    assert not PostMatch.objects.exists()
    out, _ = run("match", "clarification", published.id, "--json")
    assert {ids[0], ids[2]} <= linked(published.id)
    assert not linked(published.id) & {ids[3], ids[4]}
    assert json.loads(out)["links"] == len(linked(published.id))


def test_match_clarification_refuses_an_unknown_id_and_leaves_a_draft_alone(tmp_path):
    import_posts(tmp_path, HOAX)
    with pytest.raises(CommandError, match="there is no clarification 999"):
        run("match", "clarification", "999")
    with pytest.raises(CommandError, match="needs its ID"):
        run("match", "clarification")
    draft = clarification(status=Clarification.Status.DRAFT)
    out, _ = run("match", "clarification", draft.id)
    assert "not published" in out and not PostMatch.objects.exists()


def test_a_range_that_ends_before_it_starts_is_refused():
    with pytest.raises(CommandError, match="--from-id 9 is after --to-id 3"):
        run("match", "posts", "--from-id", "9", "--to-id", "3")
    with pytest.raises(CommandError, match="--chunk must be at least 1"):
        run("narratives", "cluster", "--chunk", "0")


def test_embed_clarifications_stores_the_vectors_of_the_published_ones():
    published = [  # distinct texts: a vector is stored once per text
        clarification(),
        clarification(claim="Pemilu 2024 ditunda", headline="[SALAH] Pemilu tidak ditunda"),
    ]
    clarification(Clarification.Status.DRAFT, "KTP elektronik wajib", "[SALAH] Tidak wajib")
    out, _ = run("embed", "clarifications", "--json")
    result = json.loads(out)
    assert result["clarifications"] == 2
    assert result["stored"] == PassageVector.objects.count() == (2 if result["dense"] else 0)
    if result["dense"]:  # only the published ones, unless named
        only = json.loads(run("embed", "clarifications", "--id", published[0].id, "--json")[0])
        assert (only["clarifications"], only["stored"]) == (1, 0)  # already stored: kept
        assert PassageVector.objects.count() == 2


def test_narratives_cluster_groups_copies_and_a_rerun_changes_nothing(tmp_path):
    ids = import_posts(
        tmp_path,
        [COPY, COPY + " parah", "wah " + COPY, "resep nasi goreng kampung pedas manis enak"],
    )
    assert not PostNarrative.objects.exists()
    out, _ = run("narratives", "cluster", "--from-id", ids[0], "--to-id", ids[-1])
    copies = PostNarrative.objects.filter(post_id__in=ids[:3])
    assert copies.count() == 3 and copies.values("narrative").distinct().count() == 1
    other = PostNarrative.objects.get(post_id=ids[3]).narrative
    assert other != copies.first().narrative
    assert out.splitlines()[-1].startswith("narratives cluster: 4 of 4 posts clustered")
    again = json.loads(run("narratives", "cluster", "--json")[0])
    assert (again["posts"], again["clustered"]) == (4, 0)
    assert PostNarrative.objects.count() == 4


def training_csv(tmp_path):
    rows = ["text,Abusive"]
    for i in range(15):
        rows += [f"dasar bego {i} kamu goblok,1", f"ayo ke tps {i} besok pagi,0"]
    path = tmp_path / "latih.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    return path


def test_model_score_scores_a_range_with_the_active_model(tmp_path):
    ids = import_posts(tmp_path, ["dasar bego kamu goblok", "ayo ke tps besok", "cek dpt"])
    out, _ = run("model", "score")
    assert out.strip() == "model score: no model is active, nothing scored"
    run("model", "train", "--csv", str(training_csv(tmp_path)), "--activate")
    assert not PostHarmScore.objects.exists()  # re-scoring was queued, not run

    out, _ = run("model", "score", "--from-id", ids[0], "--to-id", ids[1], "--json")

    active = HarmModel.objects.get(status="active")
    assert json.loads(out) | {"seconds": 0} == {
        "model": active.version,
        "posts": 2,
        "scored": 2,
        "seconds": 0,
    }
    scores = PostHarmScore.objects.filter(model=active)
    assert set(scores.values_list("post_id", flat=True)) == set(ids[:2])
    assert (
        scores.get(post_id=ids[0]).scores["abusive"] > scores.get(post_id=ids[1]).scores["abusive"]
    )


def test_model_train_version_runs_a_queued_training_once(tmp_path):
    queued = HarmModel.objects.create(version=1, source=str(training_csv(tmp_path)))
    out, _ = run("model", "train", "1")
    queued.refresh_from_db()
    assert queued.status == "ready" and "v1 ready" in out
    # The worker reaching the same queued job later leaves the version as it is.
    assert harms_jobs.train_model(queued.id).trained is False
    assert HarmModel.objects.get(id=queued.id).status == "ready"
    with pytest.raises(CommandError, match="there is no version 5"):
        run("model", "train", "5")


def test_watchlists_rescore_flags_posts_and_stale_skips_the_current_ones(tmp_path):
    ids = import_posts(tmp_path, ["nasi padang enak sekali", "macet di tol", "nasi padang lagi"])
    watchlist = Watchlist.objects.create(
        name="uji", category=HarmCategory.objects.first(), terms="nasi padang"
    )
    assert not PostFlag.objects.filter(watchlist=watchlist).exists()  # added after the import

    out, _ = run("watchlists", "rescore", "--id", watchlist.id)

    flagged = set(PostFlag.objects.filter(watchlist=watchlist).values_list("post_id", flat=True))
    assert flagged == {ids[0], ids[2]}
    assert out.splitlines()[0].strip() == f"watchlist {watchlist.id} (uji): 2 posts flagged"
    assert out.splitlines()[-1].startswith("watchlists rescore: 1 watchlists, 2 post flags")
    seeded = Watchlist.objects.exclude(id=watchlist.id)
    seeded.update(rescored_version=F("version"))  # as if re-scored: only ours is looked at
    assert json.loads(run("watchlists", "rescore", "--stale", "--json")[0])["watchlists"] == []
    Watchlist.objects.filter(id=watchlist.id).update(version=2)  # edited since
    stale = json.loads(run("watchlists", "rescore", "--stale", "--json")[0])
    assert stale["watchlists"] == [watchlist.id]
    with pytest.raises(CommandError, match="there is no watchlist 99999"):
        run("watchlists", "rescore", "--id", watchlist.id, "99999")


# The tasks call the commands' functions, with the same arguments.


class Recorder:
    """Stands in for a job function: records each call (arguments bound to the real function's
    signature, defaults applied, `progress` left out) and returns a fixed result."""

    def __init__(self, real, result):
        self.real, self.result, self.calls = real, result, []

    def __call__(self, *args, **kwargs):
        bound = inspect.signature(self.real).bind(*args, **kwargs)
        bound.apply_defaults()
        self.calls.append({k: v for k, v in bound.arguments.items() if k != "progress"})
        return self.result


JOBS = [
    pytest.param(
        factcheck_jobs,
        "match_posts",
        factcheck_jobs.MatchResult(posts=7, links=2, clarifications=1),
        lambda ids: (factcheck_tasks.match_new_posts_task, (3, 9)),
        lambda ids: ["match", "posts", "--from-id", "3", "--to-id", "9"],
        id="match posts (an import's range)",
    ),
    pytest.param(
        factcheck_jobs,
        "match_posts",
        factcheck_jobs.MatchResult(posts=7, links=2, clarifications=1),
        lambda ids: (factcheck_tasks.match_all_posts_task, ()),
        lambda ids: ["match", "posts"],
        id="match posts (every post)",
    ),
    pytest.param(
        factcheck_jobs,
        "match_clarification",
        factcheck_jobs.BackwardMatchResult(clarification=4, published=True, links=3),
        lambda ids: (factcheck_tasks.match_clarification_task, (4,)),
        lambda ids: ["match", "clarification", "4"],
        id="match clarification",
    ),
    pytest.param(
        factcheck_jobs,
        "embed_clarifications",
        factcheck_jobs.EmbedResult(clarifications=2, stored=2, dense=True),
        lambda ids: (factcheck_tasks.embed_clarifications_task, ([4, 5],)),
        lambda ids: ["embed", "clarifications", "--id", "4", "5"],
        id="embed clarifications",
    ),
    pytest.param(
        factcheck_jobs,
        "cluster_posts",
        factcheck_jobs.ClusterResult(posts=7, clustered=5),
        lambda ids: (factcheck_tasks.cluster_posts_task, (3, 9)),
        lambda ids: ["narratives", "cluster", "--from-id", "3", "--to-id", "9"],
        id="narratives cluster",
    ),
    pytest.param(
        harms_jobs,
        "score_posts",
        harms_jobs.ScoreResult(model=2, posts=7, scored=7),
        lambda ids: (harms_tasks.score_posts_task, (3, 9)),
        lambda ids: ["model", "score", "--from-id", "3", "--to-id", "9"],
        id="model score",
    ),
    pytest.param(
        harms_jobs,
        "train_model",
        harms_jobs.TrainResult(model=7, status="training", trained=False),
        lambda ids: (harms_tasks.train_model_task, (ids["model"],)),
        lambda ids: ["model", "train", "7"],
        id="model train",
    ),
    pytest.param(
        monitoring_jobs,
        "rescore_watchlists",
        monitoring_jobs.RescoreResult(watchlists=[5], flags=11),
        lambda ids: (monitoring_tasks.rescore_watchlist_task, (5,)),
        lambda ids: ["watchlists", "rescore", "--id", "5"],
        id="watchlists rescore",
    ),
]


@pytest.mark.parametrize(("module", "name", "result", "task_call", "argv"), JOBS)
def test_the_task_calls_the_function_of_its_command(
    monkeypatch, module, name, result, task_call, argv
):
    ids = {"model": HarmModel.objects.create(version=7).id}  # `model train 7` looks it up
    recorder = Recorder(getattr(module, name), result)
    monkeypatch.setattr(module, name, recorder)
    task, args = task_call(ids)

    run(*argv(ids))
    with override_settings(TASKS=IMMEDIATE):
        done = task.enqueue(*args)

    assert done.status == "SUCCESSFUL", done.errors
    assert len(recorder.calls) == 2
    assert recorder.calls[0] == recorder.calls[1]  # the command's arguments, the task's
    assert done.return_value == result.as_dict()


def test_retuning_from_the_command_and_the_task_is_one_function(monkeypatch):
    from saring.factcheck import calibration
    from saring.text.matching.thresholds import Thresholds

    result = calibration.RetuneResult(
        "lexical-test", Thresholds(auto=0.9, suggest=0.5), Thresholds(0.8, 0.4), 30, 20
    )
    recorder = Recorder(calibration.retune_thresholds, result)
    monkeypatch.setattr(calibration, "retune_thresholds", recorder)
    out, _ = run("clarifications", "retune")
    with override_settings(TASKS=IMMEDIATE):
        done = factcheck_tasks.retune_thresholds_task.enqueue()
    assert len(recorder.calls) == 2 and recorder.calls[0] == recorder.calls[1]
    assert "30 reviewer decisions" in out
    assert done.return_value == {"decisions": 30, "changed": True}


def test_an_upload_is_imported_by_the_function_of_saring_ingest():
    from saring.monitoring.management.commands import ingest as ingest_command
    from saring.monitoring.services import ingest as ingest_service

    assert monitoring_tasks.ingest_file is ingest_service.ingest_file
    assert ingest_command.ingest_file is ingest_service.ingest_file
