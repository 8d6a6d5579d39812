"""Background jobs of the monitoring context, each the body of a `saring …` command and of a
task in `tasks.py`, called by both with the same arguments.

- `rescore_watchlists`: `saring watchlists rescore [--id N …] [--stale]`;
  `rescore_watchlist_task` (after an edit).
- Imports need no wrapper here: `saring ingest` and `ingest_run_task` (an upload) both call
  `services.ingest.ingest_file`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F

from saring.kernel.jobs import JobResult, Progress
from saring.monitoring.models import Watchlist
from saring.monitoring.services.watchlists import rescore_watchlist


@dataclass
class RescoreResult(JobResult):
    watchlists: list[int] = field(default_factory=list)  # ids, in the order re-scored
    flags: int = 0  # posts flagged, summed over the watchlists

    def __str__(self) -> str:
        return (
            f"watchlists rescore: {len(self.watchlists):,} watchlists, {self.flags:,} post "
            f"flags in {self.seconds:.1f} s"
        )


def rescore_watchlists(
    watchlist_ids: list[int] | None = None,
    *,
    stale: bool = False,
    progress: Progress | None = None,
) -> RescoreResult:
    """Recompute the flags of these watchlists (default: every watchlist; `stale`: only those
    edited since their last re-scoring) on every post. Watchlist.DoesNotExist names the first
    id that does not exist."""
    wanted = Watchlist.objects.all()
    if watchlist_ids is not None:
        found = set(wanted.filter(id__in=watchlist_ids).values_list("id", flat=True))
        missing = [i for i in watchlist_ids if i not in found]
        if missing:
            raise Watchlist.DoesNotExist(f"there is no watchlist {missing[0]}")
        wanted = wanted.filter(id__in=watchlist_ids)
    if stale:
        wanted = wanted.exclude(rescored_version=F("version"))
    result = RescoreResult()
    for watchlist_id, name in wanted.order_by("id").values_list("id", "name"):
        flagged = rescore_watchlist(watchlist_id)
        result.watchlists.append(watchlist_id)
        result.flags += flagged
        if progress:
            progress(f"  watchlist {watchlist_id} ({name}): {flagged:,} posts flagged")
    return result.stop()
