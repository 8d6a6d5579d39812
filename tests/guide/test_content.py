"""Guide content: sanitising, the input rules, drafting in one's region, versions, the
two-person rule on approval, publication and withdrawal (and their after-commit events), and
`saring guide import`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.guide import sanitize
from saring.guide.models import Entry, Revision
from saring.guide.querysets import public_entries
from saring.guide.services import content
from saring.guide.services.content import ContentError
from saring.workflow import TransitionError
from tests.factories import member

JABAR, GARUT, BOGOR, JATENG = "32", "32.05", "32.01", "33"
T0 = datetime(2024, 11, 24, 0, 0, tzinfo=UTC)


# --- the sanitiser (no database) --------------------------------------------------------------


def test_clean_keeps_the_allowed_tags_and_removes_scripts():
    html = sanitize.clean(
        '<h2 onclick="x()">Judul</h2><p>Teks <strong>tebal</strong><script>alert(1)</script>'
        '<img src=x onerror="y()"><iframe src="//evil"></iframe><style>p{}</style></p>'
        "<table><tr><th>A</th><td>B</td></tr></table><div>sisa</div>"
    )
    assert "<h2>Judul</h2>" in html and "<strong>tebal</strong>" in html
    assert "script" not in html and "alert" not in html and "img" not in html
    assert "iframe" not in html and "onclick" not in html and "p{}" not in html
    assert "<th>A</th><td>B</td>" in html and "<div>" not in html and "sisa" in html


def test_clean_keeps_only_safe_links_with_noopener():
    html = sanitize.clean(
        '<a href="javascript:alert(1)">a</a><a href="https://cekdptonline.kpu.go.id/" '
        'title="DPT" target="_blank" rel="nofollow">b</a><a href="/panduan/lapor/">c</a>'
        '<a href="mailto:info@kpu.go.id">d</a><a href="data:text/html,x">e</a>'
    )
    assert "javascript" not in html and "data:" not in html and "target" not in html
    assert '<a href="https://cekdptonline.kpu.go.id/" title="DPT" rel="noopener">b</a>' in html
    assert '<a href="/panduan/lapor/" rel="noopener">c</a>' in html
    assert 'href="mailto:info@kpu.go.id"' in html and "nofollow" not in html


def test_blank_after_cleaning():
    assert sanitize.is_blank("<script>alert(1)</script><p> &nbsp; </p>")
    assert not sanitize.is_blank("<p>Ada isi</p>")


# --- database tests ---------------------------------------------------------------------------


@pytest.fixture
def garut_analyst():
    return scope_for(member("analyst", JABAR, GARUT))


@pytest.fixture
def jabar_admin():
    return scope_for(member("admin", JABAR))


def announce(scope, **fields):
    values = {
        "kind": "announcement",
        "slug": "",
        "title_id": "Pemungutan suara ulang di TPS 05 Tarogong",
        "body_id": "<p>PSU dilaksanakan pada hari Sabtu.</p><script>alert(1)</script>",
        "notice": "revote",
        "regency": GARUT,
    }
    values.update(fields)
    return content.draft(scope, **values)


@pytest.mark.django_db
def test_draft_makes_an_entry_and_its_first_sanitised_revision(garut_analyst):
    revision = announce(garut_analyst, title_en="Re-vote at TPS 05", position="5")
    entry = revision.entry
    assert (entry.kind, entry.status, entry.province_id, entry.regency_id) == (
        "announcement",
        "draft",
        JABAR,
        GARUT,
    )
    assert entry.slug == "pemungutan-suara-ulang-di-tps-05-tarogong" and entry.position == 5
    assert entry.organisation_id == garut_analyst.organisation_id
    assert (revision.number, revision.state, revision.author_id) == (
        1,
        "draft",
        garut_analyst.user_id,
    )
    assert revision.body_id == "<p>PSU dilaksanakan pada hari Sabtu.</p>"
    assert AuditEvent.objects.filter(action="guide.drafted", subject_id=str(revision.pk)).exists()
    # The same title again gets the next free address, never a duplicate.
    assert announce(garut_analyst).entry.slug == "pemungutan-suara-ulang-di-tps-05-tarogong-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"notice": ""}, "notice"),
        ({"notice": "party"}, "notice"),
        ({"kind": "blog"}, "kind"),
        ({"title_id": "  "}, "title_id"),
        ({"body_id": ""}, "body_id"),
        ({"body_id": "<script>alert(1)</script><p> </p>"}, "body_id"),
        ({"body_en": "<style>p{}</style>"}, "body_en"),
        ({"regency": "32.99"}, "region"),
        ({"regency": None, "province": "99"}, "region"),
        ({"province": JATENG}, "region"),
        ({"election": "pemilu.1999-06-07"}, "election"),
        ({"valid_from": T0, "valid_until": T0}, "valid_until"),
        ({"slug": "Bukan Slug!"}, "slug"),
        ({"position": "abc"}, "position"),
    ],
)
def test_bad_input_names_its_field(garut_analyst, fields, field):
    with pytest.raises(ContentError) as error:
        announce(garut_analyst, **fields)
    assert error.value.field == field
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_explicit_slug_is_unique_per_kind(garut_analyst):
    announce(garut_analyst, slug="psu-garut")
    with pytest.raises(ContentError) as error:
        announce(garut_analyst, slug="psu-garut")
    assert error.value.field == "slug"
    page = content.draft(
        garut_analyst, kind="page", slug="psu-garut", title_id="T", body_id="x", regency=GARUT
    )
    assert page.entry.slug == "psu-garut" and page.entry.notice == ""


@pytest.mark.django_db
def test_a_regency_implies_its_province_and_an_election_must_exist(garut_analyst):
    revision = announce(garut_analyst, election="pemilu.2024-02-14", regency=GARUT, province=None)
    assert revision.entry.province_id == JABAR and revision.entry.election_id == "pemilu.2024-02-14"


@pytest.mark.django_db
def test_drafting_is_limited_to_the_authors_region_and_below(garut_analyst, jabar_admin):
    with pytest.raises(ScopeError):
        announce(garut_analyst, regency=BOGOR)
    with pytest.raises(ScopeError):
        announce(garut_analyst, regency=None, province=JABAR)
    with pytest.raises(ScopeError):
        announce(scope_for(member("viewer", JABAR, GARUT)))
    assert announce(jabar_admin, regency=BOGOR).entry.regency_id == BOGOR
    assert not Entry.objects.filter(regency_id=BOGOR, organisation__regency_id=GARUT).exists()


@pytest.mark.django_db
def test_the_author_cannot_approve_their_own_version(jabar_admin):
    revision = announce(jabar_admin)
    content.submit(jabar_admin, revision)
    with translation.override("en"), pytest.raises(ScopeError, match="Two-person"):
        content.approve(jabar_admin, revision)
    revision.refresh_from_db()
    assert revision.state == "submitted" and revision.entry.status == "draft"


@pytest.mark.django_db
def test_only_an_admin_of_the_same_or_a_higher_region_approves(garut_analyst):
    revision = content.submit(garut_analyst, announce(garut_analyst))
    bogor_admin = scope_for(member("admin", JABAR, BOGOR))
    garut_peer = scope_for(member("analyst", JABAR, GARUT))
    bawaslu = scope_for(member("admin", JABAR, kind=Organisation.Kind.BAWASLU))
    for other in (bogor_admin, garut_peer, bawaslu):
        with pytest.raises(ScopeError):
            content.approve(other, revision)
    garut_admin = scope_for(member("admin", JABAR, GARUT))
    assert content.approve(garut_admin, revision).state == "approved"


@pytest.mark.django_db
def test_approve_publishes_and_notifies_after_commit(
    garut_analyst, jabar_admin, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "saring.guide.services.events.published",
        lambda kind, ids, action="published": calls.append((kind, ids, action)),
    )
    revision = content.submit(garut_analyst, announce(garut_analyst))
    with django_capture_on_commit_callbacks(execute=True):
        approved = content.approve(jabar_admin, revision, note="Sesuai SK KPU")
    entry = Entry.objects.get(pk=revision.entry_id)
    assert (entry.status, entry.live_id) == ("published", approved.pk)
    assert entry.published_at is not None
    assert (approved.reviewer_id, approved.review_note) == (jabar_admin.user_id, "Sesuai SK KPU")
    assert calls == [("announcement", [entry.pk], "published")]
    assert list(public_entries("announcement")) == [entry]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"guide.submitted", "guide.approved", "guide.published"} <= actions


@pytest.mark.django_db
def test_a_new_version_supersedes_the_live_one(garut_analyst, jabar_admin):
    first = content.submit(garut_analyst, announce(garut_analyst))
    content.approve(jabar_admin, first)
    entry = Entry.objects.get(pk=first.entry_id)
    published_at, updated_at = entry.published_at, entry.updated_at
    second = content.revise(garut_analyst, entry, title_id="PSU di TPS 05 diundur ke Minggu")
    assert (second.number, second.state) == (2, "draft")
    assert second.body_id == first.body_id  # copied from the latest text
    with pytest.raises(ContentError):
        content.revise(garut_analyst, entry, title_id="Satu lagi")  # one open version at a time
    content.submit(garut_analyst, second)
    with pytest.raises(ContentError):
        content.revise(garut_analyst, entry)
    content.approve(jabar_admin, second)
    entry.refresh_from_db()
    first.refresh_from_db()
    assert (entry.live_id, entry.status, first.state) == (second.pk, "published", "superseded")
    assert entry.published_at == published_at and entry.updated_at > updated_at
    assert entry.live.title_id == "PSU di TPS 05 diundur ke Minggu"
    assert AuditEvent.objects.filter(action="guide.superseded", subject_id=str(first.pk)).exists()


@pytest.mark.django_db
def test_a_published_entry_keeps_its_region(garut_analyst, jabar_admin):
    revision = content.submit(garut_analyst, announce(garut_analyst))
    entry = content.approve(jabar_admin, revision).entry
    with pytest.raises(ContentError) as error:
        content.revise(jabar_admin, entry, regency=BOGOR)
    assert error.value.field == "region"
    with pytest.raises(ContentError) as error:
        content.revise(jabar_admin, entry, slug="baru")
    assert error.value.field == "slug"


@pytest.mark.django_db
def test_return_then_a_new_draft_and_editing_a_draft(garut_analyst, jabar_admin):
    revision = content.submit(garut_analyst, announce(garut_analyst))
    with pytest.raises(ContentError) as error:
        content.return_to_author(jabar_admin, revision, "  ")
    assert error.value.field == "note"
    returned = content.return_to_author(jabar_admin, revision, "Sebutkan jam PSU")
    assert (returned.state, returned.review_note) == ("rejected", "Sebutkan jam PSU")
    with pytest.raises(TransitionError):
        content.approve(jabar_admin, returned)
    again = content.revise(garut_analyst, returned.entry, body_id="<p>PSU pukul 07.00.</p>")
    edited = content.update(garut_analyst, again, valid_from=T0, valid_until="2024-11-30T00:00")
    assert edited.number == 2 and edited.body_id == "<p>PSU pukul 07.00.</p>"
    assert edited.valid_until > edited.valid_from
    content.submit(garut_analyst, edited)
    with pytest.raises(ContentError):
        content.update(garut_analyst, edited, title_id="Terlambat")
    assert content.unsubmit(garut_analyst, edited).state == "draft"


@pytest.mark.django_db
def test_withdraw_and_publish_again(
    garut_analyst, jabar_admin, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "saring.guide.services.events.published",
        lambda kind, ids, action="published": calls.append(action),
    )
    revision = content.submit(garut_analyst, announce(garut_analyst))
    entry = content.approve(jabar_admin, revision).entry
    with pytest.raises(ContentError):
        content.withdraw(jabar_admin, entry, "")
    with pytest.raises(ScopeError):
        content.withdraw(garut_analyst, entry, "Keliru")  # admins only
    with django_capture_on_commit_callbacks(execute=True):
        entry = content.withdraw(jabar_admin, entry, "Jadwal PSU dibatalkan")
    assert entry.status == "withdrawn" and calls == ["withdrawn"]
    assert not public_entries("announcement").exists()
    with pytest.raises(TransitionError):
        content.withdraw(jabar_admin, entry, "Lagi")
    third = content.submit(garut_analyst, content.revise(garut_analyst, entry))
    content.approve(jabar_admin, third)
    assert Entry.objects.get(pk=entry.pk).status == "published"


@pytest.mark.django_db
def test_a_failed_approval_changes_nothing(garut_analyst, jabar_admin, monkeypatch):
    revision = content.submit(garut_analyst, announce(garut_analyst))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    original = content.transition

    def failing_on_entry(obj, workflow, *args, **kwargs):
        if workflow is content.ENTRY_WORKFLOW:
            broken()
        return original(obj, workflow, *args, **kwargs)

    monkeypatch.setattr(content, "transition", failing_on_entry)
    with pytest.raises(RuntimeError):
        content.approve(jabar_admin, revision)
    revision.refresh_from_db()
    assert revision.state == "submitted" and revision.entry.live_id is None
    assert not AuditEvent.objects.filter(action="guide.approved").exists()


# --- saring guide import ----------------------------------------------------------------------


def records():
    return [
        {
            "kind": "page",
            "slug": "cara-memilih",
            "topic": "how_to_vote",
            "title_id": "Cara memilih di TPS",
            "title_en": "How to vote",
            "body_id": "<p>Bawa KTP-el.</p>",
            "body_en": "<p>Bring your ID card.</p>",
            "position": 1,
        },
        {
            "kind": "announcement",
            "slug": "masa-tenang-pilkada-2024",
            "notice": "quiet_period",
            "region": "",
            "election": "pilkada.2024-11-27",
            "title_id": "Masa tenang Pilkada 2024",
            "body_id": "<p>24–26 November 2024.</p>",
            "valid_from": "2024-11-24T00:00:00+07:00",
            "valid_until": "2024-11-27T00:00:00+07:00",
        },
        {
            "kind": "announcement",
            "slug": "rusak",
            "region": "32.99",
            "title_id": "X",
            "body_id": "<p>x</p>",
            "notice": "general",
        },
        {"kind": "faq", "title_id": "Boleh pindah TPS?", "body_id": "<script>x</script>"},
    ]


def run_import(tmp_path, data) -> tuple[str, str]:
    path = tmp_path / "content.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    out, err = StringIO(), StringIO()
    try:
        call_command("guide", "import", str(path), stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_import_publishes_reports_bad_records_and_reruns_without_duplicates(tmp_path):
    out, err = run_import(tmp_path, records())
    assert "2 new" in out and "2 refused" in out
    assert "#2" in err and "region" in err and "#3" in err and "body_id" in err
    page = Entry.objects.get(kind="page", slug="cara-memilih")
    quiet = Entry.objects.get(kind="announcement", slug="masa-tenang-pilkada-2024")
    assert page.status == quiet.status == "published" and Entry.objects.count() == 2
    assert quiet.election_id == "pilkada.2024-11-27" and quiet.live.valid_until is not None
    live = page.live
    assert live.author_id is None and page.topic == "how_to_vote"
    # The approver is a second identity: the audit trail shows two different actors.
    drafted = AuditEvent.objects.get(action="guide.drafted", subject_id=str(live.pk)).actor
    approved = AuditEvent.objects.get(action="guide.approved", subject_id=str(live.pk)).actor
    assert drafted and approved and drafted != approved

    changed = records()[:2]
    changed[0]["body_id"] = "<p>Bawa KTP-el atau Suket.</p>"
    out, _err = run_import(tmp_path, changed)
    assert "1 updated, 1 unchanged, 0 refused" in out
    page.refresh_from_db()
    quiet.refresh_from_db()
    assert Entry.objects.count() == 2
    assert page.revisions.count() == 2 and page.live.body_id == "<p>Bawa KTP-el atau Suket.</p>"
    assert quiet.revisions.count() == 1  # unchanged text: no new version


@pytest.mark.django_db
def test_import_refuses_a_file_that_is_not_a_list(tmp_path):
    _out, err = run_import(tmp_path, {"kind": "page"})
    assert "list" in err and not Entry.objects.exists()


@pytest.mark.django_db
def test_system_scope_cannot_approve_its_own_import_draft():
    revision = content.draft(SYSTEM, kind="page", slug="", title_id="Uji", body_id="<p>x</p>")
    content.submit(SYSTEM, revision)
    with pytest.raises(ScopeError):
        content.approve(SYSTEM, revision)
    assert Revision.objects.get(pk=revision.pk).state == "submitted"
