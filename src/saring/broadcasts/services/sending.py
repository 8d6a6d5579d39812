"""The resumable sender: plan every delivery first, then send them in id order, chunk by chunk.

`start()` moves a broadcast to sending and plans it: one `Delivery` per distinct address of its
lists (and target region), keyed by sha256(broadcast id + the address's fingerprint), inserted
in chunks with ignore_conflicts (planning again adds nothing; two lists with the same number
make one delivery; a run that finds the plan unfinished plans again). Opted-out addresses are
planned as `skipped`.

`run()` streams the queued deliveries by id (keyset, one chunk in memory), decrypts the
addresses, sends the chunk through the channel's `Sender` with each delivery's key, and marks
the chunk sent in one UPDATE together with the broadcast's counters. A run killed after the
gateway took a chunk but before that UPDATE leaves the chunk queued: the next run sends it
again with the same keys, and the gateway drops the repeat. Timeouts and 5xx are retried with
back-off, then the messages are marked failed with the reason; the broadcast then ends paused,
and `resume()` queues the failed ones again. Pause and cancel are honoured between chunks.
Addresses never reach a log or an exception: only counts.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cryptography.fernet import InvalidToken
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from saring.accounts.scope import SYSTEM, Scope, require
from saring.broadcasts import crypto
from saring.broadcasts.channels.base import ChannelOff, Message, Result, Sender, sender_for
from saring.broadcasts.models import Broadcast, Delivery, OptOut, Recipient
from saring.broadcasts.services import receipts
from saring.broadcasts.workflow import BROADCAST_WORKFLOW
from saring.kernel.jobs import JobResult
from saring.workflow import transition

logger = logging.getLogger("saring.broadcasts.sending")

CHUNK = 500
PLAN_CHUNK = 2000
# Seconds to wait before each retry of a failed batch (then its messages are marked failed).
BACKOFF: tuple[float, ...] = (1.0, 4.0, 15.0)
# Chunks in a row that failed entirely: the gateway is down, pause instead of burning the list.
FAILED_CHUNKS_TO_PAUSE = 3

Progress = Callable[[str], None]
S = Broadcast.State
D = Delivery.State


class SendingError(ValueError):
    """A broadcast that cannot be sent as asked (its state says why)."""


def delivery_key(broadcast_id: int, address_hash: str) -> str:
    return hashlib.sha256(f"{broadcast_id}:{address_hash}".encode("ascii")).hexdigest()


# -- throttling -----------------------------------------------------------------------------


class TokenBucket:
    """`rate` messages a second with bursts of up to one second's worth."""

    def __init__(self, rate: float, *, clock=time.monotonic, sleep=time.sleep):
        self.rate = max(float(rate), 0.001)
        self.tokens = self.rate
        self._clock, self._sleep = clock, sleep
        self._at = clock()
        self._lock = threading.Lock()

    def take(self, n: int) -> float:
        """Wait until `n` messages may leave; the seconds waited."""
        with self._lock:
            now = self._clock()
            self.tokens = min(self.rate, self.tokens + (now - self._at) * self.rate)
            self._at = now
            self.tokens -= n
            wait = -self.tokens / self.rate if self.tokens < 0 else 0.0
        if wait:
            self._sleep(wait)
        return wait


_BUCKETS: dict[str, TokenBucket] = {}


def bucket_for(channel: str, rate: int) -> TokenBucket:
    """One bucket per channel in this process (broadcasts on a channel share its rate)."""
    bucket = _BUCKETS.get(channel)
    if bucket is None or bucket.rate != float(max(rate, 1)):
        bucket = _BUCKETS[channel] = TokenBucket(max(rate, 1))
    return bucket


# -- start, plan, pause, resume -----------------------------------------------------------


def _recipients(broadcast: Broadcast):
    queryset = Recipient.objects.filter(
        recipient_list__in=broadcast.lists.all(), channel=broadcast.channel
    )
    if broadcast.target_regency_id:
        queryset = queryset.filter(regency_id=broadcast.target_regency_id)
    elif broadcast.target_province_id:
        province = broadcast.target_province_id
        queryset = queryset.filter(Q(province_id=province) | Q(regency__province_id=province))
    return queryset


