"""Training and training-CSV errors worded for analysts, in the reader's language.

The classifier (`saring.text.classify`) and the CSV reader raise errors with a `code` and
`params`; a failed version keeps them (`HarmModel.metrics["error"]`) so the Models page words
them in whichever language its reader uses, not the worker's.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from saring.kernel.wording import Wording

# The classifier's and the CSV reader's error codes, worded for analysts (see TrainingError).
_MESSAGES = {
    "too_few_rows": gettext_noop(
        "Only %(rows)s labelled texts; at least %(needed)s are needed to train."
    ),
    "too_few_distinct": gettext_noop(
        "Only %(rows)s different texts once duplicates are merged; at least %(needed)s are needed."
    ),
    "empty_texts": gettext_noop("%(count)s texts are empty (rows %(rows)s)."),
    "one_class": gettext_noop(
        "Label %(label)s has only one class: every text is %(only)s. Add examples of the other."
    ),
    "rare_class": gettext_noop(
        "Label %(label)s has only %(count)s examples of its rarer class; at least %(needed)s "
        "are needed."
    ),
    "conflicts": gettext_noop("%(groups)s groups of identical texts have contradicting labels."),
    "no_text_column": gettext_noop(
        "%(file)s: no text column (%(expected)s). Columns found: %(found)s."
    ),
    "no_label_column": gettext_noop(
        "%(file)s: no 0/1 column %(label)s. 0/1 columns found: %(found)s."
    ),
    "unreadable": gettext_noop("%(file)s cannot be read as CSV: %(reason)s"),
    "binary_file": gettext_noop(
        "%(file)s is not a CSV text file (a spreadsheet or UTF-16?): save it as CSV (UTF-8) and "
        "upload it again."
    ),
    "no_category_column": gettext_noop(
        "%(file)s: no column names a harm category (columns found: %(found)s; "
        "use category codes or names such as HS, Abusive, hoax)."
    ),
    "no_labels": gettext_noop("No label has a positive example yet: label some posts first."),
    "all_skipped": gettext_noop(
        "No label has at least %(needed)s positive and %(needed)s negative examples yet "
        "(%(labels)s): label more posts first."
    ),
}
_NOUNS = {"positive": gettext_noop("positive"), "negative": gettext_noop("negative")}

describe = Wording(_MESSAGES, _NOUNS)
