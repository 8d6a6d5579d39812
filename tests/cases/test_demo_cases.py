"""The demo's cases (saring.cases.demo): every state, several regions and platforms, made
through the services (audit trail, deadlines), deterministic and idempotent, no network."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from saring.accounts.models import Membership
from saring.audit.models import AuditEvent
from saring.cases import demo
from saring.cases.models import Case, CaseItem, Channel, Decision, Escalation, Report

PASSWORD = "demo-test-password"


@pytest.fixture
def fast_pdf():
    # WeasyPrint renders each escalation's packet in ~0.4 s; the demo's packets are real, the
    # test's PDF is not (packet signing is tested in test_packets.py).
    with mock.patch("saring.cases.packets.render_pdf", return_value=b"%PDF-1.4\n%test\n"):
        yield


def test_the_plan_is_deterministic_and_spans_states_regions_and_platforms(db):
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    first = demo.plan_cases(120, now)
    again = demo.plan_cases(120, now)
    assert [(p.state, p.regency, p.platform, p.urls, p.steps) for p in first] == [
        (p.state, p.regency, p.platform, p.urls, p.steps) for p in again
    ]
    assert {p.state for p in first} == {s for s, _w in demo.STATES}
    assert {p.platform for p in first} == set(demo.PLATFORMS)
    assert len({p.regency[:2] for p in first}) >= 5
    assert "32.73" in {p.regency for p in first}
    for plan in first:
        moments = [moment for moment, _name in plan.steps]
        assert moments == sorted(moments) or plan.extra_reports  # extra reports interleave
        assert max(moments) < now
        assert min(moments) > now - timedelta(days=demo.DAYS + 10)


@pytest.mark.django_db
def test_build_demo_cases_makes_every_state_through_the_services(fast_pdf):
    out = io.StringIO()
    result = demo.build_demo_cases(out, count=70, password=PASSWORD)
    printed = out.getvalue()

    assert result["errors"] == []
    assert result["created"] == 70
    states = set(Case.objects.values_list("state", flat=True))
    # Every state; "draft" needs monitoring's proposal service and a demo post to propose from.
    assert states >= {s for s, _w in demo.STATES} - {"draft"}
    # Regions: several provinces, Kota Bandung (where the demo's Jawa Barat users sit) among them.
    assert Case.objects.values("province").distinct().count() >= 5
    assert Case.objects.filter(regency_id="32.73").exists()
    assert set(CaseItem.objects.values_list("platform", flat=True)) == set(demo.PLATFORMS)
    # Made through the services: each case opened, triaged, escalated … in the audit trail.
    opened = AuditEvent.objects.filter(action="case.opened").count()
    assert opened == Case.objects.count()
    assert AuditEvent.objects.filter(action="case.triaged").exists()
    assert AuditEvent.objects.filter(action="decision.received").exists()
    # Several reports of one content (in different URL forms) attach to one case.
    assert Report.objects.count() > Case.objects.count()
    assert Case.objects.filter(state="merged", merged_into__isnull=False).exists()
    # Deadlines are the engine's, and the month in the past leaves some overdue.
    assert not Case.objects.exclude(state__in=["draft"]).filter(follow_up_due=None).exists()
    assert result["overdue"] > 0
    assert Case.objects.open().filter(follow_up_due__lt=timezone.now()).count() == result["overdue"]
    # Decisions of several visibilities, through the liaisons' page and the webhook path.
    assert Decision.objects.values("visibility").distinct().count() >= 4
    assert set(Decision.objects.values_list("via", flat=True)) <= {"page", "webhook"}
    assert Decision.objects.filter(via="page", by__username="tiktok.liaison").exists() or (
        Decision.objects.filter(via="page", by__username="meta.liaison").exists()
    )
    # No network: batch channels are sent by taking the batch, e-mail ones by the mail backend.
    assert not Channel.objects.filter(kind=Channel.Kind.WEBHOOK).exists()
    assert not Escalation.objects.filter(channel__kind="batch", state="queued").exists()
    assert all("demo.saring.invalid" in address for m in mail.outbox for address in m.to)
    # The logins are printed, and the users are there with the demo password.
    for username in ("bawaslu.jabar", "bawaslu.bandung", "tiktok.liaison", "meta.liaison"):
        assert f"'{username}'" in printed
        membership = Membership.objects.select_related("user").get(user__username=username)
        assert membership.user.check_password(PASSWORD)
    assert Membership.objects.get(user__username="tiktok.liaison").organisation.kind == "platform"
    assert Membership.objects.get(user__username="bawaslu.bandung").organisation.regency_id == (
        "32.73"
    )


@pytest.mark.django_db
def test_running_it_twice_adds_nothing(fast_pdf):
    demo.build_demo_cases(None, count=30, password=PASSWORD)
    counts = (Case.objects.count(), Report.objects.count(), Escalation.objects.count(),
              Decision.objects.count(), AuditEvent.objects.count())  # fmt: skip
    second = demo.build_demo_cases(None, count=30, password=PASSWORD)
    assert second["created"] == 0
    assert second["skipped"] == 30
    assert (Case.objects.count(), Report.objects.count(), Escalation.objects.count(),
            Decision.objects.count()) == counts[:4]  # fmt: skip
    assert Channel.objects.filter(name="TikTok").count() == 1


@pytest.mark.django_db
def test_demo_posts_are_linked_when_the_demo_has_them(fast_pdf):
    from saring.monitoring.models import Post

    now = timezone.now()
    for n in range(30):
        Post.objects.create(
            platform="tiktok",
            platform_id=str(7_310_000_000_000_000_000 + n),
            url=f"https://www.tiktok.com/@demo{n}/video/{7_310_000_000_000_000_000 + n}",
            text="TPS dipindah!",
            created_at=now - timedelta(days=3),
            observed_at=now,
        )
    impostor = Post.objects.create(
        platform="x",
        platform_id="1769999999999999999",
        url="https://x.com/kpu_rii/status/1769999999999999999",
        author_handle="kpu_rii",
        text="Pemungutan suara diundur ke 21 Februari.",
        created_at=now - timedelta(days=2),
        observed_at=now,
        account_flag=Post.AccountFlag.IMPOSTOR,
    )
    demo.build_demo_cases(None, count=50, password=PASSWORD)
    linked = CaseItem.objects.filter(post__isnull=False, post__platform="tiktok")
    assert linked.exists()
    assert all(item.key == f"tiktok:{item.post.platform_id}" for item in linked)
    # The draft is monitoring's proposal for the flagged post, not a made-up one.
    draft = Case.objects.get(state="draft")
    assert draft.origin == "automatic" and draft.signal == "impostor"
    assert draft.items.get().post == impostor
