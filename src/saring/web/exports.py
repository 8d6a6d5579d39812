"""CSV and XLSX export of any search result, streamed so a large selection does not load at once.

Public post fields only: authors of public posts, never reporters or staff. Flags are limited to
the watchlists the exporting user may see.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from saring.accounts.scope import Scope
from saring.monitoring.models import Post, PostFlag

COLUMNS = [
    "platform",
    "platform_id",
    "url",
    "created_at",
    "author_handle",
    "author_name",
    "text",
    "hashtags",
    "language",
    "election_relevance",
    "province",
    "regency",
    "region_source",
    "views",
    "likes",
    "shares",
    "comments",
    "virality",
    "flags",
]
CHUNK = 2000


def rows(posts: QuerySet[Post], scope: Scope) -> Iterator[list]:
    """Export rows in chunks: one flag query per chunk keeps it O(n) and memory flat."""
    visible = PostFlag.objects.visible_to(scope)
    chunk: list[Post] = []
    for post in posts.iterator(chunk_size=CHUNK):
        chunk.append(post)
        if len(chunk) >= CHUNK:
            yield from _chunk_rows(chunk, visible)
            chunk = []
    yield from _chunk_rows(chunk, visible)


def _chunk_rows(chunk: list[Post], visible) -> Iterator[list]:
    if not chunk:
        return
    flags: dict[int, list[str]] = {}
    for post_id, code in visible.filter(post_id__in=[p.id for p in chunk]).values_list(
        "post_id", "category__code"
    ):
        flags.setdefault(post_id, []).append(code)
    for p in chunk:
        yield [
            p.platform,
            p.platform_id,
            p.url,
            timezone.localtime(p.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            p.author_handle,
            p.author_name,
            p.text,
            " ".join(p.hashtags),
            p.language,
            round(p.election_relevance, 2),
            p.province.name if p.province_id else "",
            p.regency.name if p.regency_id else "",
            p.region_source,
            p.views,
            p.likes,
            p.shares,
            p.comments,
            round(p.virality, 3),
            " ".join(sorted(set(flags.get(p.id, [])))),
        ]


FORMULA_STARTS = ("=", "+", "-", "@")
CONTROL_STARTS = ("\t", "\r")


def safe_cell(value):
    """A text cell that a spreadsheet program would run as a formula (CSV injection), made
    inert with a leading apostrophe: one starting with = + - @, also after leading spaces or
    line breaks (some programs trim them before parsing), or starting with a tab or carriage
    return. Numbers stay numbers; other text is unchanged."""
    if isinstance(value, str) and (
        value.startswith(CONTROL_STARTS) or value.lstrip().startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(ext: str) -> str:
    return f"saring-posts-{timezone.localtime().strftime('%Y%m%d-%H%M')}.{ext}"


def csv_response(posts: QuerySet[Post], scope: Scope) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM
        yield writer.writerow(COLUMNS)
        for row in rows(posts, scope):
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(posts: QuerySet[Post], scope: Scope) -> FileResponse:
    # constant_memory writes rows to disk as they come, so a large export stays small in RAM.
    # The response closes the file when it has been sent, so no `with` here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_urls": False, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet("posts")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, COLUMNS, bold)
    for index, row in enumerate(rows(posts, scope), start=1):
        sheet.write_row(index, 0, ["" if v is None else v for v in row])
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
