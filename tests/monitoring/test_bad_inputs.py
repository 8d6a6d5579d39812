"""Nothing lost under bad input (issue 9): every post format, every bad kind, mixed with good
records. Each case asserts that every good record is kept, that no bad record becomes a post,
that the run ends (done, or failed with a reason; never "running"), and that importing the
same file again adds nothing at all (no post, no observation, no quarantine row).

The files are generated here (tmp_path); the big ones (a 10 MB text and a 50 MB line) share
one file per format.
"""

from __future__ import annotations

import contextlib
import functools
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from saring.monitoring.models import EngagementObservation, ImportRun, Post, QuarantinedRecord
from saring.monitoring.services import ingest
from saring.sources.records import SourceError
from saring.sources.registry import FORMATS

pytestmark = pytest.mark.django_db

TEXT = "Info TPS nomor {n} di Kota Bandung"
CP1252_TEXT = "Caf\u00e9 \u201cdemokrasi\u201d \u2013 relawan {n}"  # not latin-1: 1252 only
LATIN1_TEXT = "Caf\u00e9 d\u00e9mocratie \u00f1 {n}"
DEEP = "[" * 10_000 + "]" * 10_000
JUNK = bytes(b for b in random.Random(9).randbytes(600) if b != 0x0A)
# no carriage return (which the csv module refuses at once), an odd number of quotes: a quote
# that never closes in a CSV
QUOTED_JUNK = b'x,"' + bytes(b for b in JUNK if b not in b'\r"')


@dataclass(frozen=True)
class Rec:
    id: str
    text: str = ""
    views: int = 100


@dataclass(frozen=True)
class Shape:
    """How one format writes records: one unit of text per record, and the file around them."""

    name: str
    unit: Callable[[Rec], str]
    wrap: Callable[[list[str]], str]
    missing: Callable[[Rec], str]  # the record without its date
    renamed: Callable[[Rec], str]  # the record with a field under another name
    renamed_kept: bool  # the format reads that other name (an alias)
    deep: str  # a unit nested 10,000 deep
    text_junk: Callable[[Rec, str], str]  # the record with raw text spliced into its text
    style: str = "lines"  # "lines" (one record a line), "document" (JSON) or "csv"


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _lines(units: list[str]) -> str:
    return "".join(unit + "\n" for unit in units)


def _splice(unit: str, text: str, raw: str) -> str:
    return unit.replace(text, text[:4] + raw + text[4:], 1)


# -- generic-jsonl --------------------------------------------------------------------------


def _generic(rec: Rec, **changes) -> dict:
    obj = {
        "platform": "x",
        "platform_id": rec.id,
        "text": rec.text,
        "created_at": "2024-02-10T10:00:00+07:00",
        "views": rec.views,
    }
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not None}


GENERIC_JSONL = Shape(
    "generic-jsonl",
    unit=lambda r: _json(_generic(r)),
    wrap=_lines,
    missing=lambda r: _json(_generic(r, created_at=None)),
    renamed=lambda r: _json(
        {"platform": "x", "id": r.id, "content": r.text, "date": "2024-02-10 10:00", "views": 1}
    ),
    renamed_kept=True,
    deep=DEEP,
    text_junk=lambda r, raw: _splice(_json(_generic(r)), r.text, raw),
)

# -- zeeschuimer ----------------------------------------------------------------------------


def _zee(rec: Rec, drop: str = "", rename: str = "") -> dict:
    data = {
        "id": rec.id,
        "desc": rec.text,
        "createTime": 1707400000,
        "author": {"uniqueId": "contoh", "nickname": "Contoh"},
        "stats": {"playCount": rec.views},
    }
    if drop:
        del data[drop]
    if rename:
        data["create_time"] = data.pop(rename)
    return {"source_platform": "tiktok.com", "timestamp_collected": 1707500000000, "data": data}


ZEESCHUIMER = Shape(
    "zeeschuimer",
    unit=lambda r: _json(_zee(r)),
    wrap=_lines,
    missing=lambda r: _json(_zee(r, drop="createTime")),
    renamed=lambda r: _json(_zee(r, rename="createTime")),
    renamed_kept=False,
    deep=DEEP,
    text_junk=lambda r, raw: _splice(_json(_zee(r)), r.text, raw),
)

# -- tiktok-research ------------------------------------------------------------------------


