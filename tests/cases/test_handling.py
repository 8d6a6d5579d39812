"""Handling: every move of the case workflow, triage rules, plain moves, assignment, the
follow-up extension, and officers' findings (post, narrative, bulk) without duplicates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from saring.accounts.models import Organisation
from saring.accounts.scope import ScopeError
from saring.audit.models import AuditEvent
from saring.cases.models import Case, CaseItem, LegalBasis, Report
from saring.cases.services import handling, notify
from saring.cases.services.handling import HandlingError
from saring.cases.workflow import CASE_WORKFLOW
from saring.factcheck.models import Narrative, PostNarrative
from saring.monitoring.models import Post
from saring.workflow import TransitionError, transition
from saring.workflow.engine import states_reachable
from tests.cases.conftest import BANDUNG, BOGOR, JABAR, make_case, scope
from tests.factories import member

pytestmark = pytest.mark.django_db
_posts = count(1)
T0 = datetime(2024, 2, 5, 9, 0, tzinfo=UTC)


def events(case: Case, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(subject_type="cases.case", subject_id=str(case.pk), action=action)
    )


def make_post(province: str | None = JABAR, regency: str | None = BANDUNG, **fields) -> Post:
    n = next(_posts)
    pid = fields.pop("platform_id", f"74{n:08d}")
    return Post.objects.create(
        platform="tiktok",
        platform_id=pid,
        url=f"https://www.tiktok.com/@penyebar/video/{pid}",
        author_handle="penyebar",
        text=fields.pop("text", f"TPS {n} dipindah, jangan datang!"),
        created_at=T0,
        observed_at=T0 + timedelta(hours=1),
        province_id=province,
        regency_id=regency,
        **fields,
    )


# --- the transition table ----------------------------------------------------------------------


def test_every_state_is_reachable_from_a_proposal():
    assert states_reachable(CASE_WORKFLOW, "draft") == set(Case.State.values)


@pytest.mark.parametrize(("source", "target"), sorted(CASE_WORKFLOW.moves))
def test_every_move_of_the_table_is_allowed_to_the_office_and_refused_elsewhere(
    source, target, bawaslu_bandung, bawaslu_bogor
):
    case = make_case(state=source)
    refused = scope(bawaslu_bogor)  # a sibling regency's analyst
    assert not CASE_WORKFLOW.permits(refused, case, target)
    with pytest.raises(ScopeError):
        transition(case, CASE_WORKFLOW, target, scope=refused, why="x")
    viewer = scope(member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU))
    with pytest.raises(ScopeError):
        transition(case, CASE_WORKFLOW, target, scope=viewer, why="x")
    office = scope(bawaslu_bandung)
    assert CASE_WORKFLOW.permits(office, case, target)
    moved = transition(case, CASE_WORKFLOW, target, scope=office, why="karena")
    assert moved.state == target
    event = AuditEvent.objects.filter(subject_id=str(case.pk)).order_by("-seq").first()
    assert (event.from_state, event.to_state, event.reason) == (source, target, "karena")
    assert event.action == CASE_WORKFLOW.moves[(source, target)].action.value


@pytest.mark.parametrize("source", Case.State.values)
def test_moves_outside_the_table_are_refused(source, bawaslu_bandung):
    case = make_case(state=source)
    for target in set(Case.State.values) - CASE_WORKFLOW.targets(source):
        with pytest.raises(TransitionError):
            transition(case, CASE_WORKFLOW, target, scope=scope(bawaslu_bandung))
    assert Case.objects.get(pk=case.pk).state == source


# --- triage ------------------------------------------------------------------------------------


def _triage(actor, case, **overrides):
    fields = {
        "valid": True,
        "reason": "",
        "category": "hoax",
        "bases": list(LegalBasis.objects.filter(code__startswith="uu7-2017")[:2]),
        "province": JABAR,
        "regency": BANDUNG,
        "priority": Case.Priority.NORMAL,
    }
    fields.update(overrides)
    return handling.triage(scope(actor), case, **fields)


def test_a_valid_triage_records_everything_and_tells_the_reporters(
    bawaslu_bandung, monkeypatch, django_capture_on_commit_callbacks
):
    told = []
    monkeypatch.setattr(notify, "case_changed", lambda case, event: told.append((case.pk, event)))
    case = make_case()
    with django_capture_on_commit_callbacks(execute=True):
        case = _triage(
            bawaslu_bandung, case, priority=Case.Priority.URGENT, assignee=bawaslu_bandung
        )
    case.refresh_from_db()
    assert case.state == "triaged" and case.is_valid is True and case.triaged_at
    assert case.priority == Case.Priority.URGENT and case.assignee == bawaslu_bandung
    assert sorted(case.bases.values_list("code", flat=True)) == sorted(
        LegalBasis.objects.filter(code__startswith="uu7-2017")[:2].values_list("code", flat=True)
    )
    assert told == [(case.pk, "triaged")]
    (event,) = events(case, "case.triaged")
    assert event.details["bases"] and event.details["assignee"] == bawaslu_bandung.username
    # Re-triage is allowed (triaged → triaged).
    _triage(bawaslu_bandung, case, category="sara")
    assert Case.objects.get(pk=case.pk).category == "sara"


def test_not_valid_needs_the_reason_and_rejects(bawaslu_bandung):
    case = make_case()
    with pytest.raises(HandlingError) as refused:
        _triage(bawaslu_bandung, case, valid=False, reason="  ")
    assert refused.value.field == "reason"
    case = _triage(bawaslu_bandung, case, valid=False, reason="Bukan pelanggaran pemilu.")
    assert case.state == "rejected" and case.is_valid is False
    assert case.validity_reason == "Bukan pelanggaran pemilu."


def test_routing_stays_within_the_officers_region(bawaslu_bandung, bawaslu_jabar):
    bogor_office = scope(member("analyst", JABAR, BOGOR, kind=Organisation.Kind.BAWASLU))
    case = make_case()
    with pytest.raises(HandlingError):  # a regency may not send a case to its sibling
        _triage(bawaslu_bandung, case, regency=BOGOR)
    case = _triage(bawaslu_jabar, case, regency=BOGOR)  # a province routes to its regencies
    assert (case.province_id, case.regency_id) == (JABAR, BOGOR)
    assert case.organisation_id == bogor_office.organisation_id
    with pytest.raises(HandlingError):
        _triage(bawaslu_jabar, case, province="31", regency=None)


def test_the_assignee_must_be_able_to_handle_the_case(bawaslu_bandung, bawaslu_bogor):
    case = make_case()
    with pytest.raises(HandlingError):
        _triage(bawaslu_bandung, case, assignee=bawaslu_bogor)
    kpu = member("analyst", JABAR, BANDUNG)
    with pytest.raises(HandlingError):
        handling.assign(scope(bawaslu_bandung), case, kpu)
    assert (
        handling.assign(scope(bawaslu_bandung), case, bawaslu_bandung).assignee == bawaslu_bandung
    )
    assert events(case, "case.updated")[0].details["assignee"] == bawaslu_bandung.username


def test_the_quiet_period_raises_priority(bawaslu_bandung):
    case = make_case(in_quiet_period=True)
    case = _triage(bawaslu_bandung, case, priority=Case.Priority.LOW)
    assert case.priority == Case.Priority.HIGH


def test_a_sibling_cannot_triage(bawaslu_bogor):
    with pytest.raises(ScopeError):
        _triage(bawaslu_bogor, make_case())


# --- plain moves -------------------------------------------------------------------------------


def test_moves_need_a_reason_where_the_reporter_is_owed_one(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    case = make_case(state="closed")
    with pytest.raises(HandlingError):
        handling.move(office, case, "reopened", "")
    case = handling.move(office, case, "reopened", "Bukti baru")
    assert case.state == "reopened"
    case = handling.move(office, case, "closed", "")
    assert case.state == "closed" and case.closed_at
    with pytest.raises(HandlingError):  # escalation and merges have their own services
        handling.move(office, case, "escalated", "x")
    assert handling.allowed_moves(office, case) == ["reopened", "appealed"]


def test_accepting_a_proposal_starts_the_follow_up_clock(bawaslu_bandung):
    case = make_case(state="draft", origin=Case.Origin.AUTOMATIC)
    case = handling.move(scope(bawaslu_bandung), case, "received", "")
    assert case.state == "received" and case.follow_up_due is not None


def test_the_follow_up_extends_once_and_is_audited(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    case = make_case()
    with pytest.raises(HandlingError):
        handling.extend_follow_up(office, case, "")
    case = handling.extend_follow_up(office, case, "Menunggu keterangan saksi")
    assert case.follow_up_extended and case.follow_up_due > case.created_at + timedelta(days=7)
    with pytest.raises(HandlingError):
        handling.extend_follow_up(office, case, "lagi")
    assert events(case, "case.updated")[0].reason == "Menunggu keterangan saksi"


# --- officers' findings ------------------------------------------------------------------------


def test_a_finding_from_a_post_opens_one_case_and_a_second_attaches(bawaslu_bandung, bawaslu_jabar):
    post = make_post()
    case, skipped = handling.open_finding(scope(bawaslu_bandung), posts=[post], category="hoax")
    assert skipped == []
    assert (case.origin, case.state, case.regency_id) == ("officer", "received", BANDUNG)
    item = case.items.get()
    assert item.post == post and item.key == f"tiktok:{post.platform_id}"
    report = case.reports.get()
    assert report.channel == "officer" and report.submitted_by == bawaslu_bandung
    assert report.organisation_id == bawaslu_bandung.membership.organisation_id
    assert events(case, "case.opened")
    again, skipped = handling.open_finding(scope(bawaslu_jabar), posts=[post], category="hoax")
    assert again.pk == case.pk and skipped == []
    assert case.reports.count() == 2 and CaseItem.objects.filter(key=item.key).count() == 1


def test_a_narrative_becomes_one_case_with_its_posts(bawaslu_bandung):
    narrative = Narrative.objects.create(number=9101)
    posts = [make_post() for _ in range(3)]
    for post in posts:
        PostNarrative.objects.create(post=post, narrative=narrative, how="copy")
    case, skipped = handling.open_finding(
        scope(bawaslu_bandung), narrative=narrative, category="hoax"
    )
    assert case.narrative == narrative and skipped == []
    assert set(case.items.values_list("post_id", flat=True)) == {p.pk for p in posts}
    # A new post of the narrative joins the same case when reported again.
    late = make_post()
    PostNarrative.objects.create(post=late, narrative=narrative, how="copy")
    again, _skipped = handling.open_finding(
        scope(bawaslu_bandung), narrative=narrative, category="hoax"
    )
    assert again.pk == case.pk and case.items.count() == 4


def test_a_bulk_finding_skips_content_already_in_another_case(bawaslu_bandung):
    office = scope(bawaslu_bandung)
    taken = make_post()
    first, _ = handling.open_finding(office, posts=[taken], category="hoax")
    fresh = [make_post(), make_post()]
    case, skipped = handling.open_finding(office, posts=[taken, *fresh], category="hoax")
    assert case.pk != first.pk
    assert skipped == [f"tiktok:{taken.platform_id}"]
    assert case.items.count() == 2 and first.items.count() == 1


def test_a_kpu_finding_goes_to_the_bawaslu_office_of_the_region(bawaslu_bandung):
    kpu = member("analyst", JABAR, BANDUNG, kind=Organisation.Kind.KPU)
    post = make_post(JABAR, BANDUNG)
    case, _ = handling.open_finding(scope(kpu), posts=[post], category="hoax")
    assert case.organisation_id == bawaslu_bandung.membership.organisation_id
    assert Case.objects.visible_to(scope(kpu)).filter(pk=case.pk).exists()  # via its report
    assert Report.objects.get(case=case).organisation_id == kpu.membership.organisation_id


def test_a_handlers_finding_of_a_post_placed_elsewhere_stays_with_the_officer(bawaslu_bandung):
    post = make_post(JABAR, BOGOR)
    case, _ = handling.open_finding(scope(bawaslu_bandung), posts=[post], category="hoax")
    assert case.regency_id == BANDUNG


def test_platform_liaisons_and_viewers_cannot_open_findings(tiktok_liaison):
    post = make_post()
    viewer = member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU)
    for actor in (tiktok_liaison, viewer):
        with pytest.raises(ScopeError):
            handling.open_finding(scope(actor), posts=[post], category="hoax")
    assert not CaseItem.objects.exists()


# --- legal bases -------------------------------------------------------------------------------


def test_legal_bases_are_saved_by_national_admins_with_audit(bawaslu_jabar):
    from saring.cases.services import legal

    admin_ri = scope(member("admin", kind=Organisation.Kind.BAWASLU))
    basis = legal.save_basis(
        admin_ri,
        code="tiktok-uji-coba",
        kind="platform",
        citation="TikTok Community Guidelines: Election integrity",
        summary_id="Informasi keliru tentang cara memilih.",
        summary_en="Misinformation about how to vote.",
        platform="tiktok",
        categories=["hoax"],
    )
    event = AuditEvent.objects.get(action="legal_basis.saved", subject_id=str(basis.pk))
    assert event.details["created"] is True
    legal.save_basis(admin_ri, basis, summary_en="Wrong information about voting.")
    assert LegalBasis.objects.get(pk=basis.pk).summary_en == "Wrong information about voting."
    province_admin = scope(member("admin", JABAR, kind=Organisation.Kind.BAWASLU))
    with pytest.raises(ScopeError):
        legal.save_basis(province_admin, basis, summary_en="x")
    # Suggested: statutes first, and only the case's platform's rules.
    tiktok = legal.suggested_bases("hoax", "tiktok")
    assert basis in tiktok and basis not in legal.suggested_bases("hoax", "youtube")
    kinds = [b.kind for b in tiktok]
    assert kinds == sorted(kinds, key=legal.KIND_ORDER.index)


def test_the_assignee_list_holds_the_offices_along_the_branch(
    bawaslu_ri, bawaslu_jabar, bawaslu_bandung, bawaslu_bogor
):
    viewer = member("viewer", JABAR, BANDUNG, kind=Organisation.Kind.BAWASLU)
    kpu = member("analyst", JABAR, BANDUNG)
    users = handling.assignable_users(make_case())
    assert {bawaslu_ri, bawaslu_jabar, bawaslu_bandung} <= set(users)
    assert not {bawaslu_bogor, viewer, kpu} & set(users)
    assert all(handling.may_be_assigned(u, JABAR, BANDUNG) for u in users)
