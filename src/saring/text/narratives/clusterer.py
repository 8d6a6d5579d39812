"""Incremental near-duplicate clustering of posts into narratives with stable ids.

See ``docs/narratives.md``. Pure Python (numpy, datasketch); no Django import.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from datasketch import MinHash

from saring.text.narratives.shingles import content_tokens, lsh_params, shingles

How = Literal["copy", "paraphrase", "new", "too_short", "known"]
STATE_VERSION = 1
_SEED = 1


@runtime_checkable
class Embedder(Protocol):
    """Anything with ``encode(texts) -> (n, dim)`` float32, rows L2-normalised.

    The claim-matching ``Embedder`` (``encode_passages``) can be adapted with a one-line wrapper.
    """

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True, slots=True)
class Assignment:
    post_id: Hashable
    narrative_id: int | None  # None for "too_short"
    how: How  # "known": the post id was added before; its current narrative is returned
    similarity: float  # estimated Jaccard (copy), cosine (paraphrase), 1.0 new/known, 0.0 short


@dataclass(frozen=True, slots=True)
class Merge:
    survivor: int
    absorbed: int
    at_post: Hashable  # the post that linked both narratives
    similarity: float  # its estimated Jaccard with the absorbed narrative's closest member


@dataclass(frozen=True, slots=True)
class Split:
    source: int
    new: int
    post_ids: tuple[Hashable, ...]


class NarrativeClusterer:
    """Assign posts, one at a time or in batches, to narratives with stable integer ids.

    * copy: MinHash (``num_perm`` permutations, word bigrams) + banded LSH finds earlier posts
      whose estimated Jaccard is >= ``threshold_copy``; the post joins their narrative. If they
      belong to several narratives these are merged: the oldest (smallest id) survives.
    * paraphrase: only when no copy is found and an embedding is available (given, or computed
      by ``embedder``): the nearest narrative centroid by cosine, if >= ``threshold_paraphrase``.
    * new: otherwise a new narrative id (1, 2, 3, ...).
    * too_short: fewer than ``min_tokens`` content tokens; not clustered, not remembered.

    ``embedding_mean`` is subtracted from every embedding before it is normalised. With e5
    embeddings pass the mean of a sample of post embeddings and a threshold near 0.7: raw e5
    cosines of unrelated posts are 0.82-0.91, so 0.85 on raw vectors puts everything in one
    narrative (docs/narratives.md, "Calibration").
    """

    def __init__(
        self,
        threshold_copy: float = 0.6,
        threshold_paraphrase: float = 0.85,
        num_perm: int = 64,
        min_tokens: int = 5,
        embedder: Embedder | None = None,
        embedding_mean: np.ndarray | None = None,
    ) -> None:
        if not 0.0 < threshold_copy <= 1.0:
            raise ValueError("threshold_copy must be in (0, 1]")
        self.threshold_copy = threshold_copy
        self.threshold_paraphrase = threshold_paraphrase
        self.num_perm = num_perm
        self.min_tokens = min_tokens
        self.embedder = embedder
        # Subtracted from every embedding before normalising (see docs: "Calibration").
        self.embedding_mean = (
            None if embedding_mean is None else np.asarray(embedding_mean, dtype=np.float32)
        )
        self.bands, self.rows = lsh_params(threshold_copy, num_perm)
        self._perms = MinHash(num_perm=num_perm, seed=_SEED).permutations
        # posts (rows)
        self._post_ids: list[Hashable] = []
        self._row_of: dict[Hashable, int] = {}
        self._sigs = np.zeros((1024, num_perm), dtype=np.uint32)
        self._nar = np.zeros(1024, dtype=np.int64)  # narrative id at assignment / split
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(self.bands)]
        # narratives
        self._next_id = 1
        self._parent: dict[int, int] = {}  # absorbed -> survivor
        self._sizes: dict[int, int] = {}  # live narratives only
        self._blocked: set[frozenset[int]] = set()  # pairs separated by a split
        self.merges: list[Merge] = []
        self.splits: list[Split] = []
        self._dim = 0
        self._sums = np.zeros((0, 0), dtype=np.float32)  # row = narrative id - 1
        self._cent = np.zeros((0, 0), dtype=np.float32)

    # ---------------------------------------------------------------- ids
    def __len__(self) -> int:
        return len(self._post_ids)

    def resolve(self, narrative_id: int) -> int:
        """The live id a narrative id stands for now (itself unless it was merged away)."""
        root = narrative_id
        while root in self._parent:
            root = self._parent[root]
        while narrative_id != root:  # path compression
            nxt = self._parent[narrative_id]
            self._parent[narrative_id] = root
            narrative_id = nxt
        return root

    def narrative_of(self, post_id: Hashable) -> int | None:
        row = self._row_of.get(post_id)
        return None if row is None else self.resolve(int(self._nar[row]))

    def sizes(self) -> dict[int, int]:
        """Live narrative id -> number of posts."""
        return dict(self._sizes)

    def members(self, narrative_id: int) -> list[Hashable]:
        """Post ids of a narrative (O(posts): for reviewers and tests, not the hot path)."""
        nid = self.resolve(narrative_id)
        return [p for i, p in enumerate(self._post_ids) if self.resolve(int(self._nar[i])) == nid]

    # ---------------------------------------------------------------- adding
    def signature(self, tokens: Sequence[str]) -> np.ndarray:
        m = MinHash(num_perm=self.num_perm, seed=_SEED, permutations=self._perms, scheme="affine32")
        m.update_batch([s.encode("utf-8") for s in shingles(tokens)])
        return m.hashvalues.astype(np.uint32)

    def add(
        self,
        post_id: Hashable,
        normalized_tokens: Sequence[str],
        embedding: np.ndarray | None = None,
    ) -> Assignment:
        """Assign one post. The ``embedder`` (if any) is called only when no copy is found, so
        copies never pay for an embedding; an ``embedding`` given here is always used."""
        return self._add(post_id, normalized_tokens, embedding)

    def add_many(
        self,
        posts: Iterable[tuple[Hashable, Sequence[str]] | tuple[Hashable, Sequence[str], Any]],
        batch_size: int = 256,
    ) -> list[Assignment]:
        """``add`` for (post_id, tokens[, embedding]) items, in order. With an embedder, the
        posts of a batch that have no copy in the index as it was before the batch are embedded
        in one ``encode`` call (a post that turns out to copy an earlier post of the same batch
        is embedded needlessly, but never wrongly)."""
        out: list[Assignment] = []
        batch: list[tuple[Hashable, Sequence[str], Any]] = []
        for item in posts:
            batch.append((item[0], item[1], item[2] if len(item) > 2 else None))
            if len(batch) >= batch_size:
                out.extend(self._add_batch(batch))
                batch = []
        if batch:
            out.extend(self._add_batch(batch))
        return out

    def _add_batch(self, batch: list[tuple[Hashable, Sequence[str], Any]]) -> list[Assignment]:
        embs: list[Any] = [e for _, _, e in batch]
        sigs: list[np.ndarray | None] = [None] * len(batch)
        if self.embedder is not None:
            todo = []
            for i, (pid, toks, e) in enumerate(batch):
                if pid in self._row_of or len(content_tokens(toks)) < self.min_tokens:
                    continue
                sigs[i] = self.signature(toks)
                if e is None and not self._copies(sigs[i], self._band_keys(sigs[i])):
                    todo.append(i)
            if todo:
                vecs = self.embedder.encode([_embed_text(batch[i][1]) for i in todo])
                for i, v in zip(todo, vecs, strict=True):
                    embs[i] = v
        return [
            self._add(pid, toks, e, sig)
            for (pid, toks, _), e, sig in zip(batch, embs, sigs, strict=True)
        ]

    def _copies(self, sig: np.ndarray, keys: list[bytes]) -> dict[int, float]:
        """Live narrative -> best estimated Jaccard of its members >= ``threshold_copy``."""
        cands: set[int] = set()
        for band, key in zip(self._buckets, keys, strict=True):
            rows = band.get(key)
            if rows:
                cands.update(rows)
        best: dict[int, float] = {}
        if cands:
            idx = np.fromiter(cands, dtype=np.int64, count=len(cands))
            sims = (self._sigs[idx] == sig).mean(axis=1)
            keep = sims >= self.threshold_copy
            for r, s in zip(idx[keep], sims[keep], strict=True):
                nid = self.resolve(int(self._nar[r]))
                if s > best.get(nid, -1.0):
                    best[nid] = float(s)
        return best

    def _add(
        self,
        post_id: Hashable,
        tokens: Sequence[str],
        embedding: Any,
        sig: np.ndarray | None = None,
    ) -> Assignment:
        if post_id in self._row_of:
            return Assignment(post_id, self.narrative_of(post_id), "known", 1.0)
        if len(content_tokens(tokens)) < self.min_tokens:
            return Assignment(post_id, None, "too_short", 0.0)
        if sig is None:
            sig = self.signature(tokens)
        keys = self._band_keys(sig)
        best = self._copies(sig, keys)
        if not best and embedding is None and self.embedder is not None:
            embedding = self.embedder.encode([_embed_text(tokens)])[0]
        emb = None if embedding is None else self._prepare(embedding)
        if best:
            # Most similar first; a narrative a reviewer split off is never re-merged with
            # its source, so the post goes with the closer side and the rest merge into the
            # oldest of the group.
            group: list[int] = []
            for nid in sorted(best, key=lambda k: (-best[k], k)):
                if not any(self._is_blocked(nid, g) for g in group):
                    group.append(nid)
            target = min(group)
            for other in sorted(group):
                if other != target:
                    self._merge(target, other, post_id, best[other])
            how: How = "copy"
            sim = max(best.values())
        else:
            target, sim = self._nearest(emb)
            how = "paraphrase"
            if target is None:
                target = self._new_narrative()
                how, sim = "new", 1.0
        row = self._append_row(post_id, sig, target)
        for band, key in zip(self._buckets, keys, strict=True):
            band.setdefault(key, []).append(row)
        self._sizes[target] += 1
        if emb is not None:
            self._add_embedding(target, emb)
        return Assignment(post_id, target, how, round(sim, 4))

    def _band_keys(self, sig: np.ndarray) -> list[bytes]:
        r = self.rows
        return [sig[i * r : (i + 1) * r].tobytes() for i in range(self.bands)]

    def _append_row(self, post_id: Hashable, sig: np.ndarray, nid: int) -> int:
        row = len(self._post_ids)
        if row >= len(self._nar):
            cap = 2 * len(self._nar)
            self._sigs = _grow(self._sigs, cap)
            self._nar = _grow(self._nar, cap)
        self._sigs[row] = sig
        self._nar[row] = nid
        self._post_ids.append(post_id)
        self._row_of[post_id] = row
        return row

    def _new_narrative(self) -> int:
        nid = self._next_id
        self._next_id += 1
        self._sizes[nid] = 0
        return nid

    def _is_blocked(self, a: int, b: int) -> bool:
        return any(
            {self.resolve(x) for x in pair} == {a, b} for pair in self._blocked if len(pair) == 2
        )

    def _merge(self, survivor: int, absorbed: int, post_id: Hashable, sim: float) -> None:
        self._parent[absorbed] = survivor
        self._sizes[survivor] += self._sizes.pop(absorbed)
        if self._dim and absorbed <= len(self._sums) and survivor <= len(self._sums):
            self._sums[survivor - 1] += self._sums[absorbed - 1]
            self._sums[absorbed - 1] = 0.0
            self._cent[absorbed - 1] = 0.0
            self._refresh(survivor)
        self.merges.append(Merge(survivor, absorbed, post_id, round(sim, 4)))

    # ---------------------------------------------------------------- embeddings
    def _prepare(self, embedding: Any) -> np.ndarray:
        v = np.asarray(embedding, dtype=np.float32)
        if self.embedding_mean is not None:
            v = v - self.embedding_mean
        return _unit(v)

    def _ensure_dim(self, dim: int) -> None:
        if not self._dim:
            self._dim = dim
            self._sums = np.zeros((1024, dim), dtype=np.float32)
            self._cent = np.zeros((1024, dim), dtype=np.float32)
        elif dim != self._dim:
            raise ValueError(f"embedding has {dim} dimensions, expected {self._dim}")

    def _add_embedding(self, nid: int, emb: np.ndarray) -> None:
        self._ensure_dim(emb.shape[0])
        if nid > len(self._sums):
            cap = max(2 * len(self._sums), nid)
            self._sums = _grow(self._sums, cap)
            self._cent = _grow(self._cent, cap)
        self._sums[nid - 1] += emb
        self._refresh(nid)

    def _refresh(self, nid: int) -> None:
        v = self._sums[nid - 1]
        n = float(np.linalg.norm(v))
        self._cent[nid - 1] = v / n if n > 0 else 0.0

    def _nearest(self, emb: np.ndarray | None) -> tuple[int | None, float]:
        if emb is None or not self._dim:
            return None, 0.0
        if emb.shape[0] != self._dim:
            raise ValueError(f"embedding has {emb.shape[0]} dimensions, expected {self._dim}")
        n = min(self._next_id - 1, len(self._cent))
        if n == 0:
            return None, 0.0
        scores = self._cent[:n] @ emb
        i = int(np.argmax(scores))
        s = float(scores[i])
        if s >= self.threshold_paraphrase:
            return i + 1, s
        return None, s

    def centroid(self, narrative_id: int) -> np.ndarray | None:
        nid = self.resolve(narrative_id)
        if not self._dim or nid > len(self._cent) or not self._cent[nid - 1].any():
            return None
        return self._cent[nid - 1].copy()

    # ---------------------------------------------------------------- splits
    def split(
        self,
        narrative_id: int,
        post_ids: Sequence[Hashable],
        embeddings: np.ndarray | None = None,
    ) -> int:
        """Move ``post_ids`` (members of ``narrative_id``) to a new narrative; return its id.

        The two parts are never merged again automatically. Per-post embeddings are not kept,
        so pass ``embeddings`` of the moved posts (same order) to move their share of the
        centroid; without them the new narrative matches copies only and the source keeps its
        centroid unchanged.
        """
        src = self.resolve(narrative_id)
        rows = []
        for pid in post_ids:
            row = self._row_of.get(pid)
            if row is None or self.resolve(int(self._nar[row])) != src:
                raise ValueError(f"post {pid!r} is not in narrative {src}")
            rows.append(row)
        if not rows or len(set(rows)) == self._sizes[src]:
            raise ValueError("a split must leave at least one post in the source narrative")
        new = self._new_narrative()
        for row in set(rows):
            self._nar[row] = new
        self._sizes[new] = len(set(rows))
        self._sizes[src] -= len(set(rows))
        if embeddings is not None and len(embeddings):
            vecs = np.stack([self._prepare(e) for e in embeddings])
            self._add_embedding(new, vecs.sum(axis=0))
            self._sums[src - 1] -= vecs.sum(axis=0)
            self._refresh(src)
        self._blocked.add(frozenset((src, new)))
        self.splits.append(Split(src, new, tuple(post_ids)))
        return new

    # ---------------------------------------------------------------- state
    def to_state(self) -> dict[str, Any]:
        """A dict of JSON types except four ``bytes`` values (numpy buffers, little-endian):
        ``signatures`` (uint32, posts x num_perm), ``narratives`` (int64, per post),
        ``centroid_sums`` (float32, narratives x dim), ``embedding_mean`` (float32, or empty).
        Post ids must be JSON-safe (int/str). Store the bytes as a binary column or base64 them
        for JSON."""
        n = len(self._post_ids)
        k = self._next_id - 1 if self._dim else 0
        return {
            "version": STATE_VERSION,
            "params": {
                "threshold_copy": self.threshold_copy,
                "threshold_paraphrase": self.threshold_paraphrase,
                "num_perm": self.num_perm,
                "min_tokens": self.min_tokens,
            },
            "post_ids": list(self._post_ids),
            "signatures": self._sigs[:n].astype("<u4").tobytes(),
            "narratives": self._nar[:n].astype("<i8").tobytes(),
            "next_id": self._next_id,
            "parent": sorted(self._parent.items()),
            "sizes": sorted(self._sizes.items()),
            "blocked": sorted(sorted(p) for p in self._blocked),
            "merges": [[m.survivor, m.absorbed, m.at_post, m.similarity] for m in self.merges],
            "splits": [[s.source, s.new, list(s.post_ids)] for s in self.splits],
            "dim": self._dim,
            "embedding_mean": b""
            if self.embedding_mean is None
            else self.embedding_mean.astype("<f4").tobytes(),
            "centroid_sums": self._sums[:k].astype("<f4").tobytes() if k else b"",
        }

    @classmethod
    def from_state(
        cls,
        state: dict[str, Any],
        embedder: Embedder | None = None,
        *,
        threshold_paraphrase: float | None = None,
        embedding_mean: np.ndarray | None = None,
    ) -> NarrativeClusterer:
        """Rebuild a clusterer from ``to_state()``. ``threshold_paraphrase`` may be changed at
        any time; ``embedding_mean`` only while the state holds no embeddings yet (the centroid
        sums were made with the old one)."""
        if state.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported narrative state version {state.get('version')!r}")
        raw = state.get("embedding_mean") or None
        mean = None if raw is None else np.frombuffer(raw, dtype="<f4")
        if embedding_mean is not None:
            if state["dim"]:
                raise ValueError("embedding_mean cannot change once centroids exist")
            mean = embedding_mean
        params = dict(state["params"])
        if threshold_paraphrase is not None:
            params["threshold_paraphrase"] = threshold_paraphrase
        self = cls(**params, embedder=embedder, embedding_mean=mean)
        ids = state["post_ids"]
        n = len(ids)
        sigs = np.frombuffer(state["signatures"], dtype="<u4").reshape(n, self.num_perm)
        nars = np.frombuffer(state["narratives"], dtype="<i8")
        cap = max(1024, n)
        self._sigs = _grow(sigs.astype(np.uint32), cap)
        self._nar = _grow(nars.astype(np.int64), cap)
        self._post_ids = list(ids)
        self._row_of = {p: i for i, p in enumerate(self._post_ids)}
        for row in range(n):
            for band, key in zip(self._buckets, self._band_keys(self._sigs[row]), strict=True):
                band.setdefault(key, []).append(row)
        self._next_id = state["next_id"]
        self._parent = {int(a): int(b) for a, b in state["parent"]}
        self._sizes = {int(a): int(b) for a, b in state["sizes"]}
        self._blocked = {frozenset(p) for p in state["blocked"]}
        self.merges = [Merge(a, b, p, s) for a, b, p, s in state["merges"]]
        self.splits = [Split(a, b, tuple(p)) for a, b, p in state["splits"]]
        if state["dim"]:
            dim = int(state["dim"])
            sums = np.frombuffer(state["centroid_sums"], dtype="<f4").reshape(-1, dim)
            self._ensure_dim(dim)
            self._sums = _grow(sums.astype(np.float32), max(1024, len(sums)))
            self._cent = np.zeros_like(self._sums)
            for i in range(len(sums)):
                self._refresh(i + 1)
        return self


def _embed_text(tokens: Sequence[str]) -> str:
    return " ".join(t for t in tokens if not t.startswith("<"))


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    if not math.isfinite(n) or n == 0.0:
        raise ValueError("embedding must be a finite non-zero vector")
    return v / n


def _grow(a: np.ndarray, cap: int) -> np.ndarray:
    out = np.zeros((cap, *a.shape[1:]), dtype=a.dtype)
    out[: len(a)] = a
    return out
