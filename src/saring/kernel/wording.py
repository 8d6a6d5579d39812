"""Coded messages worded when they are read, in the reader's language.

Pure layers (`saring.sources`, `saring.text`) raise errors with an English message plus a
`code` and `params`; what is stored keeps the code, and a page words it with a catalogue of
`gettext_noop` templates, so an Indonesian officer and an English-speaking partner each read
their own language whatever language the worker ran in.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext


class Wording:
    def __init__(self, templates: Mapping[str, str], words: Mapping[str, str] | None = None):
        self.templates = dict(templates)
        self.words = dict(words or {})  # parameter values that are themselves words to translate

    def __call__(self, code: str, params: Mapping | None = None, fallback: str = "") -> str:
        """The message for `code` in the active language; `fallback` for an unknown code."""
        if code not in self.templates:
            return fallback
        values = {
            key: gettext(self.words[value])
            if isinstance(value, str) and value in self.words
            else value
            for key, value in (params or {}).items()
        }
        try:
            return gettext(self.templates[code]) % values
        except (KeyError, TypeError, ValueError):  # parameters of an older code: say it plainly
            return fallback


def details(error: Exception) -> dict:
    """What a `Wording` needs to word `error` later: its code and parameters ({} if none)."""
    code = getattr(error, "code", "")
    return {"code": code, "params": dict(getattr(error, "params", {}))} if code else {}
