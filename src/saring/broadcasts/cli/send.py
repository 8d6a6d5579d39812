"""`saring broadcasts send ID [--json]`: start a draft or scheduled broadcast (or go on with one
in sending state) and send it here, a progress line per chunk; `saring broadcasts send --due`:
the same for every scheduled broadcast whose time has come. Acts as the system. Safe to run
again after a kill: deliveries still queued go out with the same keys, the gateway drops
repeats (see `saring broadcasts resume` for a paused one)."""

from __future__ import annotations

from django.core.management.base import CommandError

from saring.accounts.scope import SYSTEM
from saring.broadcasts.models import Broadcast
from saring.broadcasts.services import sending
from saring.kernel.jobs import progress_of, write_result

NAME = "send"
HELP = "Send a broadcast now (ID) or every scheduled one that is due (--due)."


def add_arguments(parser) -> None:
    parser.add_argument("id", type=int, nargs="?", help="the broadcast's id")
    parser.add_argument("--due", action="store_true", help="every scheduled broadcast now due")
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def broadcast_or_error(pk: int) -> Broadcast:
    try:
        return Broadcast.objects.get(pk=pk)
    except Broadcast.DoesNotExist:
        raise CommandError(f"there is no broadcast {pk}") from None


def handle(command, options) -> None:
    if options["due"] == (options["id"] is not None):
        raise CommandError("give a broadcast id or --due (not both)")
    progress = progress_of(command, options)
    if options["due"]:
        ids = sending.start_due(enqueue=False)
    else:
        broadcast = broadcast_or_error(options["id"])
        if broadcast.state in (Broadcast.State.DRAFT, Broadcast.State.SCHEDULED):
            sending.start(SYSTEM, broadcast, enqueue=False)
        elif broadcast.state != Broadcast.State.SENDING:
            raise CommandError(
                f"broadcast {broadcast.pk} is {broadcast.state}: "
                + (
                    "use `saring broadcasts resume`"
                    if broadcast.state == "paused"
                    else "nothing to send"
                )
            )
        ids = [broadcast.pk]
    if not ids and progress:
        progress("No scheduled broadcast is due.")
    for pk in ids:
        write_result(command, sending.run(pk, progress=progress), options)
