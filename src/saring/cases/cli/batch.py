"""`saring cases batch CHANNEL --format csv|xlsx --out FILE`: the queued escalations of a
batch channel (by id or name) as one file for the platform's upload portal; they are marked
sent under the batch id printed (each escalation goes into one batch only)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from saring.accounts.scope import SYSTEM
from saring.cases.models import Channel
from saring.cases.services.escalation import EscalationError, take_batch

NAME = "batch"
HELP = "Write a batch channel's queued escalations to CSV or XLSX and mark them sent."


def add_arguments(parser) -> None:
    parser.add_argument("channel", help="The channel's id or name.")
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--out", required=True, metavar="FILE", help="Where to write the file.")


def _channel(value: str) -> Channel:
    found = Channel.objects.filter(name=value).first()
    if found is None and value.isdigit():
        found = Channel.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"no channel {value!r}")
    return found


def handle(command, options) -> None:
    channel = _channel(options["channel"])
    out = Path(options["out"])
    if not out.parent.is_dir():
        raise CommandError(f"no directory {out.parent}")
    try:
        with transaction.atomic():  # a file that cannot be written leaves them queued
            batch = take_batch(SYSTEM, channel, options["format"])
            out.write_bytes(batch.content)
    except EscalationError as error:
        raise CommandError(str(error)) from None
    except OSError as error:
        raise CommandError(f"cannot write {out}: {error.strerror}") from None
    command.stdout.write(
        f"{batch.batch_id}: {len(batch.references)} escalation(s) written to {out}"
    )
