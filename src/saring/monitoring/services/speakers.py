"""Who speaks in a post: an official account, a registered campaign account, an impostor of an
official account, or anyone else (saring.registry.directory decides who an author is).

Set at import (`SpeakerReader.read`, one per batch writer, in `services.ingest`), on Post
objects (`assign_speakers`), and again on stored posts when the registry changes (`respeak`,
queued by the `REGISTRY_CHANGED` hook; `saring posts speakers`).

- `speaker` "official"/"campaign" and `known_account` the account, for a registered author;
- `account_flag` "quiet_period" for a campaign account posting on a day of its election's
  quiet period (the day in the local time of the election's region, else of the KPU office the
  account is registered with, else WIB), "impostor" for an author imitating an official
  account (`known_account` is then the official account imitated, `speaker` stays "").

An official account's watchlist hits stay stored as evidence but are read as counter-messages,
not harms (`monitoring.querysets.counter_message_q`, decision 0013).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q

from saring.elections.timezones import local_date
from saring.kernel.jobs import JobResult, Progress, for_each_chunk
from saring.monitoring.models import Post
from saring.registry.directory import Account, Directory

logger = logging.getLogger("saring.speakers")

RESPEAK_CHUNK = 5000
# More changed accounts than this and a re-read narrowed to their posts costs more than
# reading every post.
NARROW_LIMIT = 200


class Speech(NamedTuple):
    """The three Post fields, in POST_COLUMNS order (a tuple: it is spread into a row)."""

    speaker: str = ""
    known_account_id: int | None = None
    account_flag: str = ""


NOBODY = Speech()


class SpeakerReader:
    """The registry and the quiet periods, read once; `read` answers per post."""

    def __init__(
        self,
        directory: Directory,
        quiet: dict[str, list[tuple[date, date]]] | None = None,
        zones: dict[str, str | None] | None = None,
    ) -> None:
        self.directory = directory
        self.quiet = quiet or {}  # election id -> quiet stages (first, last day), own or round's
        self.zones = zones or {}  # election id -> region code whose time zone its days are in

    @classmethod
    def load(cls) -> SpeakerReader:
        directory = Directory.load()
        if not len(directory):
            return cls(directory)  # an empty registry costs nothing per post
        from saring.elections.models import Election, Stage

        elections = list(
            Election.objects.values_list("id", "parent_id", "regency_id", "province_id")
        )
        own: dict[str, list[tuple[date, date]]] = {}
        for election_id, first, last in Stage.objects.filter(kind="quiet").values_list(
            "election_id", "starts_on", "ends_on"
        ):
            own.setdefault(election_id, []).append((first, last))
        quiet: dict[str, list[tuple[date, date]]] = {}
        zones: dict[str, str | None] = {}
        for election_id, parent_id, regency, province in elections:
            # A region's Pilkada may leave its calendar to the simultaneous round.
            stages = own.get(election_id) or own.get(parent_id or "")
            if stages:
                quiet[election_id] = stages
            zones[election_id] = regency or province
        return cls(directory, quiet, zones)

    def read(self, platform: str, handle: str, author_name: str, created_at: datetime) -> Speech:
        if not len(self.directory):
            return NOBODY
        identity = self.directory.identify(platform, handle, author_name)
        if identity is None:
            return NOBODY
        account = identity.account
        if identity.kind == "impostor":
            return Speech("", account.id, Post.AccountFlag.IMPOSTOR)
        flag = ""
        if identity.kind == "campaign" and self.in_quiet_period(account, created_at):
            flag = Post.AccountFlag.QUIET_PERIOD
        return Speech(identity.kind, account.id, flag)

    def in_quiet_period(self, account: Account, when: datetime) -> bool:
        stages = self.quiet.get(account.election_id or "")
        if not stages:
            return False
        region = self.zones.get(account.election_id or "") or (
            account.regency_code or account.province_code
        )
        day = local_date(when, region)
        return any(first <= day <= last for first, last in stages)


def assign_speakers(posts: Iterable[Post], reader: SpeakerReader | None = None) -> None:
    """Set speaker, known_account and account_flag on (unsaved or stored) Post objects."""
    reader = reader or SpeakerReader.load()
    for post in posts:
        speech = reader.read(post.platform, post.author_handle, post.author_name, post.created_at)
        post.speaker, post.known_account_id, post.account_flag = speech


# -- re-reading stored posts -----------------------------------------------------------------


@dataclass
class RespeakResult(JobResult):
    posts: int = 0  # posts read
    changed: int = 0  # posts whose speaker, account or flag changed
    official: int = 0  # after the run, over the posts read
    campaign: int = 0
    quiet_period: int = 0
    impostor: int = 0
    accounts: int = 0  # active known accounts
    pairs: list[list[str]] | None = field(default=None)  # what changed (None: everything)

    def __str__(self) -> str:
        return (
            f"posts speakers: {self.posts:,} posts read, {self.changed:,} changed "
            f"({self.official:,} official, {self.campaign:,} campaign, {self.quiet_period:,} "
            f"quiet-period, {self.impostor:,} impostor) against {self.accounts:,} known "
            f"accounts in {self.seconds:.1f} s"
        )


def _affected(pairs: list[tuple[str, str]]):
    """The stored posts a change of these accounts can touch, or every post when an official
    account is among them (imitations of it may be anywhere)."""
    from saring.registry.models import KnownAccount

    posts = Post.objects.all()
    if len(pairs) > NARROW_LIMIT:
        return posts
    wanted = {(p.lower(), h.strip().lstrip("@").lower()) for p, h in pairs}
    accounts: list[tuple[int, str]] = []  # active or not: a deactivated one is a change too
    for platform, handle in wanted:
        accounts += KnownAccount.objects.filter(platform=platform, handle=handle).values_list(
            "id", "kind"
        )
    if any(kind == KnownAccount.Kind.OFFICIAL for _, kind in accounts):
        return posts
    # The authors themselves, the posts tied to these accounts, and those whose account was
    # deleted (the link is gone, the speaker or flag is not).
    q = Q(known_account_id__in=[account_id for account_id, _ in accounts]) | (
        Q(known_account__isnull=True) & (~Q(speaker="") | ~Q(account_flag=""))
    )
    for platform, handle in wanted:
        q |= Q(platform__iexact=platform) & (
            Q(author_handle__iexact=handle) | Q(author_handle__iexact=f"@{handle}")
        )
    return posts.filter(q)


def respeak(
    pairs: Iterable[Iterable[str]] | None = None,
    *,
    progress: Progress | None = None,
    chunk: int = RESPEAK_CHUNK,
) -> RespeakResult:
    """Recompute who speaks in stored posts: those of the changed (platform, handle) pairs, or
    every post (`pairs` None). Only rows that change are written."""
    changed_pairs = [tuple(p) for p in pairs] if pairs is not None else None
    result = RespeakResult(pairs=[list(p) for p in changed_pairs] if changed_pairs else None)
    reader = SpeakerReader.load()
    result.accounts = len(reader.directory)
    posts = Post.objects.all() if changed_pairs is None else _affected(changed_pairs)
    columns = ("speaker", "known_account", "account_flag")

    def work(ids: list[int]) -> str:
        rows = Post.objects.filter(id__in=ids).only(
            "id", "platform", "author_handle", "author_name", "created_at", *columns
        )
        stale: list[Post] = []
        for post in rows:
            speech = reader.read(
                post.platform, post.author_handle, post.author_name, post.created_at
            )
            if speech != Speech(post.speaker, post.known_account_id, post.account_flag):
                post.speaker, post.known_account_id, post.account_flag = speech
                stale.append(post)
            result.official += speech.speaker == Post.Speaker.OFFICIAL
            result.campaign += speech.speaker == Post.Speaker.CAMPAIGN
            result.quiet_period += speech.account_flag == Post.AccountFlag.QUIET_PERIOD
            result.impostor += speech.account_flag == Post.AccountFlag.IMPOSTOR
        if stale:
            with transaction.atomic():
                Post.objects.bulk_update(stale, list(columns), batch_size=1000)
        result.changed += len(stale)
        return f", {len(stale):,} changed"

    result.posts = for_each_chunk(posts, chunk, work, progress)
    logger.info("respeak: %s", {k: v for k, v in result.as_dict().items() if k != "pairs"})
    return result.stop()


def queue_respeak(pairs: list[tuple[str, str]] | None) -> None:
    """The REGISTRY_CHANGED hook: re-read the speakers in the background once the change
    commits (the registry's write has already returned)."""
    from saring.monitoring.tasks import respeak_task

    payload = [list(p) for p in pairs] if pairs is not None else None
    transaction.on_commit(lambda: respeak_task.enqueue(payload))
