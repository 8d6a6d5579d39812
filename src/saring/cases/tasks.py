"""Background jobs of RESPOND, run by `saring worker` (django-tasks). Each calls what its
`saring cases …` command calls: delivery goes through services.escalation."""

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
