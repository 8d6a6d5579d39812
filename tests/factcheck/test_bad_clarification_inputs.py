"""Nothing lost under bad input (issue 9), for clarification files: ClaimReview JSON-LD, the
Fact Check API response, CSV and TurnBackHoax-style articles. Every good item is kept, the run
ends (done, or failed with a reason), a re-run adds nothing (no clarification, no quarantine
row), and what is stored has no replacement character and no NUL. Files are generated here.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from saring.factcheck.imports import import_clarifications
from saring.factcheck.models import Claim, Clarification
from saring.monitoring.models import ImportRun, QuarantinedRecord
from saring.sources.records import SourceError
from saring.sources.registry import CLARIFICATION_FORMATS

pytestmark = pytest.mark.django_db

TEXT = "Pemilu ditunda sampai 2027 nomor {n}"
CP1252_TEXT = "Kabar \u201cpemilu ditunda\u201d \u2013 versi {n}"
LATIN1_TEXT = "Caf\u00e9 d\u00e9mocratie \u00f1 versi {n}"
DEEP = "[" * 10_000 + "]" * 10_000
JUNK = bytes(b for b in random.Random(5).randbytes(500) if b not in b'\n\r"\\')


@dataclass(frozen=True)
class Item:
    key: str  # the external id is built from it
    claim: str
    explanation: str = "Penjelasan resmi KPU."

    @property
    def url(self) -> str:
        return f"https://kpu.example/klarifikasi/{self.key}"


@dataclass(frozen=True)
class Shape:
    name: str  # the --format
    unit: Callable[[Item], str]
    wrap: Callable[[list[str]], str]
    missing: Callable[[Item], str]  # without its verdict
    renamed: Callable[[Item], str]
    renamed_kept: bool
    style: str  # "document" or "csv"
    explained: bool = True  # the shape carries the explanation (the Fact Check API does not)
    by_key: bool = False  # the external id is the item's own id column, not its URL

    def ident(self, item: Item) -> str:
        return item.key if self.by_key else item.url


def _review(item: Item, **changes) -> dict:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": item.url,
        "claimReviewed": item.claim,
        "headline": f"[SALAH] {item.claim}",
        "reviewBody": item.explanation,
        "author": {"@type": "Organization", "name": "KPU RI", "url": "https://kpu.example"},
        "reviewRating": {"@type": "Rating", "alternateName": "Salah"},
    }
    review.update(changes)
    return {k: v for k, v in review.items() if v is not None}


def _api_claim(item: Item, rating_key: str = "textualRating") -> dict:
    review = {
        "url": item.url,
        "title": f"[SALAH] {item.claim}",
        "publisher": {"name": "Mafindo", "site": "turnbackhoax.id"},
        "reviewDate": "2024-01-10T00:00:00Z",
    }
    if rating_key:
        review[rating_key] = "Salah"
    return {"text": item.claim, "claimant": "akun anonim", "claimReview": [review]}


def _j(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


CLAIMREVIEW = Shape(
    "claimreview",
    unit=lambda i: _j(_review(i)),
    wrap=lambda units: "[" + ",\n".join(units) + "]",
    missing=lambda i: _j(_review(i, reviewRating=None)),
    # a claim given only as itemReviewed.name, the headline as "name": both are read
    renamed=lambda i: _j(
        _review(i, claimReviewed=None, headline=None, name=i.claim, itemReviewed={"name": i.claim})
    ),
    renamed_kept=True,
    style="document",
)
FACTCHECK_API = Shape(
    "claimreview",
    unit=lambda i: _j(_api_claim(i)),
    wrap=lambda units: '{"claims": [' + ",\n".join(units) + '], "nextPageToken": "x"}',
    missing=lambda i: _j(_api_claim(i, rating_key="")),
    renamed=lambda i: _j(_api_claim(i, rating_key="rating")),  # not a Fact Check API name
    renamed_kept=False,
    style="document",
    explained=False,
)


def _cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


CSV = Shape(
    "csv",
    unit=lambda i: (
        f"{i.key},{_cell('[SALAH] ' + i.claim)},{_cell(i.claim)},Salah,"
        f"{_cell(i.explanation)},{i.url}"
    ),
    wrap=lambda units: (
        "id,judul,narasi,label,penjelasan,url\r\n" + "".join(u + "\r\n" for u in units)
    ),
    missing=lambda i: f"{i.key},{_cell(i.claim)},{_cell(i.claim)},,x,{i.url}",
    renamed=lambda i: (
        f"{i.key},{_cell(i.claim)},{_cell(i.claim)},Salah,{_cell(i.explanation)},{i.url}"
    ),
    renamed_kept=True,  # the renamed file uses the English aliases in its header
    style="csv",
    by_key=True,
)
RENAMED_CSV_HEADER = "external_id,title,claim,rating,reviewbody,link"
SHAPES = {"claimreview-jsonld": CLAIMREVIEW, "factcheck-api": FACTCHECK_API, "csv": CSV}


def test_every_registered_clarification_format_is_covered():
    assert {shape.name for shape in SHAPES.values()} | {"article"} == set(CLARIFICATION_FORMATS)


def good(n: int, template: str = TEXT) -> Item:
    return Item(f"ok-{n}", template.format(n=n))


@dataclass
class Case:
    data: bytes
    kept: list[Item]
    refused: list[Item]
    exact: bool = False  # the claims must read exactly as written


def _case(shape: Shape, kind: str) -> Case:
    g = [good(i) for i in range(1, 4)]
    unit = shape.unit
    enc = lambda units: shape.wrap(units).encode("utf-8")  # noqa: E731
    if kind == "truncated":
        last = Item("cut-1", TEXT.format(n=99))
        whole = shape.wrap([unit(i) for i in g] + [unit(last)])
        cut = whole.rindex(last.claim) + len(last.claim) // 2
        return Case(whole[:cut].encode("utf-8"), g, [last])
    if kind in ("cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be"):
        template = LATIN1_TEXT if kind == "latin-1" else CP1252_TEXT
        items = [good(i, template) for i in range(1, 4)]
        return Case(shape.wrap([unit(i) for i in items]).encode(kind), items, [], exact=True)
    if kind == "missing-field":
        bad = Item("bad-1", TEXT.format(n=50))
        return Case(enc([unit(g[0]), shape.missing(bad), unit(g[1]), unit(g[2])]), g, [bad])
    if kind == "renamed-field":
        other = Item("renamed-1", TEXT.format(n=51))
        data = shape.wrap([unit(g[0]), shape.renamed(other), unit(g[1]), unit(g[2])])
        if shape.style == "csv":
            data = RENAMED_CSV_HEADER + data[data.index("\r\n") :]
        kept, refused = ([*g, other], []) if shape.renamed_kept else (g, [other])
        return Case(data.encode("utf-8"), kept, refused)
    if kind == "big-texts":  # a 10 MB explanation and a 50 MB one on a single line: kept whole
        ten = Item("big-10", TEXT.format(n=10), "a" * 10_000_000)
        fifty = Item("big-50", TEXT.format(n=50), "b" * 50_000_000)
        return Case(
            enc([unit(g[0]), unit(ten), unit(g[1]), unit(fifty), unit(g[2])]), [*g, ten, fifty], []
        )
    if kind == "duplicate-ids":
        return Case(enc([unit(g[0]), unit(g[1]), unit(g[0]), unit(g[2]), unit(g[1])]), g, [])
    if kind == "empty":
        return Case(b"", [], [])
    if kind == "binary-file":
        return Case(b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(3000), [], [])
    if kind == "random-bytes":
        return Case(random.Random(4).randbytes(3000), [], [])
    if kind == "binary-junk":
        junked = Item("junk-1", "Pemi@@JUNK@@lu ditunda")
        data = enc([unit(g[0]), unit(junked), unit(g[1]), unit(g[2])])
        # in a CSV cell the bytes are text (kept, decoded); in JSON control characters are not
        kept = [*g, junked] if shape.style == "csv" else g
        return Case(data.replace(b"@@JUNK@@", JUNK), kept, [])
    if kind == "deep-json":
        if shape.style == "csv":  # only text in a CSV cell: kept
            deep = Item("deep-1", DEEP)
            return Case(enc([unit(g[0]), unit(deep), unit(g[1]), unit(g[2])]), [*g, deep], [])
        return Case(enc([unit(g[0]), DEEP, unit(g[1]), unit(g[2])]), g, [])
    if kind == "nul-bytes":
        raw = Item("nul-1", "Pemilu@@NUL@@ ditunda 53")
        units = [unit(g[0]), unit(raw), unit(g[1]), unit(g[2])]
        kept = [*g, Item("nul-1", "Pemilu ditunda 53")]
        if shape.style == "document":  # JSON's escaped NUL must not reach the database either
            units.append(unit(Item("nul-2", "Pemilu\x00 ditunda 54")))
            kept.append(Item("nul-2", "Pemilu ditunda 54"))
        data = enc(units).replace(b"@@NUL@@", b"\x00\x00") + b"\x00"
        return Case(data, kept, [], exact=True)
    raise AssertionError(kind)


KINDS = [
    "truncated",
    "cp1252",
    "latin-1",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "missing-field",
    "renamed-field",
    "big-texts",
    "duplicate-ids",
    "empty",
    "binary-file",
    "random-bytes",
    "binary-junk",
    "deep-json",
    "nul-bytes",
]


def counts() -> tuple[int, int, int]:
    return Clarification.objects.count(), Claim.objects.count(), QuarantinedRecord.objects.count()


def attempt(path: Path, fmt: str):
    """Import; the run it made (None when the file was refused before a run began)."""
    before = set(ImportRun.objects.values_list("id", flat=True))
    try:
        import_clarifications(path, fmt)
    except SourceError as error:
        assert str(error).strip()
    run = ImportRun.objects.exclude(id__in=before).first()
    if run is not None:
        assert run.status in ("done", "failed"), run.status
        assert run.status == "done" or run.error.strip()
    return run


def check(shape: Shape, path: Path, case: Case) -> ImportRun | None:
    fmt = shape.name
    run = attempt(path, fmt)
    stored = {c.external_id: c for c in Clarification.objects.select_related("claim")}
    lost = [shape.ident(i) for i in case.kept if shape.ident(i) not in stored]
    assert not lost, f"good items lost: {lost}; run: {run and (run.status, run.error[:300])}"
    leaked = [shape.ident(i) for i in case.refused if shape.ident(i) in stored]
    assert not leaked, f"bad items stored: {leaked}"
    for item in case.kept:
        clarification = stored[shape.ident(item)]
        for text in (clarification.claim.text, clarification.headline, clarification.explanation):
            assert "\ufffd" not in text and "\x00" not in text
        if case.exact:
            assert clarification.claim.text == item.claim
        if shape.explained:
            assert clarification.explanation == item.explanation  # whole, however long
    before = counts()
    attempt(path, fmt)
    assert counts() == before, "a re-run of the same file added something"
    assert not ImportRun.objects.filter(status__in=["running", "queued"]).exists()
    return run


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("shape_name", list(SHAPES))
def test_a_bad_clarification_file_keeps_every_good_item_and_reruns_to_nothing(
    tmp_path, shape_name, kind
):
    shape = SHAPES[shape_name]
    if kind == "big-texts" and not shape.explained:
        pytest.skip("the Fact Check API shape has no long text field")
    case = _case(shape, kind)
    path = tmp_path / f"{kind}.data"
    path.write_bytes(case.data)
    run = check(shape, path, case)
    if case.refused and run is not None and run.status == "done":
        assert run.quarantine.exists()


# -- articles: one item a file ----------------------------------------------------------------

ARTICLE = (
    "[SALAH] {claim}\n\n"
    "NARASI:\n\u201c{claim}\u201d\n\n"
    "PENJELASAN:\n{explanation}\n\n"
    "REFERENSI:\nhttps://kpu.example/siaran-pers javascript:alert(1)\n"
)


def _article(claim: str, explanation: str = "Jadwal tetap 14 Februari 2024.") -> str:
    return ARTICLE.format(claim=claim, explanation=explanation)


ARTICLE_CASES = {
    "cp1252": (_article(CP1252_TEXT.format(n=1)).encode("cp1252"), CP1252_TEXT.format(n=1)),
    "latin-1": (
        _article(LATIN1_TEXT.format(n=1)).translate({0x201C: '"', 0x201D: '"'}).encode("latin-1"),
        LATIN1_TEXT.format(n=1),
    ),
    "utf-16": (_article(CP1252_TEXT.format(n=2)).encode("utf-16"), CP1252_TEXT.format(n=2)),
    "utf-16-le": (_article(CP1252_TEXT.format(n=3)).encode("utf-16-le"), CP1252_TEXT.format(n=3)),
    "nul-bytes": (
        _article("Pemilu ditunda").encode().replace(b"ditunda", b"dit\x00unda"),
        "Pemilu ditunda",
    ),
    "big-text": (_article("Pemilu ditunda", "c" * 10_000_000).encode(), "Pemilu ditunda"),
    "deep-json": (_article(DEEP).encode(), DEEP),
    "renamed-field": (
        _article("Pemilu ditunda").replace("REFERENSI", "SUMBER").encode(),
        "Pemilu ditunda",
    ),
    "truncated": (_article("Pemilu ditunda").encode()[:30], None),  # cut before NARASI
    "missing-field": (_article("Pemilu ditunda").replace("NARASI", "CERITA").encode(), None),
    "empty": (b"", None),
    "binary-file": (b"%PDF-1.4" + random.Random(6).randbytes(2000), None),
    "random-bytes": (random.Random(7).randbytes(2000), None),
}


@pytest.mark.parametrize("kind", list(ARTICLE_CASES))
def test_a_bad_article_is_kept_when_readable_else_refused_and_the_run_ends(tmp_path, kind):
    data, claim = ARTICLE_CASES[kind]
    path = tmp_path / "artikel.txt"
    path.write_bytes(data)
    attempt(path, "article")
    found = list(Clarification.objects.select_related("claim"))
    if claim is None:
        assert found == []
    else:
        [clarification] = found
        assert clarification.claim.text == claim
        assert clarification.sources == ["https://kpu.example/siaran-pers"]
        for text in (clarification.claim.text, clarification.headline, clarification.explanation):
            assert "\ufffd" not in text and "\x00" not in text
    before = counts()
    attempt(path, "article")
    assert counts() == before
    assert not ImportRun.objects.filter(status__in=["running", "queued"]).exists()
