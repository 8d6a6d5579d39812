"""Normalisation of Indonesian social-media text.

``normalize(text)`` returns ``Normalized(text, tokens)``. The steps, in order:

1. URLs become ``<url>``, @mentions ``<mention>``, each run of emoji ``<emoji>`` (a placeholder
   without sentiment: the emoji themselves are not interpreted).
2. Hashtags are split into words ("#TolakPemiluCurang" -> "tolak pemilu curang") and the original
   hashtag is kept as a token after them ("#tolakpemilucurang"). CamelCase, digits and underscores
   split first; a run-together lower-case tag is split by a dictionary segmentation (fewest words,
   unknown stretches penalised) and kept whole when nothing fits better.
3. Lower-casing; tokens are runs of letters and digits, hyphenated words stay one token.
4. Per token: the slang lexicon (``data/slang_id.tsv``); reduplication written with 2
   ("orang2" -> "orang-orang"); amounts ("50rb" -> "50 ribu"); digits used as letters inside a word
   when the result is a known word ("s4ra" -> "sara"); a word glued to a number ("pemilu2024");
   laughter ("wkwkwk" -> "wkwk"); elongation ("bangeeet" -> "banget": runs of three or more letters
   collapse to one, or to two when only the two-letter spelling is a known word: "maaaf" -> "maaf";
   a doubled last letter collapses only when the result is known: "bangett" -> "banget");
   hyphenated pairs that are not reduplication split ("prabowo-gibran" -> "prabowo gibran").
5. Election vocabulary (``saring.text.election_vocabulary``: DPT, TPS, KPPS, Sirekap, paslon,
   golput, C1 ...) is never rewritten by the lexicon or the rules of step 4.
6. "dpt": "dapat" in chat, the voter list (Daftar Pemilih Tetap) in election posts. It stays "dpt"
   when the post writes "DPT" in capitals, a voter-list word stands within two tokens of it, or
   the post names other election vocabulary (kpu, tps, pemilu, caleg ...). In a query
   (``normalize_query``) and a watchlist term it is always the voter list.

Numbers are kept. Per-token results are memoised (social-media vocabulary is heavily repeated), so
the cost of a post is mostly one regex pass and one dict lookup per token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, compress, pairwise

from saring.text.election_vocabulary import AMBIGUOUS, ELECTION_EVIDENCE, PROTECTED_WORDS
from saring.text.vocabulary import extra_vocabulary, known_words, root_words, slang_lexicon

__all__ = ["Normalized", "Normalizer", "normalize", "normalize_query", "split_hashtag"]

URL_PLACEHOLDER = "<url>"
MENTION_PLACEHOLDER = "<mention>"
EMOJI_PLACEHOLDER = "<emoji>"
PLACEHOLDERS = frozenset({URL_PLACEHOLDER, MENTION_PLACEHOLDER, EMOJI_PLACEHOLDER})


@dataclass(frozen=True, slots=True)
class Normalized:
    text: str  # the tokens joined by single spaces
    tokens: tuple[str, ...]
    # The lower-cased tokens before the per-token rules (slang, elongation, ...), for language
    # identification, which needs "tak" and "ora" as written.
    raw: tuple[str, ...] = ()


_URL_SCHEME = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_TLD = r"(?:com|net|org|id|ly|io|co|me|info|tv|gl|gg)"
_URL_BARE_HINT = re.compile(rf"\.{_TLD}\b", re.IGNORECASE)
_URL_BARE = re.compile(rf"\b(?:[a-z0-9-]+\.)+{_TLD}\b(?:/\S*)?", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w.])@\w+(?:\.\w+)*")
_HASHTAG = re.compile(r"(?<![\w&/])#(\w+)")
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\u3030\u303d\u3297\u3299]"
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2300-\u23ff\u2b00-\u2bff\ufe0f\u200d\u20e3]*"
)
# Words (hyphen and apostrophe inside kept), numbers with separators ("14.00", "50.000"),
# placeholders and hashtags. The ASCII variant is twice as fast and serves most posts.
_TOKEN_ASCII = re.compile(
    r"[a-z0-9]+(?:(?:['\-]|(?<=[0-9])[.,:/](?=[0-9]))[a-z0-9]+)*|<(?:url|mention|emoji)>|#\w+"
)
_TOKEN = re.compile(
    r"[^\W_]+(?:(?:['’\-]|(?<=[0-9])[.,:/](?=[0-9]))[^\W_]+)*|<(?:url|mention|emoji)>|#\w+"
)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^\W\d_]+")
_RUN3 = re.compile(r"(.)\1{2,}")
_LAUGH = re.compile(r"([a-z]{2})\1{2,}[a-z]?")
_REDUP2 = re.compile(r"([a-z]{2,})2(nya|an|kan|lah|pun|ku|mu)?")
_AMOUNT = re.compile(r"(rp)?(\d+)(rb|ribu|k|jt|juta|jtan|rban)")
_WORD_NUMBER = re.compile(r"([a-z]{3,})(\d+)")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b"})
_HAS_LEET_INSIDE = re.compile(r"[a-z][0-9]+[a-z]")
_DPT_CAPS = re.compile(r"\bDPT\b")
_UNITS = {
    "rb": "ribu",
    "ribu": "ribu",
    "k": "ribu",
    "rban": "ribuan",
    "jt": "juta",
    "juta": "juta",
    "jtan": "jutaan",
}

# Words that make "dpt" the voter list rather than "dapat" when within two tokens of it.
# fmt: off
DPT_CONTEXT = frozenset({
    "cek", "periksa", "memeriksa", "daftar", "terdaftar", "didaftar", "masuk", "data", "nama",
    "kpu", "pemilih", "dptb", "dpk", "dps", "pemutakhiran", "tercatat", "tercantum", "ganda",
    "pemilu", "pilkada", "tps", "coblos", "mencoblos", "nyoblos", "sidalih", "ktp", "e-ktp",
    "fiktif", "siluman", "meninggal", "hantu",
})
# fmt: on

_SEGMENT_MAX_WORD = 20
_SEGMENT_MAX_TAG = 40
_ROOT_COST = 1.3  # a dictionary root costs more than a common word: "amin aja" over "amina jad"


@lru_cache(maxsize=1)
def _common_words() -> frozenset[str]:
    words: set[str] = set(extra_vocabulary())
    for key, value in slang_lexicon().items():
        words.add(key)
        words.update(w for part in value for w in part.split("-"))
    return frozenset(w for w in words if len(w) >= 2 and w.isalpha())


@lru_cache(maxsize=1)
def _long_roots() -> frozenset[str]:
    return frozenset(w for w in root_words() if len(w) >= 4 and w.isalpha())


@lru_cache(maxsize=50_000)
def _segment(word: str, common: frozenset[str], roots: frozenset[str]) -> tuple[str, ...]:
    """Split a lower-case run of letters into known words, or keep it whole.

    Every piece must be a common word (cost 1) or a root of four letters or more (cost 1.3);
    the cheapest split wins, ties prefer longer words. Without a full split the word stays whole:
    a wrong split ("s haring") is worse than none.
    """
    n = len(word)
    if n <= 3 or n > _SEGMENT_MAX_TAG or word in common or word in roots:
        return (word,)
    # best[i] = (cost, -sum of squared lengths, cut positions) for word[:i]
    best: list[tuple[float, int, tuple[int, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, 0, ())
    for i in range(n):
        start = best[i]
        if start is None:
            continue
        cost0, square0, cuts0 = start
        for j in range(i + 2, min(n, i + _SEGMENT_MAX_WORD) + 1):
            piece = word[i:j]
            if piece in common:
                cost = 1.0
            elif piece in roots:
                cost = _ROOT_COST
            else:
                continue
            candidate = (cost0 + cost, square0 - len(piece) ** 2, (*cuts0, j))
            current = best[j]
            if current is None or candidate[:2] < current[:2]:
                best[j] = candidate
    final = best[n]
    if final is None:
        return (word,)
    cuts = (0, *final[2])
    return tuple(word[a:b] for a, b in pairwise(cuts))


def split_hashtag(tag: str, common: frozenset[str] | None = None) -> tuple[str, ...]:
    """Words of a hashtag (without '#'), lower-case: "TolakPemiluCurang" -> tolak, pemilu, curang.

    ``common`` replaces the common words to split into (a normaliser passes its own, with its
    extra vocabulary); dictionary roots of four letters or more are always allowed.
    """
    if common is None:
        common = _common_words()
    roots = _long_roots()
    words: list[str] = []
    for part in _CAMEL.findall(tag):
        lower = part.lower()
        if part.isalpha() and (part.islower() or part.isupper()):
            words.extend(_segment(lower, common, roots))
        else:
            words.append(lower)
    return tuple(words)


class Normalizer:
    """Normalises posts with a slang lexicon and a vocabulary of known words. Build once, reuse.

    ``extra_vocabulary`` adds words (watchlist terms, say) that hashtags may be split into and
    that elongation may collapse to.
    """

    _CACHE_LIMIT = 200_000

    def __init__(
        self,
        lexicon: Mapping[str, tuple[str, ...]] | None = None,
        extra_vocabulary: Iterable[str] = (),
    ) -> None:
        self._lexicon: Mapping[str, tuple[str, ...]] = (
            lexicon if lexicon is not None else slang_lexicon()
        )
        extra = frozenset(w.lower() for w in extra_vocabulary)
        self._known = known_words() | extra | frozenset(self._lexicon)
        self._segment_common = _common_words() | frozenset(
            w for w in extra if len(w) >= 2 and w.isalpha()
        )
        self._hashtags: dict[str, str] = {}
        self._cache: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> Normalized:
        return self.normalize(text)

    def normalize(self, text: str, *, query: bool = False) -> Normalized:
        """``query``: what a user typed to search, where an ambiguous election word ("dpt")
        is always the election word (nobody searches for the chat "dapat")."""
        if not text:
            return Normalized("", ())
        original = text
        if "http" in text or "www." in text or "HTTP" in text:
            text = _URL_SCHEME.sub(" <url> ", text)
        if _URL_BARE_HINT.search(text):
            text = _URL_BARE.sub(" <url> ", text)
        if "@" in text:
            text = _MENTION.sub(" <mention> ", text)
        if "#" in text:
            text = _HASHTAG.sub(self._hashtag_replacement, text)
        if not text.isascii():
            text = _EMOJI.sub(" <emoji> ", text)
        lowered = text.lower()
        raw = (_TOKEN_ASCII if lowered.isascii() else _TOKEN).findall(lowered)
        cache = self._cache
        if len(cache) > self._CACHE_LIMIT:
            cache.clear()
        results = list(map(cache.get, raw))
        if None in results:
            for i in compress(range(len(raw)), [r is None for r in results]):
                tok = raw[i]
                result = cache.get(tok)  # a token may repeat within the post
                if result is None:
                    result = cache[tok] = self._token(tok)
                results[i] = result
        out = list(chain.from_iterable(results))
        if "dpt" in raw and not query:
            out = self._resolve_dpt(original, raw)
        tokens = tuple(out)
        return Normalized(" ".join(tokens), tokens, tuple(raw))

    def _hashtag_replacement(self, match: re.Match[str]) -> str:
        tag = match.group(1)
        replacement = self._hashtags.get(tag)
        if replacement is None:
            words = split_hashtag(tag, common=self._segment_common)
            replacement = f" {' '.join(words)} #{tag.lower()} "
            if len(self._hashtags) > self._CACHE_LIMIT:
                self._hashtags.clear()
            self._hashtags[tag] = replacement
        return replacement

    def normalize_term(self, term: str) -> tuple[str, ...]:
        """Tokens of a watchlist term: as for a post, except that "dpt" is always the voter list
        (an officer who lists "dpt ganda" means Daftar Pemilih Tetap)."""
        tokens: list[str] = []
        for tok in _TOKEN.findall(term.lower()):
            tokens.extend(self._token(tok))
        return tuple(tokens)

    # -- per token ---------------------------------------------------------------------------

    def _token(self, tok: str) -> tuple[str, ...]:
        if tok in PROTECTED_WORDS:  # "dpt" too: _resolve_dpt decides per post
            return (tok,)
        mapped = self._lexicon.get(tok)
        if mapped is not None:
            return mapped
        first = tok[0]
        if first == "<" or first == "#":
            return (tok,)
        if not tok.isalpha():
            return self._token_with_digits_or_marks(tok)
        laugh = _LAUGH.fullmatch(tok)
        if laugh:
            return (laugh.group(1) * 2,)
        if _RUN3.search(tok):
            return self._collapse(tok)
        if len(tok) >= 3 and tok[-1] == tok[-2] and tok not in self._known:
            shorter = tok[:-1]
            if shorter in self._known:
                return self._token(shorter)
        return (tok,)

    def _collapse(self, tok: str) -> tuple[str, ...]:
        one = _RUN3.sub(r"\1", tok)
        if one not in self._known:
            two = _RUN3.sub(r"\1\1", tok)
            if two in self._known:
                return self._token(two)
        return self._token(one)

    def _single(self, word: str) -> str:
        """The lexicon's standard form of a word when it is one word, else the word."""
        mapped = self._lexicon.get(word)
        return mapped[0] if mapped is not None and len(mapped) == 1 else word

    def _token_with_digits_or_marks(self, tok: str) -> tuple[str, ...]:
        if "-" in tok or "'" in tok or "’" in tok:
            return self._hyphenated(tok)
        if tok.isdigit() or not any(c.isalpha() for c in tok):
            return (tok,)
        redup = _REDUP2.fullmatch(tok)
        if redup:
            base = self._single(redup.group(1))
            return (f"{base}-{base}{redup.group(2) or ''}",)
        amount = _AMOUNT.fullmatch(tok)
        if amount:
            currency, number, unit = amount.groups()
            return (*(("rp",) if currency else ()), number, _UNITS[unit])
        if _HAS_LEET_INSIDE.search(tok):
            plain = tok.translate(_LEET)
            if plain.isalpha() and (plain in self._known or plain in self._lexicon):
                return self._token(plain)
        glued = _WORD_NUMBER.fullmatch(tok)
        if glued and glued.group(1) in self._known:
            return (*self._token(glued.group(1)), glued.group(2))
        return (tok,)

    def _hyphenated(self, tok: str) -> tuple[str, ...]:
        tok = tok.replace("’", "'")
        if "-" not in tok:
            return (tok,)
        parts = [p for p in tok.split("-") if p]
        if len(parts) == 2:
            left, right = parts
            if left == right or right.startswith(left) or left.endswith(right):
                return (f"{self._single(left)}-{self._single(right)}",)
        out: list[str] = []
        for part in parts:
            out.extend(self._token(part))
        return tuple(out)

    # -- the voter list or "dapat" -------------------------------------------------------------

    def _resolve_dpt(self, original: str, raw: list[str]) -> list[str]:
        capitals = _DPT_CAPS.search(original) is not None
        election_post = capitals or not ELECTION_EVIDENCE.isdisjoint(raw)
        out: list[str] = []
        for i, tok in enumerate(raw):
            if tok == "dpt":
                window = raw[max(0, i - 2) : i] + raw[i + 1 : i + 3]
                voter_list = election_post or any(w in DPT_CONTEXT for w in window)
                out.append("dpt" if voter_list else AMBIGUOUS["dpt"])
            else:
                out.extend(self._cache.get(tok) or self._token(tok))
        return out


_DEFAULT: Normalizer | None = None


def default_normalizer() -> Normalizer:
    """The shared normaliser with the project's lexicon (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Normalizer()
    return _DEFAULT


def normalize(text: str) -> Normalized:
    """Normalise one post with the default lexicon. See the module docstring for the steps."""
    return default_normalizer().normalize(text)


def normalize_query(text: str) -> Normalized:
    """Normalise what a user typed to search: as a post, but election words stay themselves
    ("DPT", "dpt" -> "dpt", never "dapat")."""
    return default_normalizer().normalize(text, query=True)
