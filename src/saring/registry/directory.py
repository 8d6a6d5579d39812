"""Who an author is: the known-accounts registry in memory, read once per import.

`Directory.identify(platform, handle, author_name)` answers, per post:

- an exact registered (platform, handle): that account, official or campaign (one dict look-up);
- else an author whose handle or display name imitates an OFFICIAL account: an impostor, with
  the score and the official account imitated (campaign accounts are not protected: a
  supporter naming themselves after a candidate is ordinary politics, not impersonation of the
  state).

Imitation is judged on a *skeleton* of each name: lower case, accents off, look-alike digits
and letters folded (0→o, 1/l/|→i, 3→e, 4→a, 5/$→s, 7→t, "rn"→m, "vv"→w), separators (space,
dot, underscore, dash) dropped, and noise affixes ("official", "resmi", "asli", "real", "the")
cut from either end. Each name gives two keys: the skeleton, and the skeleton without a
trailing country mark ("ri", "id", "indonesia"), so "Bawaslu" alone and "kpu_id" meet
"Bawaslu RI" and "kpu_ri". Two keys are an imitation when rapidfuzz's `ratio` (normalised
indel similarity) reaches `THRESHOLD`: one inserted letter in "kpuri" ("kpu_rii") scores 90.9,
one changed letter ("kpu_ru") 80. Why 90 and what it costs in false positives: decision 0013.

It must be cheap per post: the exact look-up is O(1); an author shares no character 3-gram
with any official key in the common case, which ends the search after a few set look-ups;
the survivors are compared only with official keys of a compatible length. Answers are cached
per (platform, handle, name).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Indel

THRESHOLD = 90.0  # rapidfuzz ratio (0-100) from which an author imitates an official key
MIN_KEY = 3  # shorter keys ("ri", "tv") imitate nothing
CACHE_LIMIT = 200_000  # answers kept before the cache is cleared (a batch repeats authors)

_FOLD = str.maketrans(
    {"0": "o", "1": "i", "l": "i", "|": "i", "!": "i", "3": "e", "4": "a", "@": "a", "5": "s",
     "$": "s", "7": "t", "8": "b"}
)  # fmt: skip
_NOT_KEY = re.compile(r"[^a-z0-9]+")  # separators and everything else a key does without
# Noise affixes, folded like the names they are cut from ("official" -> "officiai").
_NOISE = tuple(
    word.translate(_FOLD) for word in ("official", "offical", "resmi", "asli", "real", "the")
)
# The country marks after folding ("indonesia" has no letter to fold).
_COUNTRY = ("indonesia", "ri", "id")


def skeleton(name: str) -> str:
    """The folded, separator-free form of a handle or display name ("" for nothing)."""
    text = name.strip().lstrip("@").lower()
    if not text.isascii():  # accents off ("Bawaslü"); emoji and other scripts dropped below
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    text = _NOT_KEY.sub("", text.replace("rn", "m").replace("vv", "w").translate(_FOLD))
    changed = True
    while changed:  # "officialkpuri", "kpu_ri_resmi", "the.real.kpu"
        changed = False
        for noise in _NOISE:
            if len(text) > len(noise) + 2 and noise in text:
                if text.startswith(noise):
                    text, changed = text[len(noise) :], True
                elif text.endswith(noise):
                    text, changed = text[: -len(noise)], True
    return text


def keys_of(name: str) -> tuple[str, ...]:
    """The keys a name is compared by: its skeleton and, if it ends with a country mark, the
    skeleton without it."""
    key = skeleton(name)
    if len(key) < MIN_KEY:
        return ()
    for mark in _COUNTRY:
        if key.endswith(mark) and len(key) - len(mark) >= MIN_KEY:
            return (key, key[: -len(mark)])
    return (key,)


def _grams(key: str) -> set[str]:
    return {key[i : i + 3] for i in range(len(key) - 2)}


@dataclass(frozen=True, slots=True)
class Account:
    """What identifying needs of a KnownAccount (no ORM object kept per account)."""

    id: int
    platform: str
    handle: str
    display_name: str
    kind: str  # "official" | "campaign"
    body: str = ""
    election_id: str | None = None
    province_code: str | None = None
    regency_code: str | None = None

    @property
    def label(self) -> str:
        name = f" ({self.display_name})" if self.display_name else ""
        return f"@{self.handle}{name}"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who an author is: `kind` "official", "campaign" or "impostor"; `account` the registered
    account they are or, for an impostor, the official account imitated; `score` how close the
    imitation is (100 for a registered account); `matched` the author's name that imitates."""

    kind: str
    account: Account
    score: float = 100.0
    matched: str = ""

    @property
    def account_id(self) -> int:
        return self.account.id


