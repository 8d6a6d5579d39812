"""Who may write what: every write service, called directly (as a view, the API or a command
would), for every role at every region level of two kinds of organisation.

The records acted on belong to KPU Jawa Barat (province 32). The actors are national, KPU or
Bawaslu Jawa Barat (32), or Kota Bandung (32.73) inside it. `EXPECTED` is the specification:
+ the service does it, - it refuses with ScopeError and changes nothing (not even the audit
trail). Below it: what a sibling region or another organisation kind may read.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saring.accounts.models import Organisation
from saring.accounts.scope import ScopeError, scope_for
from saring.audit.models import AuditEvent
from saring.factcheck import calibration, narratives, review
from saring.factcheck.models import Clarification, Narrative, PostMatch
from saring.factcheck.querysets import visible_clarifications
from saring.factcheck.services import save_clarification, save_record
from saring.harms import labels, training
from saring.harms.models import HarmModel, PostLabel
from saring.monitoring.models import ImportRun, Post, QuarantinedRecord, Watchlist
from saring.monitoring.services.uploads import start_upload
from saring.monitoring.services.watchlists import (
    propose_watchlist,
    review_proposal,
    save_watchlist,
)
from saring.sources.claimreview import ClarificationRecord
from saring.taxonomy.models import HarmCategory
from tests.factories import BASE_TIME, PASSWORD, member

pytestmark = pytest.mark.django_db

KPU, BAWASLU = Organisation.Kind.KPU, Organisation.Kind.BAWASLU
LEVELS = {"N": (None, None), "P": ("32", None), "R": ("32", "32.73")}  # national, Jabar, Bandung
ACTORS = [
    (kind, role, level)
    for kind in (KPU, BAWASLU)
    for role in ("viewer", "analyst", "admin")
    for level in LEVELS
]

# fmt: off
EXPECTED = {
    #                                    KPU                   Bawaslu
    #                              viewer analyst admin   viewer analyst admin
    #                               N P R  N P R  N P R    N P R  N P R  N P R
    "label a post":                "- - -  + + +  + + +    - - -  + + +  + + +",
    "review a KPU Jabar match":    "- - -  + + +  + + +    - - -  - - -  - - -",
    "write a new draft":           "- - -  + + +  + + +    - - -  + + +  + + +",
    "edit KPU Jabar's draft":      "- - -  + + -  + + -    - - -  - - -  - - -",
    "import over its external id": "- - -  + + -  + + -    - - -  - - -  - - -",
    "publish KPU Jabar's draft":   "- - -  - - -  + + -    - - -  - - -  - - -",
    "split a narrative":           "- - -  + + +  + + +    - - -  + + +  + + +",
    "upload an import":            "- - -  + + +  + + +    - - -  + + +  + + +",
    "create a watchlist":          "- - -  - - -  + + +    - - -  - - -  + + +",
    "edit KPU Jabar's watchlist":  "- - -  - - -  + + -    - - -  - - -  - - -",
    "propose a watchlist":         "- - -  + + +  + + +    - - -  + + +  + + +",
    "approve KPU Jabar's proposal": "- - -  - - -  + + -    - - -  - - -  - - -",
    "train a classifier":          "- - -  - - -  + - -    - - -  - - -  + - -",
    "activate a classifier":       "- - -  - - -  + - -    - - -  - - -  + - -",
    "roll back the classifier":    "- - -  - - -  + - -    - - -  - - -  + - -",
    "re-tune match thresholds":    "- - -  - - -  + - -    - - -  - - -  + - -",
}
# fmt: on

CELLS = [
    pytest.param(service, actor, sign == "+", id=f"{service}-{actor[0]}-{actor[1]}-{actor[2]}")
    for service, row in EXPECTED.items()
    for actor, sign in zip(ACTORS, row.split(), strict=True)
]


def _posts(texts: list[str]) -> list[int]:
    """Posts as an import leaves them (the analysis is not what is tested here)."""
    start = Post.objects.count()
    Post.objects.bulk_create(
        Post(
            platform="x",
            platform_id=str(start + i),
            text=text,
            normalized_text=text,
            created_at=BASE_TIME,
            observed_at=BASE_TIME,
        )
        for i, text in enumerate(texts)
    )
    return sorted(Post.objects.filter(text__in=texts).values_list("id", flat=True))


@pytest.fixture
def world(monkeypatch):
    """KPU Jawa Barat's records, a post, a narrative and three classifier versions."""
    monkeypatch.setattr(training.engine, "load", lambda path: None)  # no model files here
    monkeypatch.setattr("saring.harms.hooks.queue_scoring", lambda first, last: None)
    retunes: list[int] = []
    monkeypatch.setattr(  # the re-tune itself runs as the system, in the background
        "saring.factcheck.tasks.retune_thresholds_task",
        SimpleNamespace(enqueue=lambda: retunes.append(1)),
    )
    copy = "surat suara sudah dicoblos sebelum hari pemungutan suara di kota bandung hari ini"
    ids = _posts([f"{copy} {i}" for i in range(3)])
    narratives.cluster_posts(ids[0], ids[-1])
    owner = scope_for(member("admin", "32", kind=KPU))
    published = save_clarification(
        owner,
        claim_text="Surat suara dicoblos",
        headline="[SALAH] Dicoblos",
        verdict="SALAH",
        publish=True,
    )
    draft, _ = save_record(
        ClarificationRecord(
            external_id="kpu-jabar-1", headline="Draf", claim_text="Klaim", verdict="SALAH"
        ),
        scope=owner,
    )
    category = HarmCategory.objects.get(code="sara")
    return SimpleNamespace(
        post=Post.objects.get(id=ids[0]),
        moved=[ids[-1]],
        narrative=Narrative.objects.get(),
        match=PostMatch.objects.create(
            post_id=ids[0], clarification=published, score=0.5, decision="suggested"
        ),
        draft=draft,
        watchlist=save_watchlist(owner, name="Jabar", category=category, terms="seblak"),
        proposal=propose_watchlist(owner, name="Usulan", category=category, terms="cilok"),
        category=category,
        models=[
            HarmModel.objects.create(version=v, status=s)
            for v, s in ((1, "retired"), (2, "active"), (3, "ready"))
        ],
        retunes=retunes,
    )


