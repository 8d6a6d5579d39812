"""Character n-gram TF-IDF cosine: the signal that survives misspellings and unresolved slang.

BM25 needs whole tokens to agree; "kecurangn", "pemlu" or a slang form missing from the lexicon
share no token with the headline but share most of their 3-5 character grams. scikit-learn's
``char_wb`` analyser builds grams inside word boundaries, over the Saring-normalised text. Rows are
L2-normalised, so one sparse product gives the cosine against every clarification. The vocabulary
is refitted lazily after ``add``/``remove`` (cheap at the scale of a clarification archive).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from saring.text.normalize import normalize

__all__ = ["CharGramIndex", "prepare"]

MAX_QUERY_CHARS = 2000  # posts can be pages long; the claim is nearly always near the start


def prepare(text: str) -> str:
    """The normalised text the n-grams are taken from."""
    return normalize(text[:MAX_QUERY_CHARS]).text


class CharGramIndex:
    """Cosine of character 3-5-gram TF-IDF vectors between a query and every document."""

    def __init__(self, texts: Sequence[str] = ()) -> None:
        self._texts: list[str] = [prepare(t) for t in texts]
        self._vectorizer: TfidfVectorizer | None = None
        self._matrix = None

    def __len__(self) -> int:
        return len(self._texts)

    def add(self, texts: Sequence[str]) -> None:
        self._texts.extend(prepare(t) for t in texts)
        self._vectorizer = None

    def remove(self, index: int) -> None:
        del self._texts[index]
        self._vectorizer = None

    def _fit(self) -> TfidfVectorizer:
        if self._vectorizer is None:
            vectorizer = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32
            )
            self._matrix = vectorizer.fit_transform(self._texts).T.tocsr()
            self._vectorizer = vectorizer
        return self._vectorizer

    def scores(self, prepared_query: str) -> np.ndarray:
        """Cosine similarity of the (already prepared) query with every document."""
        if not self._texts or not any(self._texts):
            return np.zeros(len(self._texts), dtype=np.float32)
        vector = self._fit().transform([prepared_query])
        if vector.nnz == 0:
            return np.zeros(len(self._texts), dtype=np.float32)
        return np.asarray((vector @ self._matrix).toarray()[0], dtype=np.float32)
