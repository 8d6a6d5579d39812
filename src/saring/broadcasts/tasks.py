"""Background jobs of broadcasts, run by `saring worker` (django-tasks). Each calls what its
`saring broadcasts …` command calls."""

from __future__ import annotations

from django_tasks import task


@task()
def send_broadcast_task(broadcast_id: int) -> dict:
    """`saring broadcasts send ID`: send the queued deliveries (queued by start and resume)."""
    from saring.broadcasts.services.sending import run

    return run(broadcast_id).as_dict()


@task()
def send_due_task() -> dict:
    """`saring broadcasts send --due`: start every scheduled broadcast whose time has come
    (each start queues its own send_broadcast_task)."""
    from saring.broadcasts.services.sending import start_due

    return {"started": start_due()}