class Directory:
    """The active known accounts, indexed for `identify`. Build with `Directory.load()` (the
    database) or `Directory(accounts)` (tests, benchmarks)."""

    def __init__(self, accounts: list[Account] | tuple[Account, ...] = ()) -> None:
        self.accounts: dict[int, Account] = {}
        self._exact: dict[tuple[str, str], Account] = {}
        self._keys: list[str] = []  # official keys; index = key id
        self._owners: list[Account] = []  # the official account each key came from
        self._by_key: dict[str, int] = {}
        self._grams: set[str] = set()  # every 3-gram of an official key
        self._by_length: dict[int, list[int]] = defaultdict(list)  # key length -> key ids
        self._windows: dict[int, tuple[list[str], list[int]]] = {}
        self._cache: dict[tuple[str, str, str], Identity | None] = {}
        for account in accounts:
            self._add(account)
        self._gramset = frozenset(self._grams)

    @classmethod
    def load(cls) -> Directory:
        """Every active known account (one query)."""
        from saring.registry.models import KnownAccount

        rows = KnownAccount.objects.filter(is_active=True).values_list(
            "id",
            "platform",
            "handle",
            "display_name",
            "kind",
            "body",
            "election_id",
            "province_id",
            "regency_id",
        )
        return cls([Account(*row) for row in rows])

    def __len__(self) -> int:
        return len(self.accounts)

    def _add(self, account: Account) -> None:
        handle = account.handle.strip().lstrip("@").lower()
        self.accounts[account.id] = account
        self._exact[(account.platform.lower(), handle)] = account
        if account.kind != "official":
            return
        for name in (handle, account.display_name):
            for key in keys_of(name):
                if key in self._by_key:
                    continue  # the first account with this key answers for it
                self._by_key[key] = len(self._keys)
                self._keys.append(key)
                self._owners.append(account)
                self._grams.update(_grams(key))
                self._by_length[len(key)].append(self._by_key[key])

    def get(self, account_id: int | None) -> Account | None:
        return self.accounts.get(account_id) if account_id is not None else None

    def identify(self, platform: str, handle: str, author_name: str = "") -> Identity | None:
        """The registered account this author is, else the official account their handle or
        name imitates (an impostor), else None."""
        cache_key = (platform, handle, author_name)
        if cache_key in self._cache:
            return self._cache[cache_key]
        found = self._exact.get((platform.lower(), handle.strip().lstrip("@").lower()))
        identity = (
            Identity(found.kind, found)
            if found is not None
            else self._impostor(handle, author_name)
        )
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[cache_key] = identity
        return identity

    def _impostor(self, handle: str, author_name: str) -> Identity | None:
        if not self._keys:
            return None
        best: tuple[float, int, str] | None = None
        for name in (handle, author_name):
            if not name:
                continue
            for key in keys_of(name):
                hit = self._closest(key)
                if hit is not None and (best is None or hit[0] > best[0]):
                    best = (hit[0], hit[1], name)
        if best is None:
            return None
        score, key_id, name = best
        return Identity("impostor", self._owners[key_id], round(score, 1), name)

    def _closest(self, key: str) -> tuple[float, int] | None:
        """The official key most like `key` at THRESHOLD or above: (score, key id)."""
        exact = self._by_key.get(key)
        if exact is not None:
            return 100.0, exact
        # ratio = 2·common / (len a + len b) ≤ 2·min / (len a + len b): lengths too far apart
        # cannot reach the threshold, so only keys within this window are compared.
        n = len(key)
        low = n * THRESHOLD / (200 - THRESHOLD)
        high = n * (200 - THRESHOLD) / THRESHOLD
        # An indel changes at most 3 of the key's 3-grams, and a key within the threshold is at
        # most `edits` indels away: a candidate shares at least `need` of the key's 3-grams.
        edits = int((1 - THRESHOLD / 100) * (n + high))
        if edits == 0:
            return None  # too short for any difference: only the exact key (above) matches
        grams = _grams(key)
        need = max(1, len(grams) - 3 * edits)
        shared = grams & self._gramset
        if len(shared) < need:
            return None  # the common case: an ordinary name, a few set look-ups
        keys, ids = self._window(n, low, high)
        hit = process.extractOne(
            key, keys, scorer=Indel.normalized_similarity, score_cutoff=THRESHOLD / 100
        )
        if hit is None:
            return None
        _, score, index = hit
        return score * 100, ids[index]

    def _window(self, n: int, low: float, high: float) -> tuple[list[str], list[int]]:
        """The official keys (and their ids) whose length can match a key of length n; one
        list per length, built on first use, so rapidfuzz compares them in one C loop."""
        window = self._windows.get(n)
        if window is None:
            lengths = range(math.ceil(low), math.floor(high) + 1)
            ids = [i for length in lengths for i in self._by_length.get(length, ())]
            window = self._windows[n] = ([self._keys[i] for i in ids], ids)
        return window
