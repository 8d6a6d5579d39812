"""Background jobs of the reporter's messages and automatic proposals (run by `saring worker`).

Kept apart from tasks.py (escalation delivery) so each area owns its file; each task calls the
function its `saring cases …` command calls."""

from __future__ import annotations

from django_tasks import task


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
