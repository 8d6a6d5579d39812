"""Background jobs of RESPOND, run by `saring worker` (django-tasks). Each calls what its
`saring cases …` command calls: escalation delivery, reporters' messages, proposals."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_escalation_task(escalation_id: int) -> dict:
    """One delivery attempt of one escalation (queued after `escalate()` commits, and again
    after each back-off)."""
    from saring.cases.services.escalation import deliver

    result = deliver(escalation_id)
    return {"ok": result.ok, "error": result.error, "deferred": result.deferred}


@task()
def deliver_due_task() -> dict:
    """`saring cases deliver`: every escalation whose first attempt or retry is due."""
    from saring.cases.services.escalation import deliver_due

    return deliver_due().as_dict()


@task()
def send_notifications_task(ids: list[int]) -> dict:
    """Send the given messages to reporters (queued after the change that made them commits)."""
    from saring.cases.services.notify import deliver

    return deliver(ids).as_dict()


@task()
def propose_run_task(run_id: int) -> dict:
    """`saring cases propose --run ID` (queued after an import finishes)."""
    from saring.cases.proposals import propose_for_run

    return propose_for_run(run_id)
