"""`saring cases propose [--run ID] [--since DAYS] [--json]`: draft cases from MONITOR signals
(the import hook runs it per run; cron with --since catches matches and scores made later)."""

from __future__ import annotations

import json

from django.core.management.base import CommandError

HELP = "Propose draft cases for posts whose signals reach the proposal rules' levels."


def add_arguments(parser) -> None:
    parser.add_argument("--run", type=int, default=None, metavar="ID", help="one import run")
    parser.add_argument(
        "--since",
        type=float,
        default=None,
        metavar="DAYS",
        help="posts ingested in the last DAYS days (default 1)",
    )
    parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")


def handle(command, options: dict) -> None:
    from saring.cases import proposals

    if options["run"] is not None and options["since"] is not None:
        raise CommandError("give --run or --since, not both")
    if options["run"] is not None:
        counts = proposals.propose_for_run(options["run"])
    else:
        days = options["since"] if options["since"] is not None else 1.0
        if days <= 0:
            raise CommandError(f"--since must be more than 0 days, not {days}")
        counts = proposals.propose_since(days)
    if options["json"]:
        command.stdout.write(json.dumps({"proposed": counts, "total": sum(counts.values())}))
        return
    for signal, n in counts.items():
        command.stdout.write(f"{signal}: {n}")
    command.stdout.write(f"total: {sum(counts.values())}")
