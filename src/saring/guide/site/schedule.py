"""When to rebuild: after each publication (coalesced) and when a validity window opens or
closes (`saring guide build --if-due`, from cron or the worker; see build.due) (helper: site).

Coalescing: a request makes a Build row in state `queued` and enqueues one task for it, unless
a queued row already waits; the task turns it into `running` as it starts, so a publication
during a build queues exactly one follow-up. Fifty approvals in a burst make one or two builds.
A queued row older than STALE (its worker died) no longer holds new requests back.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from saring.guide.models import Build

STALE = timedelta(minutes=30)


def waiting() -> Build | None:
    """The queued build a new request can join, if any."""
    return (
        Build.objects.filter(state=Build.State.QUEUED, started_at__gte=timezone.now() - STALE)
        .order_by("started_at")
        .first()
    )


def request_build(*, reason: str) -> None:
    """Queue a rebuild of the public site (coalesced with one already waiting), once the
    current transaction commits (the build must see what was just published)."""

    def enqueue() -> None:
        from saring.guide.tasks import build_site_task

        with transaction.atomic():
            if waiting() is not None:
                return
            build = Build.objects.create(state=Build.State.QUEUED, reason=reason[:200])
        build_site_task.enqueue(build.pk)

    transaction.on_commit(enqueue)


def run_queued(build_id: int) -> dict:
    """What the task runs: the queued build `build_id` (a new one if it was taken meanwhile)."""
    from saring.guide.site.build import build_site

    claimed = Build.objects.filter(pk=build_id, state=Build.State.QUEUED).update(
        state=Build.State.RUNNING
    )
    build = Build.objects.get(pk=build_id) if claimed else None
    reason = build.reason if build else "queued"
    return build_site(reason=reason, build=build).as_dict()
