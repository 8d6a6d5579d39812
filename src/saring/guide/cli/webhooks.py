"""`saring guide webhooks deliver|list|resume ID|test ID`: partners' webhook subscriptions.

- `deliver [--json]`: one attempt of every delivery that is due (new ones and retries whose
  back-off has passed). Safe from cron next to the worker: receivers get the same
  Idempotency-Key on a resend.
- `list [--json]`: every subscription with its state and counts (no secrets, no e-mail).
- `resume ID`: a paused or turned-off subscription becomes active; its held deliveries are
  queued again (as the system: an operator's act, recorded in the audit trail).
- `test ID [--timeout S]`: send a signed `test.ping` now and print the receiver's answer.
"""

from __future__ import annotations

import json

from django.core.management.base import CommandError

from saring.accounts.scope import SYSTEM
from saring.guide.models import Subscription, WebhookDelivery
from saring.guide.querysets import subscriptions_visible_to, with_delivery_counts
from saring.guide.services import webhooks
from saring.kernel.jobs import write_result
from saring.workflow import TransitionError

NAME = "webhooks"
HELP = "Partners' webhooks: deliver what is due, list subscriptions, resume one, send a test."


def add_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    deliver = sub.add_parser("deliver", help="Send the deliveries that are due.")
    deliver.add_argument("--json", action="store_true", help="Print the summary as JSON.")
    listing = sub.add_parser("list", help="List subscriptions with their state.")
    listing.add_argument("--json", action="store_true", help="Print the list as JSON.")
    resume = sub.add_parser("resume", help="Resume a paused subscription.")
    resume.add_argument("id", type=int, metavar="ID")
    test = sub.add_parser("test", help="Send a signed test event now.")
    test.add_argument("id", type=int, metavar="ID")
    test.add_argument("--timeout", type=float, default=None, help="seconds (default: setting)")


def _subscription(pk: int) -> Subscription:
    found = Subscription.objects.select_related("organisation").filter(pk=pk).first()
    if found is None:
        raise CommandError(f"no webhook subscription {pk}")
    return found


def _rows() -> list[dict]:
    subscriptions = with_delivery_counts(subscriptions_visible_to(SYSTEM)).order_by("pk")
    return [
        {
            "id": s.pk,
            "organisation": s.organisation.name,
            "url": s.url,
            "status": s.status,
            "events": s.events or ["*"],
            "failures": s.failures,
            "waiting": s.waiting,
            "held": s.held,
            "given_up": s.given_up,
        }
        for s in subscriptions
    ]


def handle(command, options) -> None:
    action = options["action"]
    if action == "deliver":
        write_result(command, webhooks.deliver_due(), options)
    elif action == "list":
        rows = _rows()
        if options.get("json"):
            command.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for r in rows:
            command.stdout.write(
                f"{r['id']:>4}  {r['status']:<7} {r['organisation']} → {r['url']}  "
                f"events={','.join(r['events'])} failures={r['failures']} "
                f"waiting={r['waiting']} held={r['held']} given_up={r['given_up']}"
            )
        if not rows:
            command.stdout.write("no webhook subscriptions")
    elif action == "resume":
        subscription = _subscription(options["id"])
        try:
            webhooks.resume(SYSTEM, subscription)
        except TransitionError as error:
            raise CommandError(str(error)) from None
        requeued = subscription.deliveries.filter(state=WebhookDelivery.State.PENDING).count()
        command.stdout.write(f"subscription {subscription.pk} active; {requeued} waiting")
    elif action == "test":
        subscription = _subscription(options["id"])
        delivery = webhooks.send_test(SYSTEM, subscription, queue=False)
        result = webhooks.deliver(delivery.pk, timeout=options.get("timeout"))
        if not result.ok:
            raise CommandError(f"test to {subscription.url} failed: {result.error}")
        command.stdout.write(f"test delivered to {subscription.url} (key {delivery.key})")
