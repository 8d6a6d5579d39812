"""Webhook subscriptions of partner organisations and their signed deliveries.

Every publication (an announcement, page or FAQ published or withdrawn, a clarification
published, an election's calendar changed) becomes one `WebhookDelivery` per subscription that
wants the event; the body is POSTed signed by `saring.kernel.webhooks.post_signed` with an
`Idempotency-Key` that is the same on every retry of that publication and new for a later
change of the item.

Failures: a failed attempt waits BACKOFF[attempt - 1] (1 min, 5 min, 30 min, 2 h, 6 h) before
the next; a delivery that failed MAX_ATTEMPTS times is given up (`failed`, shown on the page,
sent again on resume). Every failed attempt also counts against the subscription (a success
resets it): PAUSE_AFTER failures in a row pause the subscription, its waiting deliveries and
every later one are `held` (nothing is lost), and the owner is e-mailed once. `resume()` puts
the held ones back in the queue.

Who may manage a subscription: a national KPU admin (the guide's owner) or a superuser for every
organisation, and an admin of the partner organisation for its own subscriptions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from saring import config
from saring.accounts.models import Organisation
from saring.accounts.scope import SYSTEM, Scope, require
from saring.audit.actions import Action
from saring.audit.services import record
from saring.guide.models import Entry, Subscription, WebhookDelivery
from saring.guide.workflow import SUBSCRIPTION_WORKFLOW, is_operator, may_manage
from saring.kernel.address import public_url
from saring.kernel.jobs import JobResult
from saring.kernel.webhooks import PostResult, post_signed
from saring.workflow import transition

logger = logging.getLogger("saring.guide.webhooks")

# Wait after the 1st, 2nd, … failed attempt of one delivery.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
PAUSE_AFTER = 5  # failed attempts in a row (any delivery of the subscription)
USER_AGENT = "Saring guide webhook"
TEST_EVENT = "test.ping"
ENTRY_KINDS = tuple(Entry.Kind.values)
# What a subscription may ask for; `events` empty means all of them.
EVENTS = (
    *(f"{kind}.{action}" for kind in ENTRY_KINDS for action in ("published", "withdrawn")),
    "clarification.published",
    "election.changed",
)
_PLURAL = {"announcement": "announcements", "page": "pages", "faq": "faqs"}


class WebhookError(ValueError):
    """Bad input for a subscription (URL, events, e-mail), with `.field` naming the field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


# --- who may act ------------------------------------------------------------------------------


def may_see(scope: Scope, organisation_id: int | None) -> bool:
    """Any member of the organisation reads its subscriptions; operators read all."""
    return is_operator(scope) or (
        scope.organisation_id is not None and scope.organisation_id == organisation_id
    )


# --- subscriptions ----------------------------------------------------------------------------