def _video(rec: Rec, drop: str = "", rename: str = "") -> dict:
    video = {
        "id": rec.id,
        "create_time": 1707400000,
        "video_description": rec.text,
        "username": "contoh",
        "view_count": rec.views,
    }
    if drop:
        del video[drop]
    if rename:
        video["createTime"] = video.pop(rename)
    return video


def _tiktok_doc(units: list[str]) -> str:
    return (
        '{"data": {"videos": ['
        + ", ".join(units)
        + '], "has_more": false}, "error": {"code": "ok"}}'
    )


TIKTOK_RESEARCH = Shape(
    "tiktok-research",
    unit=lambda r: _json(_video(r)),
    wrap=_tiktok_doc,
    missing=lambda r: _json(_video(r, drop="create_time")),
    renamed=lambda r: _json(_video(r, rename="create_time")),
    renamed_kept=False,
    deep=DEEP,
    text_junk=lambda r, raw: _splice(_json(_video(r)), r.text, raw),
    style="document",
)

# -- youtube --------------------------------------------------------------------------------


def _yt(rec: Rec, drop: bool = False, rename: bool = False) -> dict:
    snippet = {
        "publishedAt": "2024-02-10T03:00:00Z",
        "title": rec.text,
        "channelId": "UCcontoh",
        "channelTitle": "Kanal",
    }
    if drop:
        del snippet["publishedAt"]
    if rename:
        snippet["published_at"] = snippet.pop("publishedAt")
    return {
        "kind": "youtube#video",
        "id": rec.id,
        "snippet": snippet,
        "statistics": {"viewCount": str(rec.views)},
    }


YOUTUBE = Shape(
    "youtube",
    unit=lambda r: _json(_yt(r)),
    wrap=lambda units: '{"kind": "youtube#videoListResponse", "items": [' + ", ".join(units) + "]}",
    missing=lambda r: _json(_yt(r, drop=True)),
    renamed=lambda r: _json(_yt(r, rename=True)),
    renamed_kept=False,
    deep=DEEP,
    text_junk=lambda r, raw: _splice(_json(_yt(r)), r.text, raw),
    style="document",
)

# -- CSV formats ----------------------------------------------------------------------------


def _csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _csv_shape(name: str, header: str, row: Callable[[Rec, str], str], renamed_header: str):
    def wrap(units: list[str], head: str = header) -> str:
        return head + "\r\n" + "".join(unit + "\r\n" for unit in units)

    return (
        Shape(
            name,
            unit=lambda r: row(r, "2024-02-10 10:00:00"),
            wrap=wrap,
            missing=lambda r: row(r, ""),
            renamed=lambda r: row(r, "2024-02-10 10:00:00"),  # its file's header uses aliases
            renamed_kept=True,
            deep="",  # a CSV cell holds the deep JSON as text: see _units
            text_junk=lambda r, raw: row(
                Rec(r.id, r.text[:4] + raw + r.text[4:], r.views), "2024-02-10 10:00:00"
            ),
            style="csv",
        ),
        renamed_header,
    )


GENERIC_CSV, GENERIC_CSV_RENAMED = _csv_shape(
    "generic-csv",
    "platform,platform_id,text,created_at,views",
    lambda r, date: f"x,{r.id},{_csv_cell(r.text)},{date},{r.views}",
    "platform,id,content,date,view_count",
)
META_CL, META_CL_RENAMED = _csv_shape(
    "meta-cl",
    "id,text,creation_time,post_owner.username,statistics.views",
    lambda r, date: f"{r.id},{_csv_cell(r.text)},{date},contoh,{r.views}",
    "post_id,message,created_time,owner_username,view_count",
)
RENAMED_HEADERS = {"generic-csv": GENERIC_CSV_RENAMED, "meta-cl": META_CL_RENAMED}
SHAPES = {
    shape.name: shape
    for shape in (GENERIC_JSONL, ZEESCHUIMER, TIKTOK_RESEARCH, YOUTUBE, GENERIC_CSV, META_CL)
}
PLATFORMS = {
    "generic-jsonl": "x",
    "zeeschuimer": "tiktok",
    "tiktok-research": "tiktok",
    "youtube": "youtube",
    "generic-csv": "x",
    "meta-cl": "facebook",
}


def test_every_registered_post_format_is_covered():
    assert set(SHAPES) == set(FORMATS)


# -- the cases ------------------------------------------------------------------------------


def good(n: int, template: str = TEXT) -> Rec:
    return Rec(f"ok-{n}", template.format(n=n), 100 + n)


