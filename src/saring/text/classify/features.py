"""Text clean-up and the TF-IDF feature views of the harm classifier.

Two views of every post, each with word 1-2-grams and character 2-5-grams (within word
boundaries): the *raw* view (cleaned, lower-cased text, emoji kept as characters) and the
*normalised* view (Saring's normaliser: slang to standard words, elongations collapsed, hashtags
split). The raw view keeps spelling signals ("anjiiing", "b4ngs4t" as written); the normalised view
lets "gblk", "goblok" and "goblog" share weight and is what transfers to sources whose slang
spelling differs from the training set.

Clean-up, for transfer between sources (see ``clean``):

* literal byte escapes (``\\xf0\\x9f\\x98\\x82``, how the Ibrohim files store emoji) are decoded
  back to characters, and UTF-8 read as cp1252 ("ðŸ˜­", in the Alamsyah file) is repaired, so
  the same emoji looks the same whichever file it came from;
* literal ``\\n``, the leading retweet marker ``RT`` and the stray quote the Ibrohim export
  leaves at the end of each tweet are removed;
* anonymised ``USER``/``URL`` and real @handles/links all become the same placeholders, so a model
  trained on anonymised data does not learn "real handle = different source".

The vectoriser is a thin TF-IDF over a fixed vocabulary (sublinear tf, smoothed idf, L2 rows,
as scikit-learn's) whose state is two plain arrays: that is what lets a model be saved as JSON and
``.npz`` without pickle.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from scipy import sparse

from saring.text.normalize import Normalizer, default_normalizer

__all__ = [
    "VIEWS",
    "TfidfView",
    "ViewSpec",
    "clean",
    "fit_views",
    "normalised_text",
    "raw_text",
    "transform_views",
]

_BYTE_ESCAPES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_MOJIBAKE_HINT = re.compile("[ðÃâ][\u0080-\u00ff\u0152-\u2122]")
_LITERAL_NEWLINE = re.compile(r"\\[ntr]")
_ANON_USER = re.compile(r"\bUSER\b")
_ANON_URL = re.compile(r"\bURL\b")
_RETWEET = re.compile(r"^\s*RT\b:?")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w.])@\w+")
_SPACES = re.compile(r"\s+")


def _decode_escapes(match: re.Match[str]) -> str:
    raw = bytes.fromhex(match.group(0).replace("\\x", ""))
    return " " + raw.decode("utf-8", errors="ignore") + " "


def _repair_mojibake(text: str) -> str:
    """UTF-8 bytes that were decoded as cp1252: re-encode and decode once, only when that is
    lossless (a genuine "Ã©" in Latin-1 text then stays as it is)."""
    if not _MOJIBAKE_HINT.search(text):
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def clean(text: str) -> str:
    """Source-independent form of a post, case kept (the normaliser reads "DPT" in capitals).

    Mentions become ``@user``, links ``http://url``: the normaliser maps both to its
    placeholders and the raw view sees one spelling whatever the source.
    """
    if "\\" in text:
        text = _BYTE_ESCAPES.sub(_decode_escapes, text)
        text = _LITERAL_NEWLINE.sub(" ", text)
    if not text.isascii():
        text = _repair_mojibake(text)
    text = _RETWEET.sub(" ", text)
    if "USER" in text:
        text = _ANON_USER.sub("@user", text)
    if "URL" in text:
        text = _ANON_URL.sub("http://url", text)
    if "@" in text:
        text = _MENTION.sub("@user", text)
    text = text.rstrip().rstrip("'")
    return _SPACES.sub(" ", text).strip()


def raw_text(cleaned: str) -> str:
    """The raw view: cleaned and lower-cased, with one spelling for links and mentions."""
    return _URL.sub(" url ", cleaned).lower()


def normalised_text(cleaned: str, normalizer: Normalizer | None = None) -> str:
    return (normalizer or default_normalizer()).normalize(cleaned).text


@dataclass(frozen=True, slots=True)
class ViewSpec:
    name: str  # "<text>:<analyzer>", e.g. "norm:word"
    text: str  # "raw" or "norm"
    analyzer: str  # scikit-learn analyzer: "word" or "char_wb"
    ngram: tuple[int, int]
    min_df: int


VIEWS: tuple[ViewSpec, ...] = (
    ViewSpec("raw:word", "raw", "word", (1, 2), 1),
    ViewSpec("raw:char", "raw", "char_wb", (2, 5), 2),
    ViewSpec("norm:word", "norm", "word", (1, 2), 1),
    ViewSpec("norm:char", "norm", "char_wb", (2, 5), 2),
)
_WORD = re.compile(r"<\w+>|#?\w+")  # placeholders ("<url>") and hashtags kept whole
_CACHE_LIMIT = 300_000
_MISS = repeat(-1)  # the default for dict.get over map(): index of an unknown n-gram


def _char_grams(word: str, lo: int, hi: int) -> tuple[str, ...]:
    """Character n-grams of one word padded with spaces (scikit-learn's ``char_wb``)."""
    padded = f" {word} "
    size = len(padded)
    grams = [padded[i : i + n] for n in range(lo, hi + 1) for i in range(size - n + 1)]
    return tuple(grams) if grams else (padded,)


class TfidfView:
    """TF-IDF of one view over a fixed vocabulary; the state is ``terms`` and ``idf``.

    Its own analyser instead of scikit-learn's vectorisers: character n-grams are computed once
    per distinct word and memoised (social-media vocabulary repeats heavily), which makes
    scoring several times faster than ``TfidfVectorizer(analyzer="char_wb")``.
    """

    def __init__(self, spec: ViewSpec, terms: Sequence[str], idf: np.ndarray) -> None:
        self.spec = spec
        self.terms = list(terms)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self._word_cache: dict[str, tuple[int, ...]] = {}

    # -- analysis ------------------------------------------------------------------------------

    def grams(self, text: str) -> list[str]:
        """The n-grams of a text in this view (terms, before the vocabulary)."""
        lo, hi = self.spec.ngram
        if self.spec.analyzer == "char_wb":
            return [g for w in text.split() for g in _char_grams(w, lo, hi)]
        words = _WORD.findall(text)
        grams = list(words) if lo <= 1 else []
        for n in range(max(lo, 2), hi + 1):
            grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return grams

    def _char_indices(self, word: str) -> tuple[int, ...]:
        lo, hi = self.spec.ngram
        # -1 marks n-grams outside the vocabulary; transform drops them in one numpy pass.
        ids = self._word_cache[word] = tuple(map(self.index.get, _char_grams(word, lo, hi), _MISS))
        return ids

    # -- fit and transform ---------------------------------------------------------------------

    @classmethod
    def fit(cls, spec: ViewSpec, texts: Sequence[str]) -> TfidfView:
        probe = cls(spec, [], np.zeros(0))
        grams_cache: dict[str, tuple[str, ...]] = {}
        df: dict[str, int] = {}
        lo, hi = spec.ngram
        for text in texts:
            if spec.analyzer == "char_wb":
                seen: set[str] = set()
                for word in text.split():
                    grams = grams_cache.get(word)
                    if grams is None:
                        grams = grams_cache[word] = _char_grams(word, lo, hi)
                    seen.update(grams)
            else:
                seen = set(probe.grams(text))
            for gram in seen:
                df[gram] = df.get(gram, 0) + 1
        terms = sorted(t for t, count in df.items() if count >= spec.min_df)
        counts = np.array([df[t] for t in terms], dtype=np.float64)
        idf = np.log((1 + len(texts)) / (1 + counts)) + 1.0  # smoothed, as scikit-learn
        return cls(spec, terms, idf)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr = array("q", [0])
        indices = array("i")  # a C buffer: numpy takes it without converting Python ints
        if self.spec.analyzer == "char_wb":
            cache = self._word_cache
            if len(cache) > _CACHE_LIMIT:
                cache.clear()
            lookup, compute = cache.get, self._char_indices
            for text in texts:
                for word in text.split():
                    ids = lookup(word)
                    indices.extend(compute(word) if ids is None else ids)
                indptr.append(len(indices))
        else:
            get = self.index.get
            for text in texts:
                indices.extend(map(get, self.grams(text), _MISS))
                indptr.append(len(indices))
        columns = np.frombuffer(indices, dtype=np.int32)
        starts = np.frombuffer(indptr, dtype=np.int64)
        known = columns >= 0
        rows = np.repeat(np.arange(len(texts)), np.diff(starts))[known]
        counts = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, columns[known])),
            shape=(len(texts), len(self.terms)),
        )
        counts.sum_duplicates()
        np.log(counts.data, out=counts.data)  # sublinear tf: 1 + log(count)
        counts.data += 1.0
        counts.data *= self.idf[counts.indices]
        rows = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
        norms = np.sqrt(np.bincount(rows, weights=counts.data**2, minlength=len(texts)))
        norms[norms == 0] = 1.0
        counts.data /= norms[rows].astype(np.float32)
        return counts

    def __len__(self) -> int:
        return len(self.terms)


def fit_views(
    views: Sequence[ViewSpec], raw: Sequence[str], norm: Sequence[str]
) -> list[TfidfView]:
    return [TfidfView.fit(spec, raw if spec.text == "raw" else norm) for spec in views]


def transform_views(
    views: Sequence[TfidfView], raw: Sequence[str], norm: Sequence[str]
) -> sparse.csr_matrix:
    blocks = [v.transform(raw if v.spec.text == "raw" else norm) for v in views]
    return sparse.hstack(blocks, format="csr", dtype=np.float32)
