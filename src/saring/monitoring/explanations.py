"""A post page's explanations in the reader's language: why a watchlist term matched, and how
virality was computed.

The pure text layer (`saring.text.morphology`, `saring.text.virality`) writes them in English
words that are stored with the post ("me-…-kan form of 'curang' with -nya", "growth between the
last two observations, 3.0 h apart (4 observations)"). Their shapes are few and fixed, so they
are read back here into a code and parameters and worded from a catalogue when a page shows
them: old rows and new ones alike, with no stored format to migrate. A text of another shape
(a later wording) is shown as stored.
"""

from __future__ import annotations

import re

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

# -- watchlist rules ---------------------------------------------------------------------------

RULE_ITSELF = gettext_noop("'%(root)s' itself")
RULE_FORM = gettext_noop("%(label)s form of '%(root)s'")
RULE_CLITIC = gettext_noop("%(rule)s with -%(clitic)s")
RULE_PHRASE = gettext_noop("phrase '%(term)s'")
RULE_NOTE = gettext_noop("'%(surface)s' is the %(rule)s")
LABEL_COLLOQUIAL = gettext_noop("colloquial %(affix)s")
LABEL_REDUPLICATED = gettext_noop("reduplicated")
LABEL_REDUPLICATED_AFFIX = gettext_noop("reduplicated %(affix)s")
LABEL_WRITTEN_WITH_2 = gettext_noop("%(label)s (written with 2)")

_CLITIC = re.compile(r"^(?P<rule>.+) with -(?P<clitic>[a-z]+)$")
_ITSELF = re.compile(r"^'(?P<root>[^']*)' itself$")
_FORM = re.compile(r"^(?P<label>.+) form of '(?P<root>[^']*)'$")
_PHRASE = re.compile(r"^phrase '(?P<term>[^']*)'(?: \((?P<notes>.*)\))?$")
_NOTE = re.compile(r"^'(?P<surface>[^']*)' is the (?P<rule>.+)$")
_AFFIX = re.compile(r"^[A-Za-z]*-?(?:…)?-?[a-z]*$")  # me-, me-…-kan, -an, N-…-i


def _label(label: str) -> str | None:
    if label.endswith(" (written with 2)"):
        inner = _label(label.removesuffix(" (written with 2)"))
        return None if inner is None else gettext(LABEL_WRITTEN_WITH_2) % {"label": inner}
    if label == "reduplicated":
        return gettext(LABEL_REDUPLICATED)
    if label.startswith("reduplicated "):
        return gettext(LABEL_REDUPLICATED_AFFIX) % {"affix": label.removeprefix("reduplicated ")}
    if label.startswith("colloquial "):
        return gettext(LABEL_COLLOQUIAL) % {"affix": label.removeprefix("colloquial ")}
    return label if _AFFIX.match(label) else None


def _word_rule(rule: str) -> str | None:
    clitic = _CLITIC.match(rule)
    if clitic:
        inner = _word_rule(clitic["rule"])
        if inner is None:
            return None
        return gettext(RULE_CLITIC) % {"rule": inner, "clitic": clitic["clitic"]}
    itself = _ITSELF.match(rule)
    if itself:
        return gettext(RULE_ITSELF) % {"root": itself["root"]}
    form = _FORM.match(rule)
    if form:
        label = _label(form["label"])
        return (
            None if label is None else gettext(RULE_FORM) % {"label": label, "root": form["root"]}
        )
    return None


def describe_rule(rule: str) -> str:
    """A watchlist hit's rule in the active language (as stored when its shape is unknown)."""
    phrase = _PHRASE.match(rule)
    if phrase:
        text = gettext(RULE_PHRASE) % {"term": phrase["term"]}
        if not phrase["notes"]:
            return text
        notes = []
        for note in phrase["notes"].split("; "):
            parts = _NOTE.match(note)
            worded = _word_rule(parts["rule"]) if parts else None
            if worded is None:
                return rule
            notes.append(gettext(RULE_NOTE) % {"surface": parts["surface"], "rule": worded})
        return f"{text} ({'; '.join(notes)})"
    return _word_rule(rule) or rule


# -- virality ----------------------------------------------------------------------------------

VIRALITY = {
    "none": gettext_noop("no engagement counts observed"),
    "growth": gettext_noop(
        "growth between the last two observations, %(hours)s h apart (%(count)s observations)"
    ),
    "age": gettext_noop("engagement per hour of age (%(hours)s h) at the observation"),
    "age_close": gettext_noop(
        "engagement per hour of age (%(hours)s h) at the observation (the last two were less "
        "than a minute apart)"
    ),
}
_GROWTH = re.compile(
    r"^growth between the last two observations, (?P<hours>[\d.]+) h apart "
    r"\((?P<count>\d+) observations\)$"
)
_AGE = re.compile(
    r"^engagement per hour of age \((?P<hours>[\d.]+) h\) at the observation"
    r"(?P<close> \(the last two were less than a minute apart\))?$"
)


def virality_code(basis: str) -> tuple[str, dict[str, float | int]] | None:
    """The code and parameters of a stored virality basis, None for a text of another shape."""
    if basis == "no engagement counts observed":
        return "none", {}
    growth = _GROWTH.match(basis)
    if growth:
        return "growth", {"hours": float(growth["hours"]), "count": int(growth["count"])}
    age = _AGE.match(basis)
    if age:
        return ("age_close" if age["close"] else "age"), {"hours": float(age["hours"])}
    return None


def describe_virality(basis: str) -> str:
    """How a post's virality was computed, in the active language, numbers in its format."""
    coded = virality_code(basis)
    if coded is None:
        return basis
    code, params = coded
    values = {
        "hours": number_format(params.get("hours", 0), decimal_pos=1, use_l10n=True),
        "count": number_format(params.get("count", 0), use_l10n=True, force_grouping=True),
    }
    return gettext(VIRALITY[code]) % values
