"""`saring guide build`: render the site, the feeds and the JSON snapshots into a fresh sibling
directory of the target (`<target>.new-<timestamp>`), index it with Pagefind, write build.json,
then swap it in atomically (swap.py) and remove the old one. A failure leaves the old site in
place and records the Build as failed with its error."""

from __future__ import annotations

import fcntl
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from saring.accounts.scope import SYSTEM
from saring.audit.actions import Action
from saring.audit.services import record
from saring.guide.models import Build, Entry
from saring.guide.site import pagefind, swap
from saring.guide.site.render import SiteData, render_site

log = logging.getLogger("saring.guide.site")
Progress = Callable[[str], None]


class BuildError(RuntimeError):
    """The build failed; the previous site is still served."""


@dataclass
class BuildResult:
    build_id: int
    target: str
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "build": self.build_id,
            "target": self.target,
            "files": self.files,
            "bytes": self.bytes,
            "seconds": self.seconds,
            "counts": self.counts,
        }

    def __str__(self) -> str:
        return (
            f"build {self.build_id}: {self.files:,} files, {self.bytes:,} bytes in "
            f"{self.seconds:.1f} s → {self.target}"
        )


def default_target() -> Path:
    return Path(settings.SARING_GUIDE_DIR)


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """One build at a time per target (two workers, or cron next to the worker)."""
    lock = target.parent / f".{target.name}.lock"
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _snapshots() -> dict[str, bytes]:
    """The API's JSON snapshots and the feeds (helper api's saring.guide.publicdata), when
    that module is installed."""
    try:
        from saring.guide import publicdata  # type: ignore[attr-defined]
    except ImportError:
        return {}
    return publicdata.snapshot_files()


def _safe_relative(path: str) -> str:
    rel = Path(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"snapshot path {path!r} is not inside the site")
    return rel.as_posix()


def build_site(
    out: Path | str | None = None,
    *,
    reason: str = "",
    build: Build | None = None,
    progress: Progress | None = None,
    index: bool = True,
) -> BuildResult:
    """Build the whole public site into `out` (default SARING_GUIDE_DIR). `build`: a queued row
    to run under (schedule.request_build made it); otherwise a new row is recorded."""
    say = progress or (lambda _line: None)
    target = Path(out or default_target()).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if build is None:
        build = Build.objects.create(state=Build.State.RUNNING, reason=reason[:200])
    else:
        Build.objects.filter(pk=build.pk).update(
            state=Build.State.RUNNING, started_at=timezone.now()
        )
    started = time.perf_counter()
    new = target.with_name(f"{target.name}.new-{timezone.now():%Y%m%d%H%M%S%f}")
    try:
        with _locked(target):
            say(f"reading content for {target}")
            data = SiteData.load()
            say(
                f"rendering {len(data.entries)} entries, {len(data.clarifications)} "
                f"clarifications, {len(data.provinces)} provinces into {new.name}"
            )
            writer = render_site(new, data=data)
            say(f"  {writer.files:,} files, {writer.bytes:,} bytes")
            snapshots = _snapshots()
            for rel, content in snapshots.items():
                writer.write(_safe_relative(rel), content)
            if snapshots:
                say(f"  {len(snapshots)} API snapshots and feeds")
            if index:
                say("indexing with Pagefind")
                pagefind.index(new)
            files, size = _tally(new)
            counts = {**dict(writer.counts), "snapshots": len(snapshots)}
            summary = {
                "built_at": data.now.isoformat(),
                "build": build.pk,
                "reason": reason,
                "counts": counts,
                "files": files + 1,
                "bytes": size,
            }
            (new / "build.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
            old = swap.swap_in(new, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    except Exception as error:
        shutil.rmtree(new, ignore_errors=True)
        message = f"{type(error).__name__}: {error}"
        Build.objects.filter(pk=build.pk).update(
            state=Build.State.FAILED,
            error=message[:5000],
            seconds=round(time.perf_counter() - started, 3),
            finished_at=timezone.now(),
        )
        log.error("guide build %s failed: %s", build.pk, message)
        raise BuildError(message) from error
    seconds = round(time.perf_counter() - started, 3)
    Build.objects.filter(pk=build.pk).update(
        state=Build.State.DONE,
        files=files + 1,
        bytes=size,
        seconds=seconds,
        finished_at=timezone.now(),
    )
    build.refresh_from_db()
    record(
        SYSTEM,
        Action.GUIDE_BUILT,
        build,
        details={"files": files + 1, "bytes": size, "seconds": seconds, "reason": reason[:200]},
    )
    result = BuildResult(build.pk, str(target), files + 1, size, seconds, counts)
    say(str(result))
    return result


def _tally(root: Path) -> tuple[int, int]:
    files = size = 0
    for path in root.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
    return files, size


def last_build() -> Build | None:
    return Build.objects.filter(state=Build.State.DONE).order_by("-started_at").first()


def due(target: Path | None = None, now: datetime | None = None) -> str:
    """Why a rebuild is due ("" when it is not): no site yet, a live revision's validity window
    opened or closed since the last build read the content, or the date in Jakarta changed (the
    countdowns are written as text)."""
    now = now or timezone.now()
    last = last_build()
    if last is None or not (target or default_target()).exists():
        return "no site built yet"
    since = last.started_at
    window = Q(live__valid_from__gt=since, live__valid_from__lte=now) | Q(
        live__valid_until__gt=since, live__valid_until__lte=now
    )
    if Entry.objects.filter(status=Entry.Status.PUBLISHED).filter(window).exists():
        return "a validity window opened or closed"
    if timezone.localtime(since).date() != timezone.localtime(now).date():
        return "a new day (countdowns)"
    return ""