def plan(broadcast: Broadcast, *, progress: Progress | None = None) -> int:
    """Write the deliveries of `broadcast` (idempotent); the number planned in all."""
    rows = _recipients(broadcast).order_by("pk").values_list("pk", "address_hash")
    after = 0
    while True:
        chunk = list(rows.filter(pk__gt=after)[:PLAN_CHUNK])
        if not chunk:
            break
        after = chunk[-1][0]
        hashes = {h for _pk, h in chunk}
        opted = set(
            OptOut.objects.filter(channel=broadcast.channel, address_hash__in=hashes).values_list(
                "address_hash", flat=True
            )
        )
        Delivery.objects.bulk_create(
            [
                Delivery(
                    broadcast_id=broadcast.pk,
                    recipient_id=pk,
                    key=delivery_key(broadcast.pk, h),
                    state=D.SKIPPED if h in opted else D.QUEUED,
                )
                for pk, h in chunk
            ],
            ignore_conflicts=True,
            batch_size=PLAN_CHUNK,
        )
        if progress:
            progress(f"  planned up to recipient {after}")
    deliveries = Delivery.objects.filter(broadcast_id=broadcast.pk)
    planned = deliveries.count()
    skipped = deliveries.filter(state=D.SKIPPED).count()
    Broadcast.objects.filter(pk=broadcast.pk).update(planned=planned, skipped=skipped)
    return planned


def start(scope: Scope, broadcast: Broadcast, *, enqueue: bool = True) -> Broadcast:
    """Send `broadcast` now (from draft or scheduled): plan its deliveries and queue the run."""
    require(
        scope,
        scope.edits_record(broadcast, role="analyst"),
        _("Only analysts of the broadcast's region may send it."),
    )
    broadcast = transition(
        broadcast,
        BROADCAST_WORKFLOW,
        S.SENDING,
        scope=scope,
        changes={"started_at": broadcast.started_at or timezone.now()},
    )
    # Each chunk of the plan commits on its own (a million rows must not hold SQLite's write
    # lock for a minute); `planned` is written last, so a run that finds it 0 plans again.
    # Queued, the run plans in the worker: "send now" on a big list answers at once.
    if enqueue:
        _enqueue(broadcast.pk)
    else:
        plan(broadcast)
    broadcast.refresh_from_db()
    return broadcast


def pause(scope: Scope, broadcast: Broadcast, why: str = "") -> Broadcast:
    """Stop after the chunk in flight; `resume()` goes on from there."""
    return transition(broadcast, BROADCAST_WORKFLOW, S.PAUSED, scope=scope, why=why)


def resume(scope: Scope, broadcast: Broadcast, *, enqueue: bool = True) -> Broadcast:
    """Go on with a paused broadcast, or one whose run was killed: failed deliveries are
    queued again (same keys), then the run is queued."""
    with transaction.atomic():
        broadcast = transition(broadcast, BROADCAST_WORKFLOW, S.SENDING, scope=scope)
        again = Delivery.objects.filter(broadcast_id=broadcast.pk, state=D.FAILED).update(
            state=D.QUEUED, error=""
        )
        if again:
            Broadcast.objects.filter(pk=broadcast.pk).update(failed=F("failed") - again)
        if enqueue:
            _enqueue(broadcast.pk)
    broadcast.refresh_from_db()
    return broadcast


def _enqueue(broadcast_id: int) -> None:
    from saring.broadcasts.tasks import send_broadcast_task

    transaction.on_commit(lambda: send_broadcast_task.enqueue(broadcast_id))


def due(now=None):
    """Scheduled broadcasts whose time has come."""
    return Broadcast.objects.filter(
        state=S.SCHEDULED, scheduled_for__lte=now or timezone.now()
    ).order_by("scheduled_for", "pk")


def start_due(*, enqueue: bool = True) -> list[int]:
    """Start every scheduled broadcast that is due (as the system); their ids."""
    started = []
    for broadcast in due():
        start(SYSTEM, broadcast, enqueue=enqueue)
        started.append(broadcast.pk)
    return started


