"""CSV and XLSX export of any search result, streamed so a large selection does not load at once.

Public post fields only: authors of public posts, never reporters or staff (the matched
clarification is named by its public headline and verdict, never its reviewer). Flags are limited
to the watchlists the exporting user may see, matched clarifications to those they may read.

What a person reads is worded: platform names, harm category names in the reader's language,
the verdict, the speaker. Times are in the display zone (SARING_TIME_ZONE, WIB by default), named
in the header; the XLSX has real date-times, a frozen header row, a filter and column widths.
The CSV keeps the stable column keys as its header, for scripts.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo

import xlsxwriter
from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from saring.accounts.scope import Scope
from saring.factcheck.models import Clarification, PostMatch
from saring.factcheck.querysets import visible_clarifications
from saring.monitoring.models import Post, PostFlag
from saring.monitoring.querysets import COUNTER_SPEAKERS
from saring.taxonomy.models import HarmCategory

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
    # An official account's watchlist hits: counter-messages, not harms (decision 0013).
    "counter_messages",
    "speaker",
    "account_flag",
    # issue 10: the clarification a post is linked to, and the post's page in Saring
    "clarification",
    "clarification_verdict",
    "saring_url",
]
CHUNK = 2000
# The XLSX header, worded; "%(zone)s" is the display zone's abbreviation (WIB, WITA, WIT).
LABELS = {
    "platform": gettext_lazy("Platform"),
    "platform_id": gettext_lazy("Post id on the platform"),
    "url": gettext_lazy("Link on the platform"),
    "created_at": gettext_lazy("Posted at (%(zone)s)"),
    "author_handle": gettext_lazy("Account"),
    "author_name": gettext_lazy("Account name"),
    "text": gettext_lazy("Text"),
    "hashtags": gettext_lazy("Hashtags"),
    "language": gettext_lazy("Language"),
    "election_relevance": gettext_lazy("Election relevance"),
    "province": gettext_lazy("Province"),
    "regency": gettext_lazy("Regency/city"),
    "region_source": gettext_lazy("Region found in"),
    "views": gettext_lazy("Views"),
    "likes": gettext_lazy("Likes"),
    "shares": gettext_lazy("Shares"),
    "comments": gettext_lazy("Comments"),
    "virality": gettext_lazy("Virality"),
    "flags": gettext_lazy("Harm categories flagged"),
    "counter_messages": gettext_lazy("Counter-messages (official account)"),
    "speaker": gettext_lazy("Speaker"),
    "account_flag": gettext_lazy("Account warning"),
    "clarification": gettext_lazy("Matched clarification"),
    "clarification_verdict": gettext_lazy("Clarification verdict"),
    "saring_url": gettext_lazy("Post in Saring"),
}
WIDTHS = {"text": 80, "clarification": 50, "url": 30, "saring_url": 30, "created_at": 18}
PLATFORM_NAMES = {
    "tiktok": "TikTok",
    "instagram": "Instagram",
    "x": "X",
    "facebook": "Facebook",
    "youtube": "YouTube",
}
REGION_SOURCES = {
    "text": gettext_lazy("the text"),
    "profile": gettext_lazy("the author profile"),
    "source": gettext_lazy("the source data"),
}
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
EXCEL_URL_LIMIT = 65_530  # Excel keeps at most this many links in a sheet: the rest stay text


def zone_label(zone: tzinfo) -> str:
    """ "WIB" for Asia/Jakarta (the other Indonesian zones likewise), else the zone's name."""
    key = getattr(zone, "key", None) or str(zone)
    return ZONE_NAMES.get(key, key)


@dataclass(frozen=True)
class _Words:
    """What a chunk of rows needs beyond the posts: the reader's words, zone and scope."""

    category_names: dict[str, str]
    clarifications: QuerySet[Clarification]
    post_url: Callable[[int], str]
    zone: tzinfo


def _words(scope: Scope, post_url: Callable[[int], str] | None) -> _Words:
    language = get_language() or "id"
    return _Words(
        category_names={c.code: c.name(language) for c in HarmCategory.objects.all()},
        clarifications=visible_clarifications(scope),
        post_url=post_url or (lambda pk: ""),
        zone=timezone.get_current_timezone(),
    )


def post_url_from(request) -> Callable[[int], str]:
    """The absolute address of a post's page, built once from the request (not per row)."""
    marker = 987654321
    template = request.build_absolute_uri(reverse("web:post", args=[marker]))
    head, tail = template.split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"


def rows(
    posts: QuerySet[Post], scope: Scope, post_url: Callable[[int], str] | None = None
) -> Iterator[list]:
    """Export rows in chunks: one flag query and one match query per chunk keeps it O(n) and
    memory flat."""
    visible = PostFlag.objects.visible_to(scope)
    words = _words(scope, post_url)
    chunk: list[Post] = []
    for post in posts.iterator(chunk_size=CHUNK):
        chunk.append(post)
        if len(chunk) >= CHUNK:
            yield from _chunk_rows(chunk, visible, words)
            chunk = []
    yield from _chunk_rows(chunk, visible, words)


