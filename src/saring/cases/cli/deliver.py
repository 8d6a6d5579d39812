"""`saring cases deliver [--json]`: one attempt for every escalation that is due: new ones
not yet sent, and failed attempts whose back-off has passed (after the 6th failure an
escalation is given up and shows as failed on its case). Batch channels wait for a download
(`saring cases batch`). Safe to run from cron next to the worker: each escalation is sent
once (the receiver also gets the same Idempotency-Key/Message-ID on a resend)."""

from __future__ import annotations

from saring.cases.services.escalation import deliver_due
from saring.kernel.jobs import write_result

NAME = "deliver"
HELP = "Send the escalations that are due and retry failed ones whose back-off has passed."


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")


def handle(command, options) -> None:
    write_result(command, deliver_due(), options)