def _draft_fields(**extra):
    return {"claim_text": "Klaim", "headline": "Diubah", "verdict": "SALAH", **extra}


# Each service: what it does, and what shows that it did it (unchanged when refused).
SERVICES = {
    "label a post": (
        lambda s, w, user: labels.set_labels([w.post.pk], {"abusive": True}, scope=s),
        lambda w: PostLabel.objects.count(),
    ),
    "review a KPU Jabar match": (
        lambda s, w, user: review.decide(w.match, "confirmed", scope=s),
        lambda w: PostMatch.objects.get(pk=w.match.pk).decision,
    ),
    "write a new draft": (
        lambda s, w, user: save_clarification(s, **_draft_fields()),
        lambda w: Clarification.objects.count(),
    ),
    "edit KPU Jabar's draft": (
        lambda s, w, user: save_clarification(s, clarification=w.draft, **_draft_fields()),
        lambda w: Clarification.objects.get(pk=w.draft.pk).headline,
    ),
    "import over its external id": (
        lambda s, w, user: save_record(
            ClarificationRecord(
                external_id="kpu-jabar-1", headline="Ditimpa", claim_text="Klaim", verdict="SALAH"
            ),
            scope=s,
        ),
        lambda w: Clarification.objects.get(pk=w.draft.pk).headline,
    ),
    "publish KPU Jabar's draft": (
        lambda s, w, user: save_clarification(
            s, clarification=w.draft, **_draft_fields(publish=True)
        ),
        lambda w: Clarification.objects.get(pk=w.draft.pk).status,
    ),
    "split a narrative": (
        lambda s, w, user: narratives.split_narrative(w.narrative, w.moved, scope=s),
        lambda w: Narrative.objects.count(),
    ),
    "upload an import": (
        lambda s, w, user: start_upload(
            s, user, SimpleUploadedFile("p.jsonl", b'{"platform": "x"}\n'), "generic-jsonl"
        ),
        lambda w: ImportRun.objects.count(),
    ),
    "create a watchlist": (
        lambda s, w, user: save_watchlist(s, name="Baru", category=w.category, terms="baru"),
        lambda w: Watchlist.objects.count(),
    ),
    "edit KPU Jabar's watchlist": (
        lambda s, w, user: save_watchlist(
            s, watchlist=w.watchlist, name="Jabar", category=w.category, terms="cilok"
        ),
        lambda w: Watchlist.objects.get(pk=w.watchlist.pk).terms,
    ),
    "propose a watchlist": (
        lambda s, w, user: propose_watchlist(s, name="Usul", category=w.category, terms="usul"),
        lambda w: Watchlist.objects.count(),
    ),
    "approve KPU Jabar's proposal": (
        lambda s, w, user: review_proposal(s, w.proposal, "approved"),
        lambda w: Watchlist.objects.get(pk=w.proposal.pk).status,
    ),
    "train a classifier": (
        lambda s, w, user: training.start_training(s),
        lambda w: HarmModel.objects.count(),
    ),
    "activate a classifier": (
        lambda s, w, user: training.activate(w.models[2], scope=s),
        lambda w: HarmModel.objects.get(version=3).status,
    ),
    "roll back the classifier": (
        lambda s, w, user: training.rollback(scope=s),
        lambda w: HarmModel.objects.get(version=1).status,
    ),
    "re-tune match thresholds": (
        lambda s, w, user: calibration.request_retune(s),
        lambda w: len(w.retunes),
    ),
}


