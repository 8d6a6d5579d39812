"""`saring broadcasts import LIST_ID FILE.csv [--whatsapp] [--as USERNAME] [--json]`: import
recipients into a list with a progress bar (on stderr). Acts as the system unless `--as` names
a user, whose scope then applies as on the page. Prints counts only, never an address."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from django.core.management.base import CommandError

NAME = "import"
HELP = "Import recipients from a CSV file into a list (bad rows go to its quarantine)."
BAR_WIDTH = 30


def add_arguments(parser) -> None:
    parser.add_argument("list_id", type=int, metavar="LIST_ID")
    parser.add_argument("file", metavar="FILE.csv")
    parser.add_argument(
        "--whatsapp", action="store_true", help="Phone numbers are for WhatsApp (default SMS)."
    )
    parser.add_argument("--as", dest="username", help="Act as this user (default: system).")
    parser.add_argument("--json", action="store_true", help="Print the counts as JSON.")


def count_lines(path: Path) -> int:
    """Lines in the file, counted in 1 MB blocks (a bar needs the end; memory stays flat)."""
    total = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            total += block.count(b"\n")
    return total


class Bar:
    """`\r`-redrawn bar; `stream` is a command's OutputWrapper (or any text stream)."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream, self.started = max(total, 1), stream, time.monotonic()

    def _write(self, text: str) -> None:
        if hasattr(self.stream, "style_func"):  # Django's OutputWrapper adds "\n" otherwise
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)

    def __call__(self, line: int) -> None:
        share = min(line / self.total, 1.0)
        filled = int(share * BAR_WIDTH)
        rate = line / max(time.monotonic() - self.started, 1e-6)
        self._write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:6.1%} "
            f"{line:,}/{self.total:,} lines {rate:,.0f}/s"
        )
        self.stream.flush()

    def done(self) -> None:
        self._write("\n")


def handle(command, options: dict) -> None:
    from django.contrib.auth import get_user_model

    from saring.accounts.scope import SYSTEM, ScopeError, scope_for
    from saring.broadcasts.models import Channel, RecipientList
    from saring.broadcasts.services.recipients import RecipientError, import_csv
    from saring.sources.records import SourceError

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"no such file: {path}")
    recipient_list = RecipientList.objects.filter(pk=options["list_id"]).first()
    if recipient_list is None:
        raise CommandError(f"no recipient list with id {options['list_id']}")
    scope = SYSTEM
    if options.get("username"):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        scope = scope_for(user)
    quiet = options["json"] or options.get("verbosity", 1) < 1
    bar = None if quiet else Bar(count_lines(path), command.stderr)
    channel = Channel.WHATSAPP if options["whatsapp"] else Channel.SMS
    try:
        with path.open("rb") as handle:
            result = import_csv(
                scope, recipient_list, handle, path.name, progress=bar, phone_channel=channel
            )
    except (ScopeError, RecipientError, SourceError) as error:
        raise CommandError(str(error)) from None
    finally:
        if bar:
            bar.done()
    counts = result.as_dict()
    if options["json"]:
        command.stdout.write(json.dumps({"list": recipient_list.pk, **counts}))
        return
    command.stdout.write(
        f"{recipient_list.name}: {counts['imported']:,} imported, {counts['duplicates']:,} "
        f"duplicates, {counts['rejected']:,} rejected, {counts['opted_out_present']:,} "
        f"already opted out ({counts['lines']:,} lines read)"
    )
    for line, column, reason in result.rejected_lines[:20]:
        command.stdout.write(f"  line {line}{f' ({column})' if column else ''}: {reason}")
    if result.rejected > 20:
        command.stdout.write(f"  … and {result.rejected - 20:,} more on the list's page")
