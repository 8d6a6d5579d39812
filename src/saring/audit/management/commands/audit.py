"""`saring audit verify [--json]`: check the audit trail's hash chain."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from saring.audit.services import verify


class Command(BaseCommand):
    help = "Audit trail: `verify` recomputes the hash chain and names the first broken event."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="exit 0 when the chain is intact")
        check.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, action: str, **options) -> None:
        result = verify()
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict()))
        elif result.intact:
            self.stdout.write(
                f"audit trail intact: {result.events} events, head {result.head[:16]}…"
            )
        if not result.intact:
            broken = result.first_break
            what = {
                "hash": "its content was changed after it was written",
                "link": "the event before it was removed or moved",
                "missing": "it is missing (deleted or renumbered)",
            }[broken.problem]
            raise CommandError(
                f"audit trail broken at event #{broken.seq}"
                + (f" (row id {broken.event_id})" if broken.event_id else "")
                + f": {what}"
            )