def _linked_clarifications(words: _Words, post_ids: list[int]) -> dict[int, Clarification]:
    """Each post's best linked clarification (automatic or confirmed) the reader may see."""
    best: dict[int, Clarification] = {}
    matches = (
        PostMatch.objects.filter(
            post_id__in=post_ids,
            decision__in=PostMatch.LINKED,
            clarification__in=words.clarifications,
        )
        .select_related("clarification")
        .order_by("post_id", "-score")
    )
    for match in matches:
        best.setdefault(match.post_id, match.clarification)
    return best


def _codes(flags, post_ids: list[int]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for post_id, code in flags.filter(post_id__in=post_ids).values_list(
        "post_id", "category__code"
    ):
        codes.setdefault(post_id, []).append(code)
    return codes


def _names(codes: list[str], words: _Words) -> str:
    return "; ".join(sorted({words.category_names.get(c, c) for c in codes}))


def _chunk_rows(chunk: list[Post], visible, words: _Words) -> Iterator[list]:
    if not chunk:
        return
    ids = [p.id for p in chunk]
    harms = _codes(visible.harms(), ids)
    counters = {}
    if any(p.speaker in COUNTER_SPEAKERS for p in chunk):
        counters = _codes(visible.counter_messages(), ids)
    linked = _linked_clarifications(words, ids)
    for p in chunk:
        clarification = linked.get(p.id)
        yield [
            PLATFORM_NAMES.get(p.platform, p.platform),
            p.platform_id,
            p.url,
            timezone.localtime(p.created_at, words.zone),
            p.author_handle,
            p.author_name,
            p.text,
            " ".join(p.hashtags),
            p.language,
            round(p.election_relevance, 2),
            p.province.name if p.province_id else "",
            p.regency.name if p.regency_id else "",
            str(REGION_SOURCES.get(p.region_source, p.region_source)),
            p.views,
            p.likes,
            p.shares,
            p.comments,
            round(p.virality, 3),
            _names(harms.get(p.id, []), words),
            _names(counters.get(p.id, []), words),
            p.get_speaker_display() if p.speaker else "",
            p.get_account_flag_display() if p.account_flag else "",
            clarification.headline if clarification else "",
            clarification.get_verdict_display() if clarification else "",
            words.post_url(p.id),
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


def _csv_value(value):
    if isinstance(value, datetime):  # with its offset, so the zone travels with the value
        return value.isoformat(sep=" ", timespec="seconds")
    return safe_cell(value)


def csv_response(
    posts: QuerySet[Post], scope: Scope, post_url: Callable[[int], str] | None = None
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 CSV correctly only with a BOM
        yield writer.writerow(COLUMNS)
        for row in rows(posts, scope, post_url):
            yield writer.writerow([_csv_value(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def header(zone: tzinfo | None = None) -> list[str]:
    """The XLSX header row in the active language, the time column naming its zone."""
    zone = zone or timezone.get_current_timezone()
    return [
        str(LABELS[c]) % {"zone": zone_label(zone)} if c == "created_at" else str(LABELS[c])
        for c in COLUMNS
    ]


def xlsx_response(
    posts: QuerySet[Post], scope: Scope, post_url: Callable[[int], str] | None = None
) -> FileResponse:
    # constant_memory writes rows to disk as they come, so a large export stays small in RAM.
    # The response closes the file when it has been sent, so no `with` here.
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
    workbook = xlsxwriter.Workbook(
        handle,
        {
            "constant_memory": True,
            "strings_to_urls": False,
            "strings_to_formulas": False,
            "remove_timezone": True,  # Excel has no zones: local wall time, zone in the header
        },
    )
    sheet = workbook.add_worksheet("posts")
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    link = workbook.add_format({"font_color": "#0a4f9e", "underline": 1})
    sheet.write_row(0, 0, header(), bold)
    sheet.freeze_panes(1, 0)
    for col, key in enumerate(COLUMNS):
        sheet.set_column(col, col, WIDTHS.get(key, max(10, min(24, len(str(LABELS[key])) + 2))))
    created, address = COLUMNS.index("created_at"), COLUMNS.index("saring_url")
    last = 0
    for index, row in enumerate(rows(posts, scope, post_url), start=1):
        for col, value in enumerate(row):
            if col == created:
                sheet.write_datetime(index, col, value, when)
            elif col == address and value and index <= EXCEL_URL_LIMIT:
                sheet.write_url(index, col, value, link, string=value)
            else:
                sheet.write(index, col, "" if value is None else value)
        last = index
    sheet.autofilter(0, 0, max(last, 1), len(COLUMNS) - 1)
    workbook.close()
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