@dataclass
class Case:
    data: bytes
    kept: list[str]  # ids that must be posts
    refused: list[str]  # ids that must not be posts
    texts: dict[str, str] | None = None  # id -> exact text expected
    whole_file_error: bool = False  # the file as a whole is refused (SourceError)


def _units(shape: Shape, kind: str) -> Case:
    g = [good(i) for i in range(1, 4)]
    unit = shape.unit
    text = lambda units: shape.wrap(units).encode("utf-8")  # noqa: E731
    ids = [r.id for r in g]
    if kind == "truncated":
        last = Rec("cut-1", TEXT.format(n=99), 999)
        whole = shape.wrap([unit(r) for r in g] + [unit(last)])
        cut = whole.rindex(last.text) + len(last.text) // 2
        return Case(whole[:cut].encode("utf-8"), ids, ["cut-1"])
    if kind in ("cp1252", "latin-1"):
        template = CP1252_TEXT if kind == "cp1252" else LATIN1_TEXT
        recs = [good(i, template) for i in range(1, 4)]
        data = shape.wrap([unit(r) for r in recs]).encode(kind)
        return Case(data, [r.id for r in recs], [], {r.id: r.text for r in recs})
    if kind.startswith("utf-16"):
        recs = [good(i, CP1252_TEXT) for i in range(1, 4)]
        return Case(
            shape.wrap([unit(r) for r in recs]).encode(kind),
            [r.id for r in recs],
            [],
            {r.id: r.text for r in recs},
        )
    if kind == "missing-field":
        bad = Rec("bad-1", TEXT.format(n=50))
        return Case(text([unit(g[0]), shape.missing(bad), unit(g[1]), unit(g[2])]), ids, ["bad-1"])
    if kind == "renamed-field":
        other = Rec("renamed-1", TEXT.format(n=51))
        units = [unit(g[0]), shape.renamed(other), unit(g[1]), unit(g[2])]
        data = shape.wrap(units)
        if shape.name in RENAMED_HEADERS:  # a CSV's columns are renamed in its header
            data = shape.wrap(units, RENAMED_HEADERS[shape.name])  # type: ignore[call-arg]
        kept, refused = ([*ids, "renamed-1"], []) if shape.renamed_kept else (ids, ["renamed-1"])
        return Case(data.encode("utf-8"), kept, refused)
    if kind == "duplicate-ids":
        again = Rec(g[0].id, g[0].text, g[0].views)
        return Case(text([unit(g[0]), unit(g[1]), unit(again), unit(g[2]), unit(g[1])]), ids, [])
    if kind == "empty":
        return Case(b"", [], [], whole_file_error=True)
    if kind == "binary-file":
        return Case(b"\x89PNG\r\n\x1a\n" + random.Random(3).randbytes(4000), [], [])
    if kind == "random-bytes":
        return Case(random.Random(4).randbytes(4000), [], [])
    if kind == "quoted-junk":  # line and CSV formats; a document's quotes must balance
        junk = QUOTED_JUNK if shape.style != "document" else JUNK.replace(b'"', b"")
        marker = "@@JUNK@@" if shape.style != "document" else shape.text_junk(good(7), "@@JUNK@@")
        data = text([unit(g[0]), marker, unit(g[1]), unit(g[2])])
        return Case(data.replace(b"@@JUNK@@", junk.replace(b"\\", b"")), ids, [])
    if kind == "binary-junk":
        if shape.style != "document":  # a line (a row) of random bytes among good ones
            data = text([unit(g[0]), "@@JUNK@@", unit(g[1]), unit(g[2])])
            return Case(data.replace(b"@@JUNK@@", JUNK), ids, [])
        # a document: binary bytes inside one item's text, and junk after the document
        inner = bytes(b for b in JUNK if b not in b'"\\')
        bad = Rec("junk-1", TEXT.format(n=52))
        data = text([unit(g[0]), shape.text_junk(bad, "@@JUNK@@"), unit(g[1]), unit(g[2])])
        return Case(data.replace(b"@@JUNK@@", inner) + b"\n" + JUNK, ids, [])
    if kind == "deep-json":
        if shape.style == "csv":  # in a CSV the deep JSON is only a long text cell: kept
            deep = Rec("deep-1", DEEP)
            return Case(
                text([unit(g[0]), unit(deep), unit(g[1]), unit(g[2])]), [*ids, "deep-1"], []
            )
        return Case(text([unit(g[0]), shape.deep, unit(g[1]), unit(g[2])]), ids, [])
    if kind == "nul-bytes":
        raw = Rec("nul-1", TEXT.format(n=53))  # NUL bytes in the file
        units = [unit(g[0]), shape.text_junk(raw, "@@NUL@@"), unit(g[1]), unit(g[2])]
        texts = {"nul-1": raw.text}
        if shape.style != "csv":  # JSON also escapes a NUL as \u0000: it must not be stored
            escaped = Rec("nul-2", "Info\x00 TPS nomor 54")
            units.append(unit(escaped))
            texts["nul-2"] = escaped.text.replace("\x00", "")
        data = text(units).replace(b"@@NUL@@", b"\x00\x00") + b"\x00"
        return Case(data, ids + list(texts), [], texts)
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
    "duplicate-ids",
    "empty",
    "binary-file",
    "random-bytes",
    "binary-junk",
    "quoted-junk",
    "deep-json",
    "nul-bytes",
]


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    """The after-import jobs and the watchlist compilation are not what is tested here."""
    monkeypatch.setattr(ingest, "AFTER_IMPORT", [])
    monkeypatch.setattr(ingest, "build_context", _context)


