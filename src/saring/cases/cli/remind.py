"""`saring cases remind [--json]`: deadline digests to assignees, then a retry of failed
messages to reporters (run it from cron, e.g. hourly)."""

from __future__ import annotations

import json

HELP = "Mail each assignee their overdue and due-soon cases (once per case a day)."


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    parser.add_argument(
        "--no-retry", action="store_true", help="Do not retry failed messages to reporters."
    )


def handle(command, options: dict) -> None:
    from saring.cases.services import notify, reminders

    result = reminders.send_reminders()
    if not options.get("no_retry"):
        result.messages_retried = notify.retry().as_dict()
    if options.get("json"):
        command.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        command.stdout.write(str(result))
        if result.messages_retried:
            retried = result.messages_retried
            command.stdout.write(
                f"messages to reporters retried: {retried['sent']} sent, {retried['failed']} failed"
            )
