"""Clarification embeddings stored in the database, behind the matcher's Embedder interface."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from saring.factcheck.models import PassageVector
from saring.text.matching.embeddings import Embedder

LOOKUP_BATCH = 500  # keys per query (SQLite's variable limit is far above; PG does not care)


class StoredPassages:
    """Wraps an embedder: passages are looked up by (model, text) first and only the missing
    ones are embedded and stored; queries (posts) pass straight through."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.dim, self.name = inner.dim, inner.name

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{self.dim}\x00{text}".encode()).hexdigest()

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not self.dim:
            return self.inner.encode_passages(texts)
        keys = [self._key(t) for t in texts]
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), LOOKUP_BATCH):
            for key, blob in PassageVector.objects.filter(
                key__in=unique[start : start + LOOKUP_BATCH]
            ).values_list("key", "vector"):
                found[key] = np.frombuffer(bytes(blob), dtype=np.float32)
        missing = {k: t for k, t in zip(keys, texts, strict=True) if k not in found}
        if missing:
            vectors = self.inner.encode_passages(list(missing.values()))
            fresh = dict(zip(missing, vectors, strict=True))
            PassageVector.objects.bulk_create(
                [
                    PassageVector(key=k, vector=np.asarray(v, dtype=np.float32).tobytes())
                    for k, v in fresh.items()
                ],
                ignore_conflicts=True,  # another worker may have stored the same text meanwhile
                batch_size=LOOKUP_BATCH,
            )
            found.update(fresh)
        return np.stack([found[k] for k in keys]).astype(np.float32, copy=False)
