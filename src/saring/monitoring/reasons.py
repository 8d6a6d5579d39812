"""Why a record was quarantined, in the reader's language (the codes of `RecordError`)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from saring.kernel.wording import Wording

describe_reason = Wording(
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
    }
)
