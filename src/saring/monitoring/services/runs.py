"""The life of an import run (posts and clarifications alike): started, alive, ended.

Rules:
- A run always ends: done, or failed with the reason, whatever the reader raised. Each end is
  one audit event (IMPORT_FINISHED / IMPORT_FAILED, or IMPORT_CLOSED for a stranded run) with
  the run's counts, by the uploader's scope (the system for command-line runs): one event per
  run, never one per record.
- A running run records which process runs it (``host:pid``) and a heartbeat at every batch.
  A run whose process is gone (same host, no such pid) or that has not moved for
  ``idle_minutes`` is stranded: ``close_stranded`` marks it failed, reason "interrupted".
  ``saring serve`` and ``saring worker`` call it when they start; so does
  ``saring imports close-stranded``.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saring.accounts.scope import SYSTEM, Scope, scope_for
from saring.audit.actions import Action
from saring.audit.services import record as audit
from saring.monitoring.models import ImportRun, Watchlist
from saring.registry.imports import close_stranded_imports

logger = logging.getLogger("saring.ingest")

IDLE_MINUTES = 30  # a run that has not moved for this long is taken as stranded
INTERRUPTED = "interrupted"
COUNTS = ("read", "created", "updated", "unchanged", "quarantined")
_ACTIONS = {
    ImportRun.Status.DONE: Action.IMPORT_FINISHED,
    ImportRun.Status.FAILED: Action.IMPORT_FAILED,
}


def this_worker() -> str:
    """``host:pid`` of this process, as recorded on the runs it starts."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def start(run: ImportRun, bytes_total: int, sha256: str = "") -> None:
    """Mark ``run`` running in this process."""
    now = timezone.now()
    values = {
        "status": ImportRun.Status.RUNNING,
        "started_at": now,
        "heartbeat_at": now,
        "worker": this_worker(),
        "bytes_total": bytes_total,
        "error": "",
    }
    if sha256:
        values["sha256"] = sha256
    ImportRun.objects.filter(id=run.id).update(**values)
    for name, value in values.items():
        setattr(run, name, value)


def scope_of(run: ImportRun) -> Scope:
    """Who the run acts for: its uploader, or the system for a command-line run."""
    if run.uploaded_by_id is None:
        return SYSTEM
    scope = scope_for(run.uploaded_by)
    return scope if scope.role != "none" else SYSTEM


def finish(
    run: ImportRun,
    status: str,
    *,
    error: str = "",
    counts: dict[str, int] | None = None,
    action: Action | None = None,
    from_state: str = ImportRun.Status.RUNNING,
) -> None:
    """End ``run`` with ``status`` (done or failed) and write its one audit event."""
    values: dict[str, object] = {"status": status, "finished_at": timezone.now(), "error": error}
    if counts:
        values.update({name: counts[name] for name in COUNTS if name in counts})
    if status == ImportRun.Status.DONE:
        values["bytes_done"] = run.bytes_total
    with transaction.atomic():
        ImportRun.objects.filter(id=run.id).update(**values)
        for name, value in values.items():
            setattr(run, name, value)
        run.refresh_from_db(fields=[*COUNTS, "bytes_done", "bytes_total"])
        details = {name: getattr(run, name) for name in COUNTS}
        details.update(format=run.format, file=run.file_name, bytes=run.bytes_total)
        audit(
            scope_of(run),
            action or _ACTIONS[status],
            run,
            from_state=from_state,
            to_state=status,
            reason=error[:2000],
            details=details,
        )


def _process_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine: only the idle time can tell
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's process
        return False
    return False


@dataclass
class Closed:
    runs: list[int] = field(default_factory=list)
    rescores: list[int] = field(default_factory=list)  # watchlists whose re-scoring was cut
    registry_imports: list[int] = field(default_factory=list)  # known-accounts files cut

    def __bool__(self) -> bool:
        return bool(self.runs or self.rescores or self.registry_imports)

    def __str__(self) -> str:
        ids = ", ".join(f"#{run}" for run in self.runs)
        text = f"closed {len(self.runs)} stranded import run(s){': ' + ids if ids else ''}"
        if self.rescores:
            lists = ", ".join(f"#{w}" for w in self.rescores)
            text += f"; {len(self.rescores)} interrupted watchlist re-scoring(s): {lists}"
        if self.registry_imports:
            files = ", ".join(f"#{r}" for r in self.registry_imports)
            text += f"; {len(self.registry_imports)} interrupted known-accounts import(s): {files}"
        return text


def close_stranded(idle_minutes: float = IDLE_MINUTES, now: datetime | None = None) -> Closed:
    """Close every run left running (or started but still "queued") by a process that is gone
    or that has not made progress for ``idle_minutes``; returns their ids."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=idle_minutes)
    candidates = ImportRun.objects.filter(
        Q(status=ImportRun.Status.RUNNING)
        | Q(status=ImportRun.Status.QUEUED, started_at__isnull=False)
    )
    closed = Closed()
    for run in candidates.select_related("uploaded_by"):
        last = run.heartbeat_at or run.started_at or run.queued_at
        idle = last is None or last < cutoff
        if not idle and not (run.worker and _process_gone(run.worker)):
            continue
        why = (
            f"{INTERRUPTED}: the process running it ({run.worker}) is gone"
            if run.worker and not idle
            else f"{INTERRUPTED}: no progress since {last:%Y-%m-%d %H:%M} UTC"
            if last
            else INTERRUPTED
        )
        with transaction.atomic():
            # Only if it is still stranded: its worker may have ended it meanwhile.
            still = ImportRun.objects.select_for_update().filter(id=run.id, status=run.status)
            if not still.exists():
                continue
            finish(
                run,
                ImportRun.Status.FAILED,
                error=why,
                action=Action.IMPORT_CLOSED,
                from_state=run.status,
            )
        logger.warning("import run %s closed as stranded: %s", run.id, why)
        closed.runs.append(run.id)
    closed.rescores = _close_stranded_rescores(cutoff, now)
    closed.registry_imports = close_stranded_imports(now)
    return closed


def _close_stranded_rescores(cutoff: datetime, now: datetime) -> list[int]:
    """Mark failed (interrupted) the watchlist re-scorings whose process is gone or that have
    not moved since `cutoff`: the page then offers to re-score again instead of waiting."""
    closed = []
    running = Watchlist.objects.filter(rescore_state=Watchlist.Rescore.RUNNING)
    for watchlist in running.only("id", "rescore_worker", "rescore_progress_at"):
        last = watchlist.rescore_progress_at
        idle = last is None or last < cutoff
        worker = watchlist.rescore_worker
        if not idle and not (worker and _process_gone(worker)):
            continue
        why = (
            f"{INTERRUPTED}: the process re-scoring it ({worker}) is gone"
            if worker and not idle
            else f"{INTERRUPTED}: no progress since {last:%Y-%m-%d %H:%M} UTC"
            if last
            else INTERRUPTED
        )
        # Only if it is still running: its worker may have ended it meanwhile.
        ended = Watchlist.objects.filter(
            id=watchlist.id, rescore_state=Watchlist.Rescore.RUNNING
        ).update(
            rescore_state=Watchlist.Rescore.FAILED,
            rescore_error=why,
            rescore_finished_at=now,
        )
        if ended:
            logger.warning("watchlist %s re-scoring closed as stranded: %s", watchlist.id, why)
            closed.append(watchlist.id)
    return closed
