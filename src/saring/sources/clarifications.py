"""Clarification files as formats of the one registry: ClaimReview JSON-LD (and the Google
Fact Check API response), CSV, and TurnBackHoax-style articles.

They are read like the post formats (:mod:`._text`, :mod:`._io`, :mod:`._jsonsplit`): UTF-16
and cp1252/latin-1 files decode as written, NUL characters are dropped, a 10 MB cell passes,
and every item is split out of the file as raw text, so one broken item is quarantined on its
own while its neighbours are imported. ``parse(payload)`` needs nothing but the payload, so a
quarantined item can be fixed and retried. Field rules are in :mod:`.claimreview`.

Payloads: a ClaimReview (or a ``@graph`` element) as written in the file; a Fact Check API
review as ``{"_api_claim": claim, …review}``; a CSV row as the header line and the row; an
article as its whole text. A CSV row the reader could not read carries a first line starting
with ``#saring:`` that says why; its parse fails until the line is removed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ._io import (
    HEAD_BYTES,
    MAX_LINE_BYTES,
    CsvRow,
    _raise_field_limit,
    binary_kind,
    check_file,
    iter_csv_rows,
    raw_head,
    read_csv_header,
    read_head,
)
from ._jsondoc import bad_item, top_level_keys
from ._jsonsplit import Piece, Splitter
from ._text import TextSource, read_text
from ._values import _JSON_ERRORS, json_dumps, json_loads, load_json
from .claimreview import (
    CSV_ALIASES,
    ClarificationRecord,
    api_claim_items,
    claimreview_items,
    parse_article,
    parse_claimreview,
    parse_csv_row,
)
from .records import RawItem, RecordError, SourceError

KIND = "clarifications"
CSV_MARK = "#saring: "


def _refuse_binary(path: Path, what: str) -> None:
    kind = binary_kind(raw_head(path))
    if kind:
        raise SourceError(str(path), f"this is {kind}, not {what}")


def _no_claimreview(document: Any) -> str:
    found = document.get("@type") if isinstance(document, dict) else type(document).__name__
    return (
        f"no ClaimReview found (top level is {found!r}); expected @type ClaimReview, an "
        "@graph, a list, or a Fact Check API response with 'claims'"
    )


class ClaimReviewFile:
    name = "claimreview"
    kind = KIND
    label = "ClaimReview JSON-LD or Fact Check API response (JSON)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        path = Path(path)
        check_file(path)
        _refuse_binary(path, "a ClaimReview JSON file")
        head = read_head(path, HEAD_BYTES)
        if head[:1] == b"[":
            found = yield from self._streamed(path, (), "")
        elif head[:1] == b"{" and ({"claims", "@graph"} & set(top_level_keys(head))):
            key = "claims" if "claims" in top_level_keys(head) else "@graph"
            found = yield from self._streamed(path, (key,), key)
        elif head[:1] == b"{":
            found = yield from self._whole(path)
        else:
            shown = read_head(path, 40).decode("utf-8", "replace")
            raise SourceError(str(path), f"not JSON: the file starts with {shown!r}")
        if found is not None:
            raise SourceError(str(path), found)

    def _streamed(self, path: Path, list_path: tuple[str, ...], name: str):
        """Items of the list at ``list_path``; returns a SourceError message when there were
        none at all (nothing but other schema.org nodes), else None."""
        source = TextSource(path)
        produced = 0
        try:
            for piece in Splitter(source.read, list_path):
                where = f"{name}[{piece.index}]"
                if piece.kind != "item" or piece.size:
                    if piece.kind == "rest":
                        where = f"after {name}[{piece.index - 1}]" if piece.index else "start"
                    produced += 1
                    yield bad_item(where, None, source.offset, piece)
                    continue
                for item in self._element(piece, where, claims=name == "claims"):
                    produced += 1
                    yield item
        finally:
            source.close()
        return None if produced else _no_claimreview([])

    def _element(self, piece: Piece, where: str, *, claims: bool) -> Iterator[RawItem]:
        try:
            element = json_loads(piece.text)
        except _JSON_ERRORS as err:
            yield bad_item(where, None, 0, Piece("rest", piece.text, error=str(err)))
            return
        found = api_claim_items(element, where) if claims else claimreview_items(element)
        for location, item in found:
            if location in ("", where):  # the element itself: keep it as written
                yield RawItem(where, None, piece.text)
                continue
            try:
                payload = json_dumps(item)
            except (TypeError, ValueError):  # nested past the serialiser: the element as written
                payload = piece.text
            yield RawItem(location if claims else f"{where}{location}", None, payload)

    def _whole(self, path: Path):
        text = read_text(path)
        try:
            document = json_loads(text)
        except _JSON_ERRORS as err:
            yield bad_item("item", None, len(text), Piece("rest", text, error=str(err)))
            return None
        items = list(claimreview_items(document))
        if not items:
            return _no_claimreview(document)
        for location, item in items:
            payload = text if not location else json_dumps(item)
            yield RawItem(location or "item", None, payload)
        return None

    def parse(self, payload: str) -> list[ClarificationRecord]:
        document = load_json(payload)
        if isinstance(document, dict) and "_api_claim" in document:
            return [parse_claimreview(document)]
        items = list(claimreview_items(document))
        if not items:
            raise RecordError(_no_claimreview(document), "")
        return [parse_claimreview(item) for _, item in items]


def csv_payload(header: list[str], values: dict[str, Any], mark: str = "") -> str:
    """A CSV row as its header line and the row (what the quarantine shows and retries)."""
    out = io.StringIO()
    if mark:
        out.write(f"{CSV_MARK}{mark}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([values.get(name) or "" for name in header])
    return out.getvalue()


class ClarificationCsv:
    name = "csv"
    kind = KIND
    label = "Clarifications (CSV)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        path = Path(path)
        check_file(path)
        header = read_csv_header(path)
        if not any(name.strip() for name in header.names):
            raise SourceError(str(path), "the CSV has no header row")
        names = {name.strip().lower() for name in header.names}
        wanted = [CSV_ALIASES["claim_text"] + CSV_ALIASES["headline"], CSV_ALIASES["verdict"]]
        if not all(names & set(aliases) for aliases in wanted):
            raise SourceError(
                str(path),
                "not a clarification CSV: it needs a claim or headline column "
                f"({', '.join(wanted[0])}) and a verdict column ({', '.join(wanted[1])}); "
                f"columns found: {', '.join(header.names)[:300]}",
            )
        for row in iter_csv_rows(path):
            yield RawItem(
                f"line {row.line}", row.line, self._payload(header.names, row), row.offset
            )

    def _payload(self, header: list[str], row: CsvRow) -> str:
        if row.broken or (row.unclosed_quote and row.raw):
            why = row.broken or f"a quote opened on line {row.line} is never closed"
            head = csv_payload(header, {}).splitlines()[0]
            return f"{CSV_MARK}{why}; fix the row, delete this line and retry\n{head}\n{row.raw}\n"
        if row.unclosed_quote:
            why = f"a quote opened on line {row.line} is never closed"
            return csv_payload(
                header, row.values, f"{why}; fix the row, delete this line and retry"
            )
        if row.overflow:
            why = f"the row has {len(row.overflow)} more cell(s) than the header"
            return csv_payload(
                header, row.values, f"{why}; fix the row, delete this line and retry"
            )
        if row.truncated:
            why = "the file stops in the middle of this row (it was probably cut off)"
            return csv_payload(
                header, row.values, f"{why}; complete it, delete this line and retry"
            )
        return csv_payload(header, row.values)

    def parse(self, payload: str) -> list[ClarificationRecord]:
        if payload.startswith(CSV_MARK):
            reason = payload.splitlines()[0][len(CSV_MARK) :]
            raise RecordError(reason, "", code="csv_row_unreadable", detail=reason)
        _raise_field_limit()
        try:
            rows = list(csv.DictReader(io.StringIO(payload)))
        except csv.Error as err:
            raise RecordError(f"the row cannot be read as CSV ({err})", "") from None
        if len(rows) != 1:
            raise RecordError(f"expected a header line and one row, found {len(rows)} rows")
        return [parse_csv_row(rows[0])]


class ClarificationArticle:
    name = "article"
    kind = KIND
    label = "TurnBackHoax-style article (text)"

    def iter_items(self, path: Path) -> Iterator[RawItem]:
        path = Path(path)
        check_file(path)
        _refuse_binary(path, "an article (plain text)")
        text = read_text(path, MAX_LINE_BYTES + 1)
        if len(text) > MAX_LINE_BYTES:
            error = RecordError("the article is over 64 MB; only its first megabyte is kept", "")
            yield RawItem("article", None, text[: 1024 * 1024], path.stat().st_size, error=error)
            return
        yield RawItem("article", None, text, path.stat().st_size)

    def parse(self, payload: str) -> list[ClarificationRecord]:
        return [parse_article(payload)]


CLAIMREVIEW = ClaimReviewFile()
CSV = ClarificationCsv()
ARTICLE = ClarificationArticle()
