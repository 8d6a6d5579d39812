"""Background jobs, run by `saring worker` (django-tasks). Each task calls the function its
`saring …` command calls, with the same arguments (see `jobs.py`): an upload's run, like
`saring ingest`, goes through `services.ingest.ingest_file`."""

from __future__ import annotations

import logging
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from saring.monitoring import jobs
from saring.monitoring.models import ImportRun
from saring.monitoring.services.ingest import ingest_file
from saring.sources.records import SourceError

logger = logging.getLogger("saring.tasks")


@task()
def ingest_run_task(run_id: int) -> dict:
    """Import an uploaded file; a file-level error marks the run failed with the message."""
    run = ImportRun.objects.get(id=run_id)
    try:
        summary = ingest_file(Path(run.stored_path), run.format, run=run)
    except SourceError as error:
        ImportRun.objects.filter(id=run_id).update(
            status=ImportRun.Status.FAILED,
            error=str(error).replace(run.stored_path, run.file_name),
            finished_at=timezone.now(),
        )
        return {"error": str(error)}
    except Exception:
        ImportRun.objects.filter(id=run_id).update(
            status=ImportRun.Status.FAILED,
            finished_at=timezone.now(),
            error="internal error; the operator log has the details",
        )
        logger.exception("import run %s failed", run_id)
        raise
    return {k: v for k, v in summary.as_dict().items() if k != "file"}


@task()
def rescore_watchlist_task(watchlist_id: int) -> dict:
    """`saring watchlists rescore --id N`."""
    return jobs.rescore_watchlists([watchlist_id]).as_dict()


@task()
def restage_task(election_ids: list[str] | None = None) -> dict:
    """`saring posts restage [--election ID …]` (after an admin moved a stage)."""
    from saring.monitoring.services.stages import restage

    return restage(election_ids).as_dict()


@task()
def respeak_task(pairs: list[list[str]] | None = None) -> dict:
    """`saring posts speakers [--account PLATFORM:HANDLE …]` (after the registry changed)."""
    from saring.monitoring.services.speakers import respeak

    return respeak(pairs).as_dict()