def _clean_url(url: str) -> str:
    url = (url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise WebhookError(_("Enter an http:// or https:// address."), "url") from None
    if len(url) > 500:
        raise WebhookError(_("The address is longer than 500 characters."), "url")
    return url


def _clean_events(events: Iterable[str] | None) -> list[str]:
    chosen = sorted({e.strip() for e in events or () if e and e.strip()})
    unknown = [e for e in chosen if e not in EVENTS]
    if unknown:
        raise WebhookError(
            _("Unknown event: %(events)s.") % {"events": ", ".join(unknown)}, "events"
        )
    return chosen


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        raise WebhookError(
            _("Give an e-mail address: it is told when deliveries keep failing."), "owner_email"
        )
    try:
        EmailValidator()(email)
    except ValidationError:
        raise WebhookError(_("Enter a valid e-mail address."), "owner_email") from None
    return email


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def subscribe(
    scope: Scope,
    organisation: Organisation,
    *,
    url: str,
    events: Iterable[str] | None = None,
    owner_email: str,
) -> Subscription:
    """A new active subscription with a generated secret (the caller shows it once)."""
    require(
        scope,
        may_manage(scope, organisation.pk),
        _("Only a national admin or the organisation's own admin may add its webhooks."),
    )
    subscription = Subscription(
        organisation=organisation,
        url=_clean_url(url),
        events=_clean_events(events),
        owner_email=_clean_email(owner_email),
        secret=new_secret(),
    )
    with transaction.atomic():
        subscription.save()
        record(
            scope,
            Action.WEBHOOK_SUBSCRIBED,
            subscription,
            to_state=subscription.status,
            details={"events": subscription.events, "created": True},
        )
    return subscription


def update(
    scope: Scope,
    subscription: Subscription,
    *,
    url: str | None = None,
    events: Iterable[str] | None = None,
    owner_email: str | None = None,
) -> Subscription:
    """Change the address, the events or the owner's e-mail (None: unchanged)."""
    require(
        scope,
        may_manage(scope, subscription.organisation_id),
        _("Only a national admin or the organisation's own admin may change its webhooks."),
    )
    changed = []
    if url is not None and _clean_url(url) != subscription.url:
        subscription.url, changed = _clean_url(url), [*changed, "url"]
    if events is not None and _clean_events(events) != subscription.events:
        subscription.events, changed = _clean_events(events), [*changed, "events"]
    if owner_email is not None and _clean_email(owner_email) != subscription.owner_email:
        subscription.owner_email, changed = _clean_email(owner_email), [*changed, "owner_email"]
    if changed:
        with transaction.atomic():
            subscription.save(update_fields=changed)
            # The fields' names only: the owner's address is personal data.
            record(scope, Action.WEBHOOK_SUBSCRIBED, subscription, details={"changed": changed})
    return subscription


def turn_off(scope: Scope, subscription: Subscription, why: str = "") -> Subscription:
    """No more deliveries: the waiting and held ones are given up (`failed`), new events skip
    it. `resume()` turns it on again."""
    with transaction.atomic():
        subscription = transition(
            subscription, SUBSCRIPTION_WORKFLOW, Subscription.Status.OFF, scope=scope, why=why
        )
        subscription.deliveries.filter(
            state__in=(WebhookDelivery.State.PENDING, WebhookDelivery.State.HELD)
        ).update(
            state=WebhookDelivery.State.FAILED,
            next_attempt_at=None,
            last_error=_("The subscription was turned off."),
        )
    return subscription


def resume(scope: Scope, subscription: Subscription) -> Subscription:
    """A paused (or turned-off) subscription is active again; its held and given-up
    deliveries are queued again, with a fresh count of attempts."""
    with transaction.atomic():
        subscription = transition(
            subscription,
            SUBSCRIPTION_WORKFLOW,
            Subscription.Status.ACTIVE,
            scope=scope,
            changes={"failures": 0, "paused_at": None},
        )
        requeued = (
            subscription.deliveries.filter(
                state__in=(WebhookDelivery.State.HELD, WebhookDelivery.State.FAILED)
            )
            .exclude(event=TEST_EVENT)
            .update(state=WebhookDelivery.State.PENDING, attempts=0, next_attempt_at=None)
        )
        if requeued:
            transaction.on_commit(_queue_due)
    return subscription


def retry(scope: Scope, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a given-up delivery of an active subscription again."""
    require(
        scope,
        may_manage(scope, delivery.subscription.organisation_id),
        _("Only a national admin or the organisation's own admin may send it again."),
    )
    if delivery.state != WebhookDelivery.State.FAILED or delivery.event == TEST_EVENT:
        raise WebhookError(_("Only a delivery that was given up can be sent again."))
    active = delivery.subscription.status == Subscription.Status.ACTIVE
    state = WebhookDelivery.State.PENDING if active else WebhookDelivery.State.HELD
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=state, attempts=0, next_attempt_at=None
    )
    if active:
        pk = delivery.pk
        transaction.on_commit(lambda: _queue(pk))
    delivery.refresh_from_db()
    return delivery


def send_test(scope: Scope, subscription: Subscription, *, queue: bool = True) -> WebhookDelivery:
    """A `test.ping` event, signed like the others: one attempt, whatever the subscription's
    state, not counted against it (a partner checks its receiver before resuming). With
    `queue=False` the caller delivers it itself (the command, to show the answer)."""
    require(
        scope,
        may_manage(scope, subscription.organisation_id),
        _("Only a national admin or the organisation's own admin may send a test."),
    )
    now = timezone.now()
    key = _key(subscription.pk, TEST_EVENT, "", f"{now.isoformat()}:{secrets.token_hex(4)}")
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        key=key,
        event=TEST_EVENT,
        payload=_payload(TEST_EVENT, None, public_url() + "/api/v1/", now, key),
    )
    if queue:
        pk = delivery.pk
        transaction.on_commit(lambda: _queue(pk))
    return delivery


# --- events -----------------------------------------------------------------------------------


def _timeout() -> float:
    value = getattr(settings, "SARING_WEBHOOK_TIMEOUT_SECONDS", None)
    return (
        float(value) if value else float(config.env_positive_int("SARING_WEBHOOK_TIMEOUT_SECONDS"))
    )


def event_name(kind: str, action: str) -> str:
    """`announcement.published`, `clarification.published`; a calendar change is always
    `election.changed`."""
    return "election.changed" if kind == "election" else f"{kind}.{action}"


def wants(subscription: Subscription, event: str) -> bool:
    return not subscription.events or event in subscription.events


def _key(subscription_id: int, event: str, item_id: Any, version: str) -> str:
    """sha256 of subscription + event + item + the item's version (its updated_at): a retry of
    the same publication keeps its key, a later change of the item gets a new one."""
    raw = f"{subscription_id}\n{event}\n{item_id}\n{version}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _payload(event: str, item_id: Any, url: str, occurred: datetime, key: str) -> dict:
    return {
        "event": event,
        "id": item_id,
        "url": url,
        "occurred_at": occurred.isoformat(),
        "delivery": key,
    }


@dataclass(frozen=True)
class _Item:
    id: Any
    url: str
    occurred_at: datetime
    version: str


def _items(kind: str, ids: list[Any]) -> list[_Item]:
    """The changed items with their API URL and version; ids that no longer exist are
    skipped (nothing to point the partner at)."""
    base = public_url() + "/api/v1"
    if kind in ENTRY_KINDS:
        rows = Entry.objects.filter(pk__in=ids, kind=kind).values_list("pk", "slug", "updated_at")
        return [
            _Item(pk, f"{base}/{_PLURAL[kind]}/{slug}", at, at.isoformat()) for pk, slug, at in rows
        ]
    if kind == "clarification":
        from saring.factcheck.models import Clarification

        rows = Clarification.objects.filter(pk__in=ids).values_list("pk", "updated_at")
        return [_Item(pk, f"{base}/clarifications/{pk}", at, at.isoformat()) for pk, at in rows]
    if kind == "election":
        from saring.elections.models import Election

        items = []
        for election in Election.objects.filter(pk__in=ids).prefetch_related("stages"):
            # The stages themselves are part of the version: a calendar change is a new
            # event even where the election row was not saved.
            stages = sorted(f"{s.kind}:{s.starts_on}:{s.ends_on}" for s in election.stages.all())
            version = f"{election.updated_at.isoformat()}|{'|'.join(stages)}"
            url = f"{base}/elections/{election.pk}"
            items.append(_Item(election.pk, url, timezone.now(), version))
        return items
    logger.warning("no webhook event for content of kind %r", kind)
    return []


def enqueue(kind: str, ids: list[Any], *, action: str = "published") -> int:
    """Queue one delivery per subscription that wants this event (held for a paused one);
    returns how many new deliveries. The same publication enqueued twice is one delivery (its
    key). The sending starts after the current transaction commits."""
    event = event_name(kind, action)
    subscriptions = [
        s for s in Subscription.objects.exclude(status=Subscription.Status.OFF) if wants(s, event)
    ]
    if not subscriptions or not ids:
        return 0
    items = _items(kind, list(ids))
    made: list[int] = []
    for subscription in subscriptions:
        active = subscription.status == Subscription.Status.ACTIVE
        state = WebhookDelivery.State.PENDING if active else WebhookDelivery.State.HELD
        for item in items:
            key = _key(subscription.pk, event, item.id, item.version)
            try:
                with transaction.atomic():
                    delivery, created = WebhookDelivery.objects.get_or_create(
                        key=key,
                        defaults={
                            "subscription": subscription,
                            "event": event,
                            "state": state,
                            "payload": _payload(event, item.id, item.url, item.occurred_at, key),
                        },
                    )
            except IntegrityError:  # another worker made it between the read and the write
                continue
            if created:
                made.append(delivery.pk)
                if active:
                    pk = delivery.pk
                    transaction.on_commit(lambda pk=pk: _queue(pk))
    return len(made)


# --- delivering -------------------------------------------------------------------------------


def _queue(delivery_id: int, run_after: datetime | None = None) -> None:
    from saring.guide.tasks import deliver_webhook_task

    task = deliver_webhook_task
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # immediate backend: `saring guide webhooks deliver` (cron) picks it up
        task = task.using(run_after=run_after)
    try:
        task.enqueue(delivery_id)
    except Exception:  # stored as pending: the next `deliver` run sends it all the same
        logger.exception("could not queue webhook delivery %s", delivery_id)


def _queue_due() -> None:
    from saring.guide.tasks import deliver_webhooks_due_task

    try:
        deliver_webhooks_due_task.enqueue()
    except Exception:
        logger.exception("could not queue the due webhook deliveries")


def encode(payload: dict) -> bytes:
    """The exact bytes that are signed and sent (stable: the same on every retry)."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def deliver(delivery_id: int, *, timeout: float | None = None) -> PostResult:
    """One attempt of one delivery. Idempotent: a delivery that is not waiting is left alone
    (ok when it was delivered); one of a subscription that is no longer active is held."""
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return PostResult(False, f"no webhook delivery {delivery_id}")
    if delivery.state != WebhookDelivery.State.PENDING:
        delivered = delivery.state == WebhookDelivery.State.DELIVERED
        return PostResult(delivered, "" if delivered else delivery.state)
    subscription = delivery.subscription
    is_test = delivery.event == TEST_EVENT
    if subscription.status != Subscription.Status.ACTIVE and not is_test:
        WebhookDelivery.objects.filter(pk=delivery_id, state="pending").update(
            state=WebhookDelivery.State.HELD, next_attempt_at=None
        )
        return PostResult(False, WebhookDelivery.State.HELD)
    result = post_signed(
        subscription.url,
        encode(delivery.payload),
        secret=subscription.secret,
        idempotency_key=delivery.key,
        user_agent=USER_AGENT,
        timeout=timeout if timeout is not None else _timeout(),
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        if delivery.state != WebhookDelivery.State.PENDING:
            return PostResult(delivery.state == WebhookDelivery.State.DELIVERED)
        subscription = Subscription.objects.select_for_update().get(pk=delivery.subscription_id)
        now = timezone.now()
        delivery.attempts += 1
        if result.ok:
            delivery.state = WebhookDelivery.State.DELIVERED
            delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = now, None, ""
            if subscription.failures and not is_test:
                Subscription.objects.filter(pk=subscription.pk).update(failures=0)
        elif is_test:
            delivery.state, delivery.last_error = WebhookDelivery.State.FAILED, result.error
        else:
            delivery.last_error = result.error
            _failed_attempt(delivery, subscription, result.error, now)
        delivery.save(
            update_fields=["state", "attempts", "next_attempt_at", "last_error", "delivered_at"]
        )
    return result


def _failed_attempt(
    delivery: WebhookDelivery, subscription: Subscription, error: str, now: datetime
) -> None:
    """Count the failure on the subscription; pause it at PAUSE_AFTER, else schedule the
    retry (or give this delivery up after MAX_ATTEMPTS)."""
    failures = subscription.failures + 1
    Subscription.objects.filter(pk=subscription.pk).update(failures=failures)
    if failures >= PAUSE_AFTER and subscription.status == Subscription.Status.ACTIVE:
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.HELD, None
        _pause(subscription, failures, error, now)
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
    else:
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
        pk, when = delivery.pk, delivery.next_attempt_at
        transaction.on_commit(lambda: _queue(pk, run_after=when))


def _pause(subscription: Subscription, failures: int, error: str, now: datetime) -> None:
    subscription.failures = failures
    transition(
        subscription,
        SUBSCRIPTION_WORKFLOW,
        Subscription.Status.PAUSED,
        scope=SYSTEM,
        why=error,
        changes={"paused_at": now},
        details={"failures": failures},
    )
    subscription.deliveries.filter(state=WebhookDelivery.State.PENDING).exclude(
        event=TEST_EVENT  # a test is sent whatever the state
    ).update(state=WebhookDelivery.State.HELD, next_attempt_at=None)
    pk = subscription.pk
    transaction.on_commit(lambda: tell_owner_paused(pk))


def tell_owner_paused(subscription_id: int) -> bool:
    """One mail to the subscription's owner that it was paused and how to resume it."""
    subscription = Subscription.objects.select_related("organisation").get(pk=subscription_id)
    if not subscription.owner_email:
        return False
    last = subscription.deliveries.exclude(last_error="").order_by("-id").first()
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Saring webhook paused: %(url)s") % {"url": subscription.url}
        body = _(
            "The webhook of %(organisation)s at %(url)s failed %(failures)s times in a row "
            "and has been paused. Nothing is lost: new events are held until it is "
            "resumed.\n\nLast error: %(error)s\n\nFix the receiver, then resume it at "
            "%(page)s (or ask an operator to run `saring guide webhooks resume %(id)s`)."
        ) % {
            "organisation": subscription.organisation.name,
            "url": subscription.url,
            "failures": subscription.failures,
            "error": last.last_error if last else "",
            "page": f"{public_url()}/webhooks/{subscription.pk}/",
            "id": subscription.pk,
        }
    try:
        send_mail(subject, body, None, [subscription.owner_email])
    except Exception:  # the pause stands; the page shows it
        logger.exception("could not tell the owner of webhook %s that it paused", subscription.pk)
        return False
    return True


@dataclass
class DeliverSummary(JobResult):
    due: int = 0
    delivered: int = 0
    retrying: int = 0
    held: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.due} due: {self.delivered} delivered, {self.retrying} to retry, "
            f"{self.held} held, {self.failed} given up ({self.seconds:.1f} s)"
        )


def due(now: datetime | None = None) -> QuerySet[WebhookDelivery]:
    """Waiting deliveries whose first attempt or back-off is due."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(state=WebhookDelivery.State.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )


def deliver_due(now: datetime | None = None, *, timeout: float | None = None) -> DeliverSummary:
    """`saring guide webhooks deliver`: one attempt of every delivery that is due."""
    summary = DeliverSummary()
    for pk in list(due(now).order_by("created_at", "id").values_list("pk", flat=True)):
        summary.due += 1
        result = deliver(pk, timeout=timeout)
        state = WebhookDelivery.objects.filter(pk=pk).values_list("state", flat=True).first()
        if result.ok:
            summary.delivered += 1
        elif state == WebhookDelivery.State.HELD:
            summary.held += 1
        elif state == WebhookDelivery.State.FAILED:
            summary.failed += 1
            summary.errors.append(f"{pk}: {result.error}")
        else:
            summary.retrying += 1
    return summary.stop()