@functools.cache
def _cached_context():
    from saring.monitoring.services.analysis import build_context

    return build_context()


def _context(*args):
    return _cached_context() if not args else ingest.build_context(*args)


def counts() -> tuple[int, int, int]:
    return (
        Post.objects.count(),
        EngagementObservation.objects.count(),
        QuarantinedRecord.objects.count(),
    )


def run_import(path: Path, fmt: str) -> ImportRun:
    """Import as an upload's job does (the run exists first); the run, ended."""
    run = ImportRun.objects.create(format=fmt, file_name=path.name, stored_path=str(path))
    with contextlib.suppress(SourceError):
        ingest.ingest_file(path, fmt, run=run)
    run.refresh_from_db()
    return run


def assert_ended(run: ImportRun) -> None:
    assert run.status in ("done", "failed"), run.status
    if run.status == "failed":
        assert run.error.strip(), "a failed run says why"
    assert run.finished_at is not None


def check(path: Path, fmt: str, case: Case) -> ImportRun:
    platform = PLATFORMS[fmt]
    run = run_import(path, fmt)
    assert_ended(run)
    stored = dict(Post.objects.filter(platform=platform).values_list("platform_id", "text"))
    missing = [i for i in case.kept if i not in stored]
    assert not missing, f"good records lost: {missing}; run: {run.status} {run.error[:300]}"
    leaked = [i for i in case.refused if i in stored]
    assert not leaked, f"bad records stored as posts: {leaked}"
    for pid, text in (case.texts or {}).items():
        assert stored[pid] == text
        assert "\ufffd" not in stored[pid] and "\x00" not in stored[pid]
    if case.whole_file_error:
        assert run.status == "failed"
    before = counts()
    again = run_import(path, fmt)
    assert_ended(again)
    assert counts() == before, "a re-run of the same file added something"
    assert not ImportRun.objects.filter(status__in=["running", "queued"]).exists()
    return run


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", list(SHAPES))
def test_a_bad_file_keeps_every_good_record_ends_its_run_and_reruns_to_nothing(tmp_path, fmt, kind):
    case = _units(SHAPES[fmt], kind)
    path = tmp_path / f"{kind}.data"
    path.write_bytes(case.data)
    run = check(path, fmt, case)
    if case.refused and run.status == "done":
        assert run.quarantine.exists(), "what was refused waits in the quarantine"


@pytest.mark.parametrize("fmt", list(SHAPES))
def test_a_10_mb_text_and_a_50_mb_line_are_quarantined_whole_and_the_rest_kept(tmp_path, fmt):
    shape = SHAPES[fmt]
    ten = Rec("big-10", "a" * 10_000_000)
    fifty = Rec("big-50", "b" * 50_000_000)
    units = [shape.unit(good(1)), shape.unit(ten), shape.unit(good(2)), shape.unit(fifty)]
    units.append(shape.unit(good(3)))
    path = tmp_path / "besar.data"
    path.write_text(shape.wrap(units), encoding="utf-8")
    run = check(path, fmt, Case(b"", ["ok-1", "ok-2", "ok-3"], ["big-10", "big-50"]))
    assert run.status == "done"
    sizes = sorted(len(p) for p in run.quarantine.values_list("payload", flat=True))
    assert len(sizes) == 2
    assert sizes[0] > 10_000_000 and sizes[1] > 50_000_000, "payloads kept whole"
    assert set(run.quarantine.values_list("field", flat=True)) == {"text"}