def test_every_service_in_the_table_is_exercised():
    assert SERVICES.keys() == EXPECTED.keys()


@pytest.mark.parametrize(("service", "actor", "allowed"), CELLS)
def test_permission_matrix(world, service, actor, allowed):
    kind, role, level = actor
    user = member(role, *LEVELS[level], kind=kind)
    act, effect = SERVICES[service]
    before, events = effect(world), AuditEvent.objects.count()
    if allowed:
        act(scope_for(user), world, user)
        assert effect(world) != before, "allowed, but nothing changed"
    else:
        with pytest.raises(ScopeError):
            act(scope_for(user), world, user)
        assert effect(world) == before
        assert AuditEvent.objects.count() == events  # a refused write leaves no event


# What each scope may read


def _internal_records(owner_scope):
    """One internal record of each kind, owned by `owner_scope`'s organisation and region."""
    category = HarmCategory.objects.get(code="sara")
    watchlist = save_watchlist(
        owner_scope, name="Internal", category=category, terms="seblak", notes="catatan rahasia"
    )
    run = ImportRun.objects.create(
        format="generic-jsonl",
        file_name="internal.jsonl",
        organisation_id=owner_scope.organisation_id,
        province_id=owner_scope.province_code,
        regency_id=owner_scope.regency_code,
    )
    held = QuarantinedRecord.objects.create(run=run, location="line 1", reason="x", payload="{}")
    draft = save_clarification(
        owner_scope, claim_text="Klaim internal", headline="Draf internal", verdict="SALAH"
    )
    published = save_clarification(
        owner_scope, claim_text="Klaim terbit", headline="Terbit", verdict="SALAH", publish=True
    )
    post_id = _posts(["ayo ke tps"])[0]
    # The review queue is the region's: the suggestion is on a post of the owner's region.
    Post.objects.filter(id=post_id).update(
        province_id=owner_scope.province_code, regency_id=owner_scope.regency_code
    )
    match = PostMatch.objects.create(
        post_id=post_id,
        clarification=published,
        score=0.5,
        decision="suggested",
    )
    return {"watchlist": watchlist, "run": run, "held": held, "draft": draft, "match": match}


