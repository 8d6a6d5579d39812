"""Indonesian inflection of a root word: every surface form a watchlist term should match.

``inflections(root)`` returns ``{surface: rule}``, where ``rule`` says in words how the surface
derives from the root ("ke-…-an form of 'curang' with -nya"). Forms are generated once when a
matcher is built, so matching a post is a set lookup per token (no stemming at run time).

Rules (standard Indonesian morphology, plus the colloquial forms common on social media):

* suffixes -kan, -i, -an, and colloquial -in (for -kan/-i): bakarkan, curangi, tipuan, bakarin;
* prefixes di-, ke-, ter-, ber-, se-; ter-/ber-/per- lose their r before r ("terasa", "berebut")
  and ber- becomes be- before a first syllable ending in -er ("bekerja");
* me- and pe- with nasal assimilation: vowel, g, h, kh -> meng- (mengancam, menghina);
  k -> meng- dropping k (mengirim); p -> mem- dropping p (memukul); b, f, v -> mem- (membakar,
  memfitnah); t -> men- dropping t (menipu); d, c, j, z, sy -> men- (mencurangi);
  s -> meny- dropping s (menyebar); l, m, n, r, w, y, ny, ng -> me- (merusak). Consonant clusters
  keep their first letter (memprovokasi, mengklaim); one-syllable roots take menge-/penge-
  (mengebom) besides mem-/pem- (membom). The frequent non-standard spelling that keeps p, t, k, s
  (mempengaruhi, mensosialisasikan) is generated too;
* confixes ke-an, pe-an (penipuan, penyebaran), per-an, ber-an, di-kan, di-i, me-kan, me-i, ter-kan,
  memper-, memper-kan, memper-i, diper-, diper-kan, diper-i;
* colloquial nasal forms without me-: nyuap, nipu, mukul, ngancam, ngirim, nyoblos; nge- before
  other consonants, clusters and one-syllable roots (ngebakar, ngebom); with -in/-kan/-i;
* reduplication: bakar-bakar, bakar2, bakar-bakaran, dibakar-bakar, membakar-bakar;
* clitics on every form above: -nya, -lah, -kah, -pun, -ku, -mu.

Guards against false positives:

* a generated form that is itself a different root word of Indonesian is dropped (ber+ras is
  "beras", rice; ke+ras is "keras", hard; pe+ras is "peras"; me+babi is "membabi" of "membabi
  buta"). The root list is PySastrawi's dictionary when installed, and always ``COLLISIONS``;
* roots of three letters or fewer get no ke-, se-, ber-, per- or memper- forms (bom, adu, ras);
* a term written with a leading "=" ("=ganjar", "=kpu") matches only itself with clitics: for names
  and acronyms ("diganjar" means "rewarded", not the candidate).

No rule adds letters at the end except the suffixes and clitics above, so "adu" never matches
"aduh", and "suap" never matches "suapnya…" unless the token is exactly a generated form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from saring.text.vocabulary import root_words

__all__ = ["CLITICS", "COLLISIONS", "EXACT_MARK", "inflections"]

EXACT_MARK = "="
VOWELS = frozenset("aeiou")
CLITICS: tuple[str, ...] = ("nya", "lah", "kah", "pun", "ku", "mu")

# Derived-looking spellings that are other words; never generated (besides the root list).
# fmt: off
COLLISIONS = frozenset({
    "beras", "keras", "peras", "kerasan", "perasan", "berasan", "teras", "seras", "membabi",
    "makar", "terang", "berang", "kesan", "pesan", "bersih", "berani", "pemuda", "perut",
})
# fmt: on

_VOWEL = re.compile(r"[aeiou]")
_SHORT_ROOT = 3


def _syllables(root: str) -> int:
    """Vowel letters; enough to tell one-syllable roots (bom, cat, tes) from the rest."""
    return len(_VOWEL.findall(root))


def _cluster(root: str) -> bool:
    """True when the root starts with two consonants that are not one sound (pr, kl, st, tr)."""
    if len(root) < 2 or root[0] in VOWELS or root[1] in VOWELS:
        return False
    return root[:2] not in ("ny", "ng", "sy", "kh")


def _nasal(root: str, base: str) -> list[str]:
    """me-/pe- (base "me" or "pe") + root with nasal assimilation; standard form first."""
    if _syllables(root) == 1:
        return [f"{base}nge{root}", *_nasal_standard(root, base)]
    return _nasal_standard(root, base)


def _nasal_standard(root: str, base: str) -> list[str]:
    first = root[0]
    cluster = _cluster(root)
    if root.startswith(("ny", "ng")) or first in "lmnrwy":
        return [base + root]
    if first in VOWELS or first in "gh" or root.startswith("kh"):
        return [f"{base}ng{root}"]
    if first == "k":
        return [f"{base}ng{root}"] if cluster else [f"{base}ng{root[1:]}", f"{base}ng{root}"]
    if first == "p":
        return [f"{base}m{root}"] if cluster else [f"{base}m{root[1:]}", f"{base}m{root}"]
    if first in "bfv":
        return [f"{base}m{root}"]
    if first == "t":
        return [f"{base}n{root}"] if cluster else [f"{base}n{root[1:]}", f"{base}n{root}"]
    if root.startswith("sy") or first in "dcjz":
        return [f"{base}n{root}"]
    if first == "s":
        return [f"{base}n{root}"] if cluster else [f"{base}ny{root[1:]}", f"{base}n{root}"]
    return [base + root]


def _colloquial_nasal(root: str) -> str:
    """Spoken N- prefix: nyuap, nipu, mukul, ngancam, ngirim; nge- elsewhere (ngebakar)."""
    first = root[0]
    if _syllables(root) == 1 or _cluster(root):
        return f"nge{root}"
    if first in VOWELS:
        return f"ng{root}"
    if first == "k":
        return f"ng{root[1:]}"
    if first == "p":
        return f"m{root[1:]}"
    if first == "t":
        return f"n{root[1:]}"
    if first in "sc" and not root.startswith("sy"):
        return f"ny{root[1:]}"
    return f"nge{root}"


def _r_prefix(root: str, prefix: str) -> list[str]:
    """ber-/ter-/per- + root: the r merges before r; ber- -> be- before a first syllable in -er."""
    if root[0] == "r":
        return [prefix[:-1] + root]
    if prefix in ("ber", "per"):
        if root == "ajar":
            return ["belajar"] if prefix == "ber" else ["pelajar"]
        if len(root) > 3 and root[0] not in VOWELS and root[1:3] == "er" and root[3] not in VOWELS:
            return [f"{prefix[:-1]}{root}", f"{prefix}{root}"]
    return [prefix + root]


def _derivations(root: str) -> list[tuple[str, str]]:
    """(stem, label) pairs without clitics, simplest first. Label "" is the root itself."""
    out: list[tuple[str, str]] = [(root, "")]
    ends_i = root.endswith("i")
    suffixes = ["kan", "an", "in"] if ends_i else ["kan", "i", "an", "in"]
    verb_suffixes = [s for s in ("kan", "i", "in") if not (ends_i and s == "i")]
    out += [(root + s, f"-{s}") for s in suffixes]
    out.append((f"di{root}", "di-"))
    out += [(f"di{root}{s}", f"di-…-{s}") for s in verb_suffixes]
    for form in _nasal(root, "me"):
        out.append((form, "me-"))
        out += [(form + s, f"me-…-{s}") for s in verb_suffixes]
    for form in _r_prefix(root, "ter"):
        out.append((form, "ter-"))
        out += [(form + s, f"ter-…-{s}") for s in ("kan", "i") if not (ends_i and s == "i")]
    out += [
        (f"{root}-{root}", "reduplicated"),
        (f"{root}2", "reduplicated (written with 2)"),
        (f"{root}-{root}an", "reduplicated -an"),
        (f"di{root}-{root}", "reduplicated di-"),
    ]
    out += [(f"{form}-{root}", "reduplicated me-") for form in _nasal(root, "me")[:1]]
    for form in _nasal(root, "pe"):
        out += [(form, "pe-"), (f"{form}an", "pe-…-an")]
    colloquial = _colloquial_nasal(root)
    out.append((colloquial, "colloquial N-"))
    out += [(colloquial + s, f"colloquial N-…-{s}") for s in verb_suffixes]
    if len(root) <= _SHORT_ROOT:
        return out
    out += [(f"ke{root}", "ke-"), (f"ke{root}an", "ke-…-an"), (f"se{root}", "se-")]
    for form in _r_prefix(root, "ber"):
        out += [(form, "ber-"), (f"{form}an", "ber-…-an"), (f"{form}kan", "ber-…-kan")]
    for form in _r_prefix(root, "per"):
        out += [(form, "per-"), (f"{form}an", "per-…-an")]
        out += [(form + s, f"per-…-{s}") for s in verb_suffixes if s != "in"]
    for form in _r_prefix(root, "per"):
        stem = form[len("pe") :]  # "r"+root or root starting with r
        for prefix, label in (("mempe", "memper-"), ("dipe", "diper-")):
            out.append((prefix + stem, label))
            out += [
                (prefix + stem + s, f"{label}…-{s}")
                for s in ("kan", "i")
                if not (ends_i and s == "i")
            ]
    return out


def _describe(label: str, root: str, clitic: str) -> str:
    text = f"{label} form of '{root}'" if label else f"'{root}' itself"
    return f"{text} with -{clitic}" if clitic else text


@lru_cache(maxsize=4096)
def _inflections(root: str, exact_only: bool) -> tuple[tuple[str, str], ...]:
    blocked = _blocked()
    pairs: dict[str, str] = {}
    derivations = [(root, "")] if exact_only else _derivations(root)
    for stem, label in derivations:
        for clitic in ("", *CLITICS):
            surface = stem + clitic
            if surface in pairs:
                continue
            if surface != root and surface in blocked:
                continue
            pairs[surface] = _describe(label, root, clitic)
    return tuple(pairs.items())


def inflections(term_word: str) -> dict[str, str]:
    """Every surface form of a word with the rule that produced it: ``{surface: rule}``.

    A leading "=" restricts the word to itself and its clitics. Words of one or two letters and
    words with digits are matched as written.
    """
    word = term_word.strip().lower()
    exact_only = word.startswith(EXACT_MARK)
    word = word.lstrip(EXACT_MARK)
    if not word:
        return {}
    if len(word) <= 2 or not word.replace("-", "").isalpha():
        return {word: f"'{word}' itself"}
    return dict(_inflections(word, exact_only))


@lru_cache(maxsize=1)
def _blocked() -> frozenset[str]:
    return frozenset(root_words()) | COLLISIONS


def passive_forms(word: str) -> dict[str, str]:
    """For a phrase word already inflected with di-, ter- or ke- ("dicoblos"): the di-, ter- and
    ke- forms of its root ("tercoblos", "kecoblos"), so "surat suara dicoblos" also matches
    "surat suara tercoblos". Empty when the rest is not a known root."""
    for prefix in ("di", "ter", "ke"):
        rest = word[len(prefix) :]
        if word.startswith(prefix) and len(rest) >= 3 and rest in root_words():
            return {
                surface: rule
                for surface, rule in inflections(rest).items()
                if rule.startswith(("di- ", "ter- ", "ke- "))
            }
    return {}