# -- the run --------------------------------------------------------------------------------


@dataclass
class SendResult(JobResult):
    broadcast: int = 0
    sent: int = 0
    failed: int = 0
    undecryptable: int = 0
    chunks: int = 0
    state: str = ""
    note: str = ""

    def __str__(self) -> str:
        return (
            f"Broadcast {self.broadcast}: {self.sent:,} sent, {self.failed:,} failed in "
            f"{self.chunks:,} chunk(s), {self.seconds:.1f} s; now {self.state}"
            + (f" ({self.note})" if self.note else "")
        )


def _send_with_retries(sender: Sender, messages: Sequence[Message]) -> dict[str, Result]:
    pending = {m.key: m for m in messages}
    final: dict[str, Result] = {}
    for attempt in range(len(BACKOFF) + 1):
        try:
            results = sender.send(list(pending.values()))
        except Exception as error:  # a sender's bug must not lose the chunk: retry, then fail
            reason = f"{type(error).__name__}"[:200]
            results = [Result(k, False, error=reason, retryable=True) for k in pending]
        answered = {r.key: r for r in results if r.key in pending}
        retry = {}
        for key in pending:
            result = answered.get(key) or Result(key, False, error="no answer", retryable=True)
            if result.ok or not result.retryable:
                final[key] = result
            else:
                retry[key] = result
        if not retry:
            break
        if attempt == len(BACKOFF):
            final.update(retry)
            break
        logger.warning(
            "broadcast batch: %d message(s) not taken (%s); retry %d in %.0f s",
            len(retry),
            next(iter(retry.values())).error,
            attempt + 1,
            BACKOFF[attempt],
        )
        time.sleep(BACKOFF[attempt])
        pending = {k: pending[k] for k in retry}
    return final


def _mark_sent(rows: list[tuple[int, str]]) -> int:
    """One UPDATE for the chunk: each delivery its gateway id (a CASE), only rows still queued.
    Plain SQL because building 500 ORM When() objects costs more than sending the chunk."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    whens = " ".join(["WHEN %s THEN %s"] * len(rows))
    marks = ", ".join(["%s"] * len(rows))
    sql = (
        f"UPDATE {table} SET state = %s, gateway_id = CASE id {whens} END, "  # noqa: S608
        f"attempts = attempts + 1, error = '', updated_at = %s "
        f"WHERE id IN ({marks}) AND state = %s"
    )
    params: list = [D.SENT]
    for pk, gateway_id in rows:
        params += [pk, gateway_id]
    params += [timezone.now(), *(pk for pk, _ in rows), D.QUEUED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _record(
    broadcast_id: int, channel: str, pks: dict[str, int], results: dict[str, Result]
) -> tuple[int, int]:
    """Write one chunk's outcome and the counters in one transaction: (sent, failed)."""
    ok = [(pks[k], r.gateway_id[:100]) for k, r in results.items() if r.ok]
    failed: dict[str, list[int]] = {}
    for key, result in results.items():
        if not result.ok:
            failed.setdefault(result.error[:300] or "failed", []).append(pks[key])
    with transaction.atomic():
        sent = _mark_sent(ok) if ok else 0
        lost = 0
        for error, ids in failed.items():
            lost += Delivery.objects.filter(pk__in=ids, state=D.QUEUED).update(
                state=D.FAILED, error=error, attempts=F("attempts") + 1, updated_at=timezone.now()
            )
        if sent or lost:
            Broadcast.objects.filter(pk=broadcast_id).update(
                sent=F("sent") + sent, failed=F("failed") + lost
            )
        if sent:
            receipts.link_early(channel, [gid for _, gid in ok])
    return sent, lost


def _queued_chunk(broadcast_id: int, after: int, size: int) -> list[tuple[int, str, bytes]]:
    return list(
        Delivery.objects.filter(broadcast_id=broadcast_id, state=D.QUEUED, pk__gt=after)
        .order_by("pk")
        .values_list("pk", "key", "recipient__address_encrypted")[:size]
    )