def _what_scope_sees(scope, records) -> dict[str, bool]:
    return {
        "watchlist": Watchlist.objects.visible_to(scope)
        .filter(pk=records["watchlist"].pk)
        .exists(),
        "run": ImportRun.objects.visible_to(scope).filter(pk=records["run"].pk).exists(),
        "held": QuarantinedRecord.objects.visible_to(scope).filter(pk=records["held"].pk).exists(),
        "draft": visible_clarifications(scope).filter(pk=records["draft"].pk).exists(),
        "match": review.review_queue(scope).filter(pk=records["match"].pk).exists(),
    }


@pytest.mark.parametrize(
    ("owner", "sibling"),
    [(("32", None), ("35", None)), (("32", "32.73"), ("32", "32.04"))],
    ids=["province Jawa Barat vs Jawa Timur", "Kota Bandung vs Kabupaten Bandung"],
)
@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_a_sibling_region_sees_nothing_internal(owner, sibling, role):
    records = _internal_records(scope_for(member("admin", *owner, kind=KPU)))
    everything = dict.fromkeys(records, True)
    assert _what_scope_sees(scope_for(member(role, *owner, kind=KPU)), records) == everything
    nothing = dict.fromkeys(records, False)
    assert _what_scope_sees(scope_for(member(role, *sibling, kind=KPU)), records) == nothing
    # ...nor another kind of organisation of the very same region
    assert _what_scope_sees(scope_for(member(role, *owner, kind=BAWASLU)), records) == nothing


def test_bawaslu_jabar_cannot_read_kpu_jabars_watchlist_notes(client):
    kpu_admin = member("admin", "32", kind=KPU)
    watchlist = save_watchlist(
        scope_for(kpu_admin),
        name="Pantauan KPU Jabar",
        category=HarmCategory.objects.get(code="sara"),
        terms="seblak",
        notes="catatan internal KPU",
    )
    bawaslu = member("admin", "32", kind=BAWASLU)
    assert not Watchlist.objects.visible_to(scope_for(bawaslu)).filter(pk=watchlist.pk).exists()
    client.login(username=bawaslu.username, password=PASSWORD)
    page = client.get(reverse("web:watchlists")).content.decode()
    assert "Pantauan KPU Jabar" not in page and "catatan internal KPU" not in page
    assert client.get(reverse("web:watchlist_edit", args=[watchlist.pk])).status_code == 404
    client.login(username=kpu_admin.username, password=PASSWORD)
    assert "catatan internal KPU" in client.get(reverse("web:watchlists")).content.decode()


def test_a_national_admin_sees_national_drafts(client):
    national = member("admin", kind=KPU)
    draft = save_clarification(
        scope_for(national), claim_text="Klaim nasional", headline="Draf nasional", verdict="SALAH"
    )
    assert visible_clarifications(scope_for(national)).filter(pk=draft.pk).exists()
    client.login(username=national.username, password=PASSWORD)
    listed = client.get(reverse("web:clarifications"), {"status": "draft"})
    assert draft in listed.context["page"].object_list
    # KPU Jabar reads the draft of the level above, but cannot change it; Bawaslu never sees it.
    jabar = scope_for(member("analyst", "32", kind=KPU))
    assert visible_clarifications(jabar).filter(pk=draft.pk).exists()
    with pytest.raises(ScopeError):
        save_clarification(jabar, clarification=draft, **_draft_fields())
    bawaslu = scope_for(member("admin", kind=BAWASLU))
    assert not visible_clarifications(bawaslu).filter(pk=draft.pk).exists()


def test_the_models_page_refuses_a_regency_admin_with_a_message(client, world):
    regency_admin = member("admin", "32", "32.73", kind=KPU)
    client.login(username=regency_admin.username, password=PASSWORD)
    page = client.get(reverse("web:models")).content.decode()
    assert reverse("web:model_activate", args=[3]) not in page  # no button to press
    response = client.post(reverse("web:model_activate", args=[3]), follow=True)
    assert response.status_code == 200
    assert any("national" in str(m) or "nasional" in str(m) for m in response.context["messages"])
    assert HarmModel.objects.get(version=3).status == "ready"
    assert HarmModel.objects.get(version=2).status == "active"
