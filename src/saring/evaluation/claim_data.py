"""Claim-matching evaluation files built from the two shared fact-check data sets.

Two public sources (see ``../shared/data/README.md``; they are never copied into the repository):

* ``claims-mafindo/Data_latih.csv``: one row per circulated narrative; ``text`` is the post as it
  circulated, ``judul`` the fact-check headline (the clarification it should match).
* ``claims-turnbackhoax2019/eya.csv``: raw TurnBackHoax articles (URL, body). The post is the quoted
  narrative after the ``NARASI`` marker in the body; the clarification is the article title, which
  the scrape did not keep as a field, so it is rebuilt from the URL slug with the verdict prefix
  ("salah-", "benar-", "klarifikasi-", ...) removed. Articles without a ``NARASI`` section or
  with a numeric slug are left out (counted in the summary).

Output per data set: ``<name>-clarifications.csv`` (``id,text``: the whole search space, tune and
test clarifications together, as in production where every headline is searchable) and
``<name>-posts-tune.csv`` / ``<name>-posts-test.csv`` (``text,claim_id``).

The split is BY CLARIFICATION, never by row: several posts share one headline, and a post of the
test part must not have its headline's other posts in the tuning part. The side is a hash of the
seed and the headline's *slug key* (lower-case alphanumerics joined by ``-``), so the same headline
lands on the same side in both data sets (609 TurnBackHoax titles also appear in Mafindo).
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "DEFAULT_SEED",
    "ClaimData",
    "build_all",
    "extract_narasi",
    "load_mafindo",
    "load_turnbackhoax",
    "slug_key",
    "split_side",
    "title_from_url",
    "write_claim_data",
]

DEFAULT_SEED = 20260401
TUNE_FRACTION = 0.5
_VERDICT_PREFIXES = frozenset(
    {"salah", "benar", "klarifikasi", "false", "hoax", "hoaks", "edukasi", "disinformasi"}
)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")
# "NARASI" in capitals (with or without a colon) or "Narasi:"; a lower-case "narasi" inside a
# sentence ("menurut narasi yang beredar") is prose, not the marker.
_NARASI = re.compile(
    r"(?:\bNARASI\b\s*:?|\bNarasi\s*:)\s*(.+?)\s*"
    r"(?:={3,}|\bPENJELASAN\b|\bPenjelasan\s*:|\bREFERENSI\b|\bSUMBER\b|\bKESIMPULAN\b|$)",
    re.S,
)
_QUOTES = "\"'“”‘’ \n\t:"


def slug_key(text: str) -> str:
    """Lower-case alphanumerics joined by '-': how a headline is compared across the data sets."""
    return _NON_ALNUM.sub("-", text.lower()).strip("-")


def split_side(key: str, seed: int = DEFAULT_SEED, tune_fraction: float = TUNE_FRACTION) -> str:
    """'tune' or 'test' for a clarification key: a seeded hash, stable across runs and data sets."""
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return "tune" if int.from_bytes(digest[:8], "big") / 2**64 < tune_fraction else "test"


def title_from_url(url: str) -> str | None:
    """The article title rebuilt from a TurnBackHoax URL slug, verdict prefix removed."""
    slug = url.rstrip("/").rsplit("/", 1)[-1]
    words = [w for w in slug.split("-") if w]
    if words and words[0].lower() in _VERDICT_PREFIXES:
        words = words[1:]
    if len(words) < 3 or all(w.isdigit() for w in words):
        return None
    return " ".join(words)


def extract_narasi(body: str) -> str | None:
    """The quoted narrative of a TurnBackHoax article body, or None when there is no NARASI."""
    match = _NARASI.search(body)
    if not match:
        return None
    text = _SPACES.sub(" ", match.group(1)).strip(_QUOTES)
    return text if len(text) >= 20 else None


@dataclass
class ClaimData:
    """One data set: clarifications (id -> text) and (post, claim_id, side) rows."""

    name: str
    clarifications: dict[str, str] = field(default_factory=dict)
    posts: list[tuple[str, str, str]] = field(default_factory=list)  # (text, claim_id, side)
    skipped: int = 0

    def summary(self) -> str:
        tune = sum(1 for _, _, side in self.posts if side == "tune")
        return (
            f"{self.name}: {len(self.clarifications)} clarifications, {len(self.posts)} posts "
            f"({tune} tune / {len(self.posts) - tune} test), {self.skipped} rows skipped"
        )


def _add(data: ClaimData, prefix: str, title: str, post: str, seed: int, seen: set) -> None:
    title = _SPACES.sub(" ", title).strip()
    post = _SPACES.sub(" ", post).strip()
    key = slug_key(title)
    if not key or not post:
        data.skipped += 1
        return
    claim_id = f"{prefix}-{hashlib.sha256(key.encode()).hexdigest()[:10]}"
    data.clarifications.setdefault(claim_id, title)
    if (post, claim_id) in seen:
        data.skipped += 1
        return
    seen.add((post, claim_id))
    data.posts.append((post, claim_id, split_side(key, seed)))


def _rows(path: Path) -> Iterable[list[str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.reader(handle)


def load_mafindo(folder: Path, seed: int = DEFAULT_SEED) -> ClaimData:
    """Posts (``text``) and headlines (``judul``) of the Mafindo file, deduplicated."""
    data, seen = ClaimData("mafindo"), set()
    with (folder / "Data_latih.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            _add(data, "maf", row.get("judul") or "", row.get("text") or "", seed, seen)
    return data


def load_turnbackhoax(folder: Path, seed: int = DEFAULT_SEED) -> ClaimData:
    """Narratives (NARASI) and slug titles of the raw TurnBackHoax scrape, deduplicated.

    ``eya.csv`` alternates article rows (index, URL, body) with filler rows ("", "0", "1").
    """
    data, seen = ClaimData("turnbackhoax"), set()
    for row in _rows(folder / "eya.csv"):
        if len(row) < 3 or not row[1].startswith("http"):
            continue
        title, narasi = title_from_url(row[1]), extract_narasi(row[2])
        if title is None or narasi is None:
            data.skipped += 1
            continue
        _add(data, "tbh", title, narasi, seed, seen)
    return data


def write_claim_data(data: ClaimData, out: Path) -> list[Path]:
    """Write ``<name>-clarifications.csv`` and ``<name>-posts-{tune,test}.csv`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"{data.name}-clarifications.csv"]
    with written[0].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(sorted(data.clarifications.items()))
    for side in ("tune", "test"):
        path = out / f"{data.name}-posts-{side}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["text", "claim_id"])
            writer.writerows((t, c) for t, c, s in data.posts if s == side)
        written.append(path)
    return written


def build_all(shared: Path, out: Path, seed: int = DEFAULT_SEED) -> list[ClaimData]:
    """Build the files for every data set present under ``shared``; missing ones are skipped."""
    built = []
    for folder, loader in (
        ("claims-mafindo", load_mafindo),
        ("claims-turnbackhoax2019", load_turnbackhoax),
    ):
        if (shared / folder).is_dir():
            data = loader(shared / folder, seed)
            write_claim_data(data, out)
            built.append(data)
    return built
