"""`saring broadcasts resume ID [--json]`: go on with a paused broadcast (or one whose run was
killed): failed deliveries are queued again with their keys, then sent here."""

from __future__ import annotations

from django.core.management.base import CommandError

from saring.accounts.scope import SYSTEM
from saring.broadcasts.cli.send import broadcast_or_error
from saring.broadcasts.services import sending
from saring.kernel.jobs import progress_of, write_result
from saring.workflow import TransitionError

NAME = "resume"
HELP = "Resume a paused or interrupted broadcast (failed messages are retried)."


def add_arguments(parser) -> None:
    parser.add_argument("id", type=int, help="the broadcast's id")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def handle(command, options) -> None:
    broadcast = broadcast_or_error(options["id"])
    try:
        sending.resume(SYSTEM, broadcast, enqueue=False)
    except TransitionError as error:
        raise CommandError(str(error)) from None
    write_result(
        command, sending.run(broadcast.pk, progress=progress_of(command, options)), options
    )
