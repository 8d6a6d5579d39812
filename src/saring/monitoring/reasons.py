"""Why a record was quarantined, in the reader's language (the codes of `RecordError`).

A reason with no code, or a code this catalogue does not know (a newer reader's, an older
row's), is never shown in the parser's English alone: the reader gets a sentence in their own
language, with the technical text after it as a detail to pass on."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_noop

from saring.kernel.wording import Wording

GENERIC = gettext_noop("This record could not be read. Technical detail: %(detail)s")
GENERIC_BARE = gettext_noop("This record could not be read.")


class Reasons(Wording):
    def __call__(self, code: str, params: Mapping | None = None, fallback: str = "") -> str:
        worded = super().__call__(code, params, "")
        if worded:
            return worded
        if fallback.strip():
            return gettext(GENERIC) % {"detail": fallback.strip()}
        return gettext(GENERIC_BARE)


describe_reason = Reasons(
    {
        "invalid_json": gettext_noop("Not valid JSON (%(detail)s)."),
        "missing_value": gettext_noop("The value is missing."),
        "missing_field": gettext_noop("The field is missing (accepted names: %(aliases)s)."),
        "id_scientific": gettext_noop(
            "The id %(value)s was turned into scientific notation by a spreadsheet: format the "
            "column as text and export again."
        ),
        "unreadable_date": gettext_noop("The date %(value)s is impossible or unreadable."),
        "date_before": gettext_noop("The date %(value)s is before 1990."),
        "date_future": gettext_noop("The date %(value)s is in the future."),
        "no_verdict": gettext_noop("The verdict (%(where)s) is missing."),
        "no_claim": gettext_noop("The claim (%(where)s) is missing."),
        "no_identifier": gettext_noop("An id or a URL is needed."),
        "no_narasi": gettext_noop("There is no NARASI section (the claim as it circulated)."),
        "no_article_verdict": gettext_noop(
            "No verdict: expected a title like '[SALAH] …' or one in the URL."
        ),
        "withheld": gettext_noop("The post is withheld or deleted on the platform."),
        # issue 9: what the readers and the importer say about a record they could not take
        "unclosed_quote": gettext_noop(
            "A quote opened on line %(line)s is never closed (the lines after it were read on "
            "their own): close it, remove the __unclosed_quote__ key and retry."
        ),
        "truncated_row": gettext_noop(
            "The file stops in the middle of this row (line %(line)s): complete it from the "
            "source, remove the __truncated_row__ key and retry."
        ),
        "unreadable_line": gettext_noop("This line cannot be read as CSV (%(detail)s)."),
        "csv_row_unreadable": gettext_noop("This row cannot be read as CSV (%(detail)s)."),
        "overlong": gettext_noop("The line is longer than 64 MB; only its start is kept."),
        "reader_failed": gettext_noop("The reader failed on this record (%(detail)s)."),
        "database_refused": gettext_noop("The database refused this record (%(detail)s)."),
        "foreign_external_id": gettext_noop(
            "The external id belongs to a record of another region or organisation: give this "
            "one its own id."
        ),
        "published_record": gettext_noop(
            "The clarification with this external id is published: only administrators change it."
        ),
        "not_allowed": gettext_noop(
            "The importing account may not write this clarification (its role, region or "
            "organisation does not allow it)."
        ),
    }
)
