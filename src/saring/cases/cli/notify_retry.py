"""`saring cases notify-retry [--json]`: send again the messages to reporters that failed (up
to five tries each) or whose task was lost."""

from __future__ import annotations

NAME = "notify-retry"
HELP = "Retry failed or stuck messages to reporters."


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def handle(command, options: dict) -> None:
    from saring.cases.services import notify
    from saring.kernel.jobs import write_result

    write_result(command, notify.retry(), options)
