"""`saring posts restage [--election ID …] [--chunk N] [--json]`: recompute which stage of the
elections calendar each post was written in, as a worker does after an admin moves a stage
(saring.monitoring.services.stages).

One subcommand per post-wide recomputation: each is an `add_<name>` method that declares its
parser and a `do_<name>` method that runs it (a sibling, e.g. `speakers`, adds the same pair).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saring.elections.models import Election
from saring.kernel.jobs import progress_of, write_result
from saring.monitoring.services.speakers import RESPEAK_CHUNK, respeak
from saring.monitoring.services.stages import RESTAGE_CHUNK, restage


class Command(BaseCommand):
    help = (
        "Recompute derived fields of stored posts. `restage`: each post's stage of the elections "
        "calendar (default every post; --election: the posts those elections may concern). "
        "`speakers`: who speaks in each post (official, campaign, quiet-period, impostor) from "
        "the known-accounts registry (default every post; --account: those accounts' posts)."
    )
    subcommands = ("restage", "speakers")

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        for name in self.subcommands:
            getattr(self, f"add_{name}")(sub)

    def handle(self, *args, what: str, **options) -> None:
        getattr(self, f"do_{what}")(options)

    @staticmethod
    def _common(parser, chunk: int) -> None:
        parser.add_argument(
            "--chunk",
            type=int,
            default=chunk,
            metavar="N",
            help=f"posts per chunk, a progress line each (default {chunk:,})",
        )
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    @staticmethod
    def _check_chunk(options: dict) -> None:
        if options["chunk"] < 1:
            raise CommandError(f"--chunk must be at least 1, not {options['chunk']}")

    def add_restage(self, sub) -> None:
        parser = sub.add_parser("restage", help="recompute each post's election stage")
        parser.add_argument(
            "--election",
            dest="elections",
            nargs="+",
            action="extend",
            metavar="ID",
            help="only posts these elections may concern, e.g. pilkada.1871.2024-11-27",
        )
        self._common(parser, RESTAGE_CHUNK)

    def do_restage(self, options: dict) -> None:
        self._check_chunk(options)
        try:
            result = restage(
                options.get("elections"),
                progress=progress_of(self, options),
                chunk=options["chunk"],
            )
        except Election.DoesNotExist as error:
            raise CommandError(str(error)) from error
        write_result(self, result, options)

    def add_speakers(self, sub) -> None:
        parser = sub.add_parser("speakers", help="recompute who speaks in each post")
        parser.add_argument(
            "--account",
            dest="accounts",
            nargs="+",
            action="extend",
            metavar="PLATFORM:HANDLE",
            help="only the posts these known accounts may concern, e.g. x:kpu_ri",
        )
        self._common(parser, RESPEAK_CHUNK)

    def do_speakers(self, options: dict) -> None:
        self._check_chunk(options)
        pairs = None
        if options.get("accounts"):
            pairs = []
            for value in options["accounts"]:
                platform, sep, handle = value.partition(":")
                if not sep or not platform or not handle.strip().lstrip("@"):
                    raise CommandError(f"--account {value!r}: write it as PLATFORM:HANDLE")
                pairs.append((platform.strip().lower(), handle.strip().lstrip("@").lower()))
        result = respeak(pairs, progress=progress_of(self, options), chunk=options["chunk"])
        write_result(self, result, options)
