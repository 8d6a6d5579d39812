"""Watchlists per harm category, matched on normalised tokens with Indonesian morphology.

A watchlist is ``WatchlistSpec(id, category, terms)``. A term is a word ("curang", "suap") or a
phrase ("serangan fajar", "kpu curang"). Words match every inflected form ``morphology`` generates
("menyuap", "disuap", "suapan", "penyuapan", "nyuap"); in a phrase each word may be inflected on
its own ("serangannya fajar" is unlikely, "surat suara tercoblos" for "surat suara dicoblos" is
not). A leading "=" keeps a word exact apart from clitics ("=ganjar"). Terms are normalised with the
same slang lexicon as posts, so "gak netral" as a term means "tidak netral".

``WatchlistMatcher(specs)`` builds one dict from every surface form to the terms it belongs to;
``match(tokens)`` is then one pass over the tokens with a dict lookup each (and a short check of
the following tokens where a phrase may start). Rules that make hits explainable and sober:

* each hit says which rule produced it ("ke-…-an form of 'curang'");
* one hit per (watchlist, term, surface) in a post, in the order of first appearance;
* a phrase hit consumes its tokens: single-word terms do not also fire on them, in any watchlist
  ("serangan fajar" is money politics, not an attack; "bakar kpu" is an attack on organisers);
* when one surface belongs to several terms of a watchlist, the term it equals wins, then the
  term listed first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress

from saring.text.morphology import EXACT_MARK, inflections, passive_forms
from saring.text.normalize import Normalizer, default_normalizer

__all__ = [
    "CATEGORY_LABELS",
    "DEFAULT_WATCHLISTS",
    "WatchlistHit",
    "WatchlistMatcher",
    "WatchlistSpec",
    "default_specs",
]


@dataclass(frozen=True, slots=True)
class WatchlistSpec:
    id: int
    category: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WatchlistHit:
    watchlist_id: int
    category: str
    term: str
    surface: str  # the token(s) of the post that matched, space-separated for phrases
    rule: str  # why, in words: "me-…-i form of 'curang'"


@dataclass(frozen=True, slots=True)
class _Entry:
    watchlist_id: int
    category: str
    term: str
    rule: str
    exact: bool


@dataclass(frozen=True, slots=True, eq=False)
class _Phrase:
    watchlist_id: int
    category: str
    term: str
    words: tuple[str, ...]
    forms: tuple[dict[str, str], ...]  # per word: surface -> rule


class WatchlistMatcher:
    """Matches many watchlists at once. Build once (about 0.3 s for the seven default lists,
    some 50,000 surface forms), then reuse for every post."""

    def __init__(self, specs: Sequence[WatchlistSpec], normalizer: Normalizer | None = None):
        self.specs: tuple[WatchlistSpec, ...] = tuple(specs)
        norm = normalizer or default_normalizer()
        words: set[str] = set()
        single: dict[str, list[_Entry]] = {}
        # Phrases are indexed by their first two words: first surface -> groups (one per distinct
        # first word), group -> second surface -> phrases. A token that starts no phrase costs one
        # dict lookup; one that does costs a second lookup on the next token.
        self._phrase_starts: dict[str, tuple[int, ...]] = {}
        self._phrase_groups: list[dict[str, list[_Phrase]]] = []
        self._group_of: dict[str, int] = {}
        for spec in self.specs:
            for raw_term in spec.terms:
                term_words = _term_words(raw_term, norm)
                if not term_words:
                    continue
                term = " ".join(w.lstrip(EXACT_MARK) for w in term_words)
                words.update(w.lstrip(EXACT_MARK) for w in term_words)
                if len(term_words) == 1:
                    for surface, rule in inflections(term_words[0]).items():
                        entry = _Entry(spec.id, spec.category, term, rule, surface == term)
                        _add_single(single.setdefault(surface, []), entry)
                else:
                    self._add_phrase(spec, term, term_words)
        # Hits of single words are built here, once: matching only collects them.
        self._single: dict[str, tuple[WatchlistHit, ...]] = {
            surface: tuple(
                WatchlistHit(e.watchlist_id, e.category, e.term, surface, e.rule) for e in entries
            )
            for surface, entries in single.items()
        }
        self._phrase_hits: dict[tuple[int, tuple[str, ...]], WatchlistHit] = {}
        self.vocabulary: frozenset[str] = frozenset(words)

    def _add_phrase(self, spec: WatchlistSpec, term: str, words: list[str]) -> None:
        forms = tuple(_phrase_word_forms(w) for w in words)
        plain = tuple(w.lstrip(EXACT_MARK) for w in words)
        phrase = _Phrase(spec.id, spec.category, term, plain, forms)
        group = self._group_of.get(words[0])
        if group is None:
            group = self._group_of[words[0]] = len(self._phrase_groups)
            self._phrase_groups.append({})
            for surface in forms[0]:
                self._phrase_starts[surface] = (*self._phrase_starts.get(surface, ()), group)
        seconds = self._phrase_groups[group]
        for surface in forms[1]:
            seconds.setdefault(surface, []).append(phrase)

    @property
    def surface_count(self) -> int:
        """How many surface forms the matcher knows (single words and phrase starts)."""
        return len(self._single) + len(self._phrase_starts)

    def match(self, tokens: Sequence[str]) -> tuple[WatchlistHit, ...]:
        """Every watchlist hit in the tokens of one normalised post, in order of appearance."""
        singles = list(map(self._single.get, tokens))
        phrase_hits = self._match_phrases(tokens) if self._phrase_starts else None
        if not phrase_hits:
            hits = [hit for found in singles if found is not None for hit in found]
            if len(hits) > 1:
                hits = list({id(hit): hit for hit in hits}.values())
            return tuple(hits)
        consumed: set[int] = set()
        positioned: list[tuple[int, WatchlistHit]] = []
        for start, end, hit in phrase_hits:
            consumed.update(range(start, end))
            positioned.append((start, hit))
        for i in compress(range(len(tokens)), singles):
            if i not in consumed:
                positioned.extend((i, hit) for hit in singles[i])
        positioned.sort(key=_first)
        # a dict keeps each key where it was first inserted: first appearance order
        return tuple({id(hit): hit for _, hit in positioned}.values())

    def _match_phrases(self, tokens: Sequence[str]) -> list[tuple[int, int, WatchlistHit]]:
        """(start, end, hit) of every phrase occurrence (a hit may repeat)."""
        groups = self._phrase_groups
        found: list[tuple[int, int, WatchlistHit]] = []
        n = len(tokens)
        starts = list(map(self._phrase_starts.get, tokens))
        for i in compress(range(n - 1), starts):
            second = tokens[i + 1]
            for group in starts[i]:
                candidates = groups[group].get(second)
                if candidates is None:
                    continue
                for phrase in candidates:
                    end = i + len(phrase.words)
                    if end > n or not all(
                        tokens[k] in phrase.forms[k - i] for k in range(i + 2, end)
                    ):
                        continue
                    found.append((i, end, self._phrase_hit(phrase, tuple(tokens[i:end]))))
        return found

    def _phrase_hit(self, phrase: _Phrase, matched: tuple[str, ...]) -> WatchlistHit:
        key = (id(phrase), matched)
        hit = self._phrase_hits.get(key)
        if hit is None:
            if len(self._phrase_hits) > 100_000:
                self._phrase_hits.clear()
            hit = WatchlistHit(
                phrase.watchlist_id,
                phrase.category,
                phrase.term,
                " ".join(matched),
                _phrase_rule(phrase, matched),
            )
            self._phrase_hits[key] = hit
        return hit


def _first(pair: tuple[int, WatchlistHit]) -> int:
    return pair[0]


def _add_single(entries: list[_Entry], entry: _Entry) -> None:
    """Keep one entry per watchlist for a surface: the exact term first, else the first listed."""
    for k, existing in enumerate(entries):
        if existing.watchlist_id == entry.watchlist_id:
            if entry.exact and not existing.exact:
                entries[k] = entry
            return
    entries.append(entry)


def _term_words(raw: str, normalizer: Normalizer) -> list[str]:
    """Words of a term after the slang lexicon; "=" marks survive; "dpt" stays the voter list."""
    words: list[str] = []
    for piece in raw.strip().lower().split():
        exact = piece.startswith(EXACT_MARK)
        bare = piece.lstrip(EXACT_MARK)
        if not bare:
            continue
        normalized = normalizer.normalize_term(bare)
        if exact and len(normalized) == 1:
            words.append(EXACT_MARK + normalized[0])
        else:
            words.extend(normalized)
    return words


def _phrase_word_forms(word: str) -> dict[str, str]:
    forms = inflections(word)
    for surface, rule in passive_forms(word.lstrip(EXACT_MARK)).items():
        forms.setdefault(surface, rule)
    return forms


def _phrase_rule(phrase: _Phrase, matched: Sequence[str]) -> str:
    notes = [
        f"'{surface}' is the {forms[surface]}"
        for surface, word, forms in zip(matched, phrase.words, phrase.forms, strict=True)
        if surface != word
    ]
    text = f"phrase '{phrase.term}'"
    return f"{text} ({'; '.join(notes)})" if notes else text


# -- the starter lists -------------------------------------------------------------------------

# fmt: off
DEFAULT_WATCHLISTS: dict[str, tuple[str, ...]] = {
    # Suku, agama, ras, antargolongan: provocation along ethnic, religious and group lines.
    "sara": (
        "sara", "isu sara", "kampanye sara", "politik identitas", "kafir", "pemimpin kafir",
        "jangan pilih kafir", "seiman", "pilih yang seiman", "murtad", "penista agama",
        "penistaan agama", "nista agama", "aseng", "antek aseng", "antek asing", "pribumi",
        "antek pki", "pki", "komunis", "kristenisasi", "islamisasi", "aliran sesat", "perang agama",
        "halal darahnya", "rasis", "rasisme", "ganyang", "thogut", "usir pendatang",
    ),
    # Politik uang: vote buying, "serangan fajar" (dawn attack: cash the night before voting).
    "money_politics": (
        "politik uang", "serangan fajar", "money politic", "money politics", "amplop",
        "bagi-bagi uang", "bagi uang", "bagi-bagi sembako", "bagi sembako", "paket sembako",
        "beli suara", "jual suara", "borong suara", "suap", "sogok", "uang saku",
        "uang transport", "uang bensin", "mahar politik", "wani piro", "imbalan", "diberi uang",
        "dikasih uang", "dapat uang", "per suara", "per kepala", "bagi voucher", "kupon sembako",
        "saweran",
        "uang tunai",
    ),
    # Kampanye hitam: slander and smears against candidates and parties.
    "black_campaign": (
        "kampanye hitam", "black campaign", "fitnah", "hoaks", "bohong", "pembohong", "tipu",
        "korupsi", "koruptor", "boneka", "capres boneka", "politik dinasti", "dinasti",
        "anak haram konstitusi", "penculik", "pelanggar ham", "ijazah palsu", "antek",
        "planga-plongo", "pencitraan", "settingan", "skandal", "selingkuh", "narkoba", "aib",
        "agen asing", "antek cina", "didukung pki", "keturunan pki", "dana asing",
    ),
    # Attacks on, and delegitimisation of, election organisers (KPU, Bawaslu, KPPS, PPK, PPS).
    "attack_organisers": (
        "kpu curang", "kpu tidak netral", "kpu tidak independen", "kpu dibayar", "kpu bayaran",
        "kpu pengkhianat", "kpu antek", "bubarkan kpu", "bubarkan bawaslu", "bawaslu mandul",
        "bawaslu tidak netral", "bawaslu curang", "bawaslu bayaran", "kpps curang", "pps curang",
        "ppk curang", "penyelenggara curang", "penyelenggara tidak netral", "serbu kpu",
        "kepung kpu", "geruduk kpu", "duduki kpu", "bakar kpu", "serang kpu", "intimidasi petugas",
        "ancam petugas", "aniaya petugas", "pukul petugas", "sirekap curang", "hacker kpu",
    ),
    # Wrong information on when, where and how to vote. "Cukup pakai KTP" is NOT listed: a voter
    # on the DPT may vote with the e-KTP alone, so that sentence is correct information.
    "wrong_procedure": (
        "pemilu ditunda", "pemilu diundur", "pemilu dibatalkan", "pencoblosan ditunda",
        "pencoblosan diundur", "coblos dua kali", "mencoblos dua kali", "boleh coblos dua kali",
        "coblos lebih dari satu", "tps pindah", "tps dipindah", "tps ditutup", "tps fiktif",
        "surat suara sudah dicoblos", "surat suara dicoblos", "surat suara tercoblos",
        "surat suara ganda", "kotak suara dibuka", "pemilih meninggal", "dpt ganda", "dpt fiktif",
        "pemilih siluman", "pemilih fiktif", "server kpu", "server luar negeri", "c1 palsu",
        "ktp palsu", "wna memilih", "coblos online", "pemilu online", "hasil sudah diatur",
    ),
    # Violence and calls to it.
    "violence": (
        "bakar", "bunuh", "bom", "tembak", "serbu", "pukul", "hajar", "keroyok", "bacok", "tusuk",
        "rusuh", "ricuh", "bentrok", "perang", "people power", "makar", "culik", "aniaya",
        "lempar batu", "jarah", "sweeping", "kepung", "ancam", "teror", "senjata", "sajam",
        "habisi", "penggal", "tumpas", "tumpah darah",
    ),
    # Ujaran kebencian: dehumanising labels and insults against groups and people.
    "hate_speech": (
        "ujaran kebencian", "cebong", "kampret", "kadrun", "anjing", "babi", "monyet", "bangsat",
        "bajingan", "keparat", "laknat", "biadab", "tolol", "goblok", "dungu", "idiot", "bego",
        "sampah masyarakat", "pengkhianat", "penjilat", "musnahkan", "basmi", "hina", "otak udang",
        "manusia sampah", "dasar binatang", "kecebong", "cebong kampret", "sumbu pendek",
    ),
}
# fmt: on

CATEGORY_LABELS: dict[str, str] = {
    "sara": "SARA (suku, agama, ras, antargolongan)",
    "money_politics": "Politik uang",
    "black_campaign": "Kampanye hitam",
    "attack_organisers": "Serangan terhadap penyelenggara",
    "wrong_procedure": "Informasi prosedur pemilu yang salah",
    "violence": "Kekerasan",
    "hate_speech": "Ujaran kebencian",
}


def default_specs(start_id: int = 1) -> tuple[WatchlistSpec, ...]:
    """``DEFAULT_WATCHLISTS`` as specs with ids from ``start_id``, in category order."""
    return tuple(
        WatchlistSpec(start_id + k, category, terms)
        for k, (category, terms) in enumerate(DEFAULT_WATCHLISTS.items())
    )


def term_vocabulary(specs: Iterable[WatchlistSpec]) -> frozenset[str]:
    """Words of all terms, lower-case, for hashtag splitting."""
    return frozenset(
        w.lstrip(EXACT_MARK) for spec in specs for term in spec.terms for w in term.lower().split()
    )