def run(
    broadcast_id: int,
    *,
    progress: Progress | None = None,
    stop_after: int | None = None,
    sender: Sender | None = None,
) -> SendResult:
    """Send the queued deliveries of a broadcast in sending state. `stop_after`: stop once at
    least that many messages were handled (tests; the rest stays queued for the next run)."""
    result = SendResult(broadcast=broadcast_id)
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    if broadcast.state != S.SENDING:
        result.state = broadcast.state
        result.note = "not sending"
        return result.stop()
    if not broadcast.planned:  # killed while planning (or an empty audience): plan again
        plan(broadcast)
    if sender is None:
        try:
            sender = sender_for(broadcast.channel)
        except ChannelOff as error:
            pause(SYSTEM, broadcast, why=str(error))
            result.state, result.note = S.PAUSED, str(error)
            return result.stop()
    size = max(1, min(CHUNK, sender.batch_size, broadcast.rate_per_second))
    decrypt = crypto.decryptor()
    bucket = bucket_for(broadcast.channel, broadcast.rate_per_second)
    retryable_failures = 0
    failed_in_row = 0
    after = 0
    note = ""
    try:
        while True:
            state = Broadcast.objects.filter(pk=broadcast_id).values_list("state", flat=True)[0]
            if state != S.SENDING:
                note = f"stopped: {state}"
                break
            rows = _queued_chunk(broadcast_id, after, size)
            if not rows:
                break
            after = rows[-1][0]
            pks: dict[str, int] = {}
            messages: list[Message] = []
            unreadable: list[int] = []
            for pk, key, token in rows:
                try:
                    address = decrypt(token)
                except (InvalidToken, ValueError, TypeError):
                    unreadable.append(pk)
                    continue
                pks[key] = pk
                messages.append(Message(key, address, broadcast.text, broadcast.subject))
            if unreadable:
                # Encrypted with another key: nothing can be sent; said once, counted.
                n = Delivery.objects.filter(pk__in=unreadable, state=D.QUEUED).update(
                    state=D.FAILED, error="address cannot be decrypted (wrong recipient key?)"
                )
                Broadcast.objects.filter(pk=broadcast_id).update(failed=F("failed") + n)
                result.undecryptable += n
                result.failed += n
            if messages:
                bucket.take(len(messages))
                outcomes = _send_with_retries(sender, messages)
                del messages
                sent, lost = _record(broadcast_id, broadcast.channel, pks, outcomes)
                retried = sum(1 for r in outcomes.values() if not r.ok and r.retryable)
                retryable_failures += retried
                failed_in_row = failed_in_row + 1 if retried and not sent else 0
                result.sent += sent
                result.failed += lost
            result.chunks += 1
            if progress:
                progress(f"  {result.sent:,} sent, {result.failed:,} failed (to delivery {after})")
            if failed_in_row >= FAILED_CHUNKS_TO_PAUSE:
                note = "the gateway keeps failing"
                break
            if stop_after is not None and result.sent + result.failed >= stop_after:
                note = "stopped after the asked number"
                result.note = note
                result.state = S.SENDING
                return result.stop()
    finally:
        sender.close()
    result.note = note
    result.state = _finish(broadcast_id, retryable_failures, note)
    logger.info("broadcast %s: %d sent, %d failed", broadcast_id, result.sent, result.failed)
    return result.stop()


def _finish(broadcast_id: int, retryable_failures: int, note: str) -> str:
    """done when nothing is left queued; paused (resume retries) when messages failed for a
    reason worth retrying or the gateway kept failing."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    if broadcast.state != S.SENDING:
        return broadcast.state
    left = Delivery.objects.filter(broadcast_id=broadcast_id, state=D.QUEUED).exists()
    if retryable_failures or (left and note):
        why = _("Some messages could not be sent; resume to retry them.")
        return pause(SYSTEM, broadcast, why=why).state
    if left:
        return broadcast.state  # queued behind a concurrent resume: the next run sends them
    done = transition(
        broadcast,
        BROADCAST_WORKFLOW,
        S.DONE,
        scope=SYSTEM,
        changes={"finished_at": timezone.now()},
    )
    return done.state
