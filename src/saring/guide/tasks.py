"""Background jobs of the guide, run by `saring worker`; each calls what a `saring guide …`
command calls."""

from __future__ import annotations

from django_tasks import task

# --- webhooks (helper: webhooks) ---


@task()
def deliver_webhook_task(delivery_id: int) -> dict:
    """One attempt of one webhook delivery (queued after the publication commits, and again
    after each back-off)."""
    from saring.guide.services.webhooks import deliver

    result = deliver(delivery_id)
    return {"ok": result.ok, "error": result.error}


@task()
def deliver_webhooks_due_task() -> dict:
    """`saring guide webhooks deliver`: every delivery whose first attempt or retry is due."""
    from saring.guide.services.webhooks import deliver_due

    return deliver_due().as_dict()


# --- the public site (helper: site) ---


@task()
def build_site_task(build_id: int) -> dict:
    """`saring guide build` for a queued Build row (schedule.request_build coalesces them)."""
    from saring.guide.site.schedule import run_queued

    return run_queued(build_id)
