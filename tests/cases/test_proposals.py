"""Automatic proposals: each signal proposes one draft case at or above its level, nothing
below it or for an inactive rule, never a second case for content already in one, and nothing
escalated."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from saring.audit.models import AuditEvent
from saring.cases import proposals
from saring.cases.models import Case, CaseItem, ProposalRule, Report
from saring.factcheck.models import Claim, Clarification, PostMatch
from saring.harms.models import HarmModel, PostHarmScore
from saring.kernel.hooks import AFTER_IMPORT
from saring.monitoring.models import ImportRun, Post
from tests.cases.conftest import make_case

_n = iter(range(1, 100_000))


def post(**fields) -> Post:
    n = next(_n)
    now = timezone.now()
    defaults = {
        "platform": "tiktok",
        "platform_id": str(7400000000000000000 + n),
        "author_handle": f"akun{n}",
        "text": f"Surat suara sudah dicoblos duluan {n}",
        "created_at": now,
        "observed_at": now,
    }
    defaults.update(fields)
    if "url" not in fields:
        defaults["url"] = (
            f"https://www.tiktok.com/@{defaults['author_handle']}/video/{defaults['platform_id']}"
        )
    return Post.objects.create(**defaults)


def rule(signal: str, level: float = 0.9, active: bool = True) -> None:
    ProposalRule.objects.update_or_create(
        signal=signal, defaults={"level": level, "is_active": active}
    )
    ProposalRule.objects.exclude(signal=signal).update(is_active=False)


def clarification(verdict: str = "HOAKS", status: str = "published") -> Clarification:
    claim = Claim.objects.create(text="Surat suara dicoblos duluan")
    return Clarification.objects.create(
        claim=claim, headline="Tidak benar", verdict=verdict, status=status
    )


def harm_score(p: Post, top: float) -> None:
    model = HarmModel.objects.first() or HarmModel.objects.create(version=1, status="active")
    PostHarmScore.objects.create(post=p, model=model, scores={"hoax": top, "sara": 0.1}, top=top)


def proposed() -> list[Case]:
    return list(Case.objects.filter(origin="automatic").order_by("id"))


@pytest.mark.django_db
def test_false_match_confirmed_or_scored_at_level():
    rule("false_match", 0.8)
    false = clarification("HOAKS")
    confirmed, scored, below, true_claim, draft = post(), post(), post(), post(), post()
    PostMatch.objects.create(post=confirmed, clarification=false, score=0.5, decision="confirmed")
    PostMatch.objects.create(post=scored, clarification=false, score=0.8, decision="suggested")
    PostMatch.objects.create(post=below, clarification=false, score=0.79, decision="suggested")
    PostMatch.objects.create(
        post=true_claim, clarification=clarification("BENAR"), score=0.99, decision="confirmed"
    )
    PostMatch.objects.create(
        post=draft, clarification=clarification("SALAH", "draft"), score=0.99, decision="auto"
    )
    counts = proposals.propose_counts(Post.objects.all())
    assert counts["false_match"] == 2 and sum(counts.values()) == 2
    cases = proposed()
    assert {c.items.get().post_id for c in cases} == {confirmed.pk, scored.pk}
    case = next(c for c in cases if c.items.get().post_id == scored.pk)
    assert case.state == "draft" and case.signal == "false_match" and case.category == "hoax"
    assert case.signal_detail["score"] == 0.8 and case.signal_detail["clarification"] == false.pk
    report = case.reports.get()
    assert report.channel == Report.Channel.AUTOMATIC
    assert (report.reporter_name, report.reporter_email, report.reporter_phone) == ("", "", "")
    assert report.notify == Report.Notify.NONE
    assert case.items.get().key == f"tiktok:{scored.platform_id}"
    assert AuditEvent.objects.filter(action="case.proposed", subject_id=str(case.pk)).exists()


@pytest.mark.django_db
def test_harm_score_at_level_only():
    rule("harm_score", 0.9)
    high, low = post(), post()
    harm_score(high, 0.95)
    harm_score(low, 0.89)
    assert proposals.propose(Post.objects.all()) == 1
    (case,) = proposed()
    assert case.signal == "harm_score" and case.signal_detail["top"] == 0.95
    assert case.category == "hoax" and case.items.get().post_id == high.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("signal", "category"), [("quiet_period", "quiet_period"), ("impostor", "impersonation")]
)
def test_account_flags_propose(signal, category):
    rule(signal, 0.0)
    flagged = post(account_flag=signal, province_id="32", regency_id="32.73")
    post(account_flag="")
    other_flag = "impostor" if signal == "quiet_period" else "quiet_period"
    post(account_flag=other_flag)  # its rule is inactive
    assert proposals.propose(Post.objects.all()) == 1
    (case,) = proposed()
    assert case.signal == signal and case.category == category
    assert case.items.get().post_id == flagged.pk
    assert (case.province_id, case.regency_id) == ("32", "32.73")
    if signal == "quiet_period":
        assert case.priority == Case.Priority.HIGH


@pytest.mark.django_db
def test_inactive_rule_proposes_nothing():
    rule("impostor", 0.0, active=False)
    post(account_flag="impostor")
    assert proposals.propose(Post.objects.all()) == 0
    assert proposed() == []


@pytest.mark.django_db
def test_rerun_and_content_already_in_a_case_propose_nothing_new():
    rule("impostor", 0.0)
    p = post(account_flag="impostor")
    assert proposals.propose(Post.objects.all()) == 1
    assert proposals.propose(Post.objects.all()) == 0
    reported = post(account_flag="impostor", url="")  # no URL: keyed platform:platform_id
    existing = make_case()
    CaseItem.objects.filter(case=existing).update(key=f"tiktok:{reported.platform_id}")
    assert proposals.propose(Post.objects.all()) == 0
    assert len(proposed()) == 1 and proposed()[0].items.get().post_id == p.pk
    assert not Case.objects.filter(origin="automatic").exclude(state="draft").exists()


@pytest.mark.django_db
def test_one_case_for_a_post_with_several_signals():
    ProposalRule.objects.update(is_active=True, level=0.5)
    p = post(account_flag="impostor")
    harm_score(p, 0.99)
    counts = proposals.propose_counts(Post.objects.all())
    assert counts == {"impostor": 1, "quiet_period": 0, "false_match": 0, "harm_score": 0}
    (case,) = proposed()
    assert case.signal_detail["signals"] == ["harm_score", "impostor"]


@pytest.mark.django_db
def test_after_import_hook_queues_the_run(django_capture_on_commit_callbacks):
    assert proposals.queue_proposals_of_run in AFTER_IMPORT
    rule("impostor", 0.0)
    run = ImportRun.objects.create(format="jsonl", file_name="x.jsonl")
    post(account_flag="impostor", first_run=run)
    post(account_flag="impostor")  # another run's post
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposals.queue_proposals_of_run(run)
        assert proposed() == []  # the hook itself only queued work
    assert len(callbacks) == 1
    assert len(proposed()) == 1


@pytest.mark.django_db
def test_propose_command_counts_per_signal():
    rule("impostor", 0.0)
    run = ImportRun.objects.create(format="jsonl", file_name="x.jsonl")
    post(account_flag="impostor", first_run=run)
    post(account_flag="impostor")
    out = StringIO()
    call_command("cases", "propose", "--run", str(run.pk), "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["proposed"]["impostor"] == 1 and answer["total"] == 1
    out = StringIO()
    call_command("cases", "propose", "--since", "1", stdout=out)
    assert "impostor: 1" in out.getvalue() and "total: 1" in out.getvalue()
