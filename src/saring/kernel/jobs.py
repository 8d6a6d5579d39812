"""What the background jobs share: an id range walked in chunks, a result that prints itself.

Every background job is one function in its context's `jobs.py`. Its `saring …` command and its
task call that function with the same arguments (the command adds `progress=` to print a line
per chunk), so whatever a worker does an operator can do by hand, and the other way round.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Self

from django.db.models import QuerySet

Progress = Callable[[str], None]


def in_range(queryset: QuerySet, first_id: int | None, last_id: int | None) -> QuerySet:
    """`queryset` limited to first_id..last_id (inclusive); an open end when None."""
    if first_id is not None:
        queryset = queryset.filter(pk__gte=first_id)
    if last_id is not None:
        queryset = queryset.filter(pk__lte=last_id)
    return queryset


def id_chunks(queryset: QuerySet, size: int) -> Iterator[list[int]]:
    """The ids of `queryset` in ascending chunks of at most `size`, reading one chunk at a time
    (constant memory; rows added behind the cursor meanwhile are not revisited)."""
    if size < 1:
        raise ValueError(f"chunk size must be at least 1, not {size}")
    ids = queryset.order_by("pk").values_list("pk", flat=True)
    after: int | None = None
    while True:
        chunk = list((ids if after is None else ids.filter(pk__gt=after))[:size])
        if not chunk:
            return
        yield chunk
        after = chunk[-1]


def for_each_chunk(
    queryset: QuerySet,
    size: int,
    work: Callable[[list[int]], str],
    progress: Progress | None,
    *,
    what: str = "posts",
) -> int:
    """Run `work(ids)` on each chunk of `queryset`'s ids; with `progress`, a line per chunk:
    "done/total posts (ids a-b)" followed by what `work` returned. The number of ids done."""
    total = queryset.count() if progress else 0
    done = 0
    for ids in id_chunks(queryset, size):
        note = work(ids)
        done += len(ids)
        if progress:
            progress(f"  {done:,}/{total:,} {what} (ids {ids[0]}-{ids[-1]}){note}")
    return done


@dataclass
class JobResult:
    """What a job did: counts in the subclass's fields, and its wall time."""

    seconds: float = field(default=0.0, kw_only=True)
    _started: float = field(
        default_factory=time.perf_counter, init=False, repr=False, compare=False
    )

    def stop(self) -> Self:
        self.seconds = round(time.perf_counter() - self._started, 3)
        return self

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def as_dict(self) -> dict:
        """JSON-ready (the task's return value and the command's `--json`)."""
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


# The commands' side: the same options and the same output for every job command.


def add_range_arguments(parser, *, chunk: int, what: str = "post") -> None:
    """`--from-id A --to-id B --chunk N`: an inclusive id range (open at an end not given)."""
    parser.add_argument(
        "--from-id", type=int, default=None, metavar="A", help=f"first {what} id (inclusive)"
    )
    parser.add_argument(
        "--to-id", type=int, default=None, metavar="B", help=f"last {what} id (inclusive)"
    )
    parser.add_argument(
        "--chunk",
        type=int,
        default=chunk,
        metavar="N",
        help=f"{what}s per chunk, a progress line each (default {chunk:,})",
    )


def add_ids_argument(parser, help: str) -> None:
    """`--id N [N …]` (repeatable): the records a job is limited to."""
    parser.add_argument(
        "--id", dest="ids", type=int, nargs="+", action="extend", metavar="N", help=help
    )
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def check_range(first_id: int | None, last_id: int | None, chunk: int) -> None:
    """CommandError for a range or chunk size that cannot mean anything."""
    from django.core.management.base import CommandError

    if first_id is not None and last_id is not None and first_id > last_id:
        raise CommandError(f"--from-id {first_id} is after --to-id {last_id}")
    if chunk < 1:
        raise CommandError(f"--chunk must be at least 1, not {chunk}")


def progress_of(command, options: dict) -> Progress | None:
    """A line per chunk on stdout, unless the output is JSON or -v 0 was asked for."""
    if options.get("json") or options.get("verbosity", 1) < 1:
        return None
    return command.stdout.write


def write_result(command, result: JobResult, options: dict) -> None:
    """The one-line summary, or the result as one JSON object with --json."""
    if options.get("json"):
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        command.stdout.write(str(result))
