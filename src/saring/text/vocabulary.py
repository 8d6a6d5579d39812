"""The word lists the text package knows, loaded once and cached.

* ``slang_lexicon()``: Saring's own slang lexicon (``data/slang_id.tsv``), informal spelling to
  standard word(s).
* ``root_words()``: Indonesian root words ("kata dasar"). Taken from PySastrawi's dictionary when
  that package is installed (MIT licence, about 29,900 roots); otherwise empty, and every caller
  degrades gracefully (see ``docs/analysis.md``).
* ``known_words()``: roots, the slang lexicon on both sides and ``data/vocabulary.txt`` (election
  words that are not roots: pemilu, pilpres, kecurangan, candidate and party names). Used to decide
  how an elongated spelling collapses and to split run-together hashtags.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

_DATA = "saring.text"


def _data_lines(name: str) -> list[str]:
    text = resources.files(_DATA).joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def slang_lexicon() -> Mapping[str, tuple[str, ...]]:
    """Slang key -> tuple of standard tokens. Read-only."""
    lexicon: dict[str, tuple[str, ...]] = {}
    for line in _data_lines("slang_id.tsv"):
        key, _, value = line.partition("\t")
        key = key.strip()
        words = tuple(value.split())
        if key and words and key not in lexicon:
            lexicon[key] = words
    return MappingProxyType(lexicon)


@cache
def root_words() -> frozenset[str]:
    """Indonesian root words from PySastrawi's dictionary, or an empty set if not installed."""
    try:
        from Sastrawi.Stemmer.StemmerFactory import StemmerFactory
    except ImportError:  # optional: the package works without it, with less recall
        return frozenset()
    words = StemmerFactory().get_words_from_file()
    return frozenset(w.strip().lower() for w in words if w.strip())


@cache
def extra_vocabulary() -> frozenset[str]:
    """Election vocabulary that is not in a root dictionary (``data/vocabulary.txt``)."""
    return frozenset(line.strip().lower() for line in _data_lines("vocabulary.txt"))


@cache
def known_words() -> frozenset[str]:
    """Every word the normaliser treats as a real spelling."""
    words = set(root_words()) | set(extra_vocabulary())
    for key, value in slang_lexicon().items():
        words.add(key)
        for part in value:
            words.update(part.split("-"))
            words.add(part)
    return frozenset(words)
