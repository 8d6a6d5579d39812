"""Every quarantine reason is worded in Indonesian; an unknown or missing code is too."""

from __future__ import annotations

import ast
from pathlib import Path

import polib
from django.utils import translation

from saring.monitoring.reasons import GENERIC, GENERIC_BARE, describe_reason

SRC = Path(__file__).resolve().parents[2] / "src" / "saring"
PO = SRC / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Where the records that reach the post and clarification quarantine are refused.
READERS = ("sources", "monitoring", "factcheck")


def _raised_codes() -> dict[str, str]:
    """`code=` of every `RecordError(...)` in the readers and importers: code -> where."""
    codes: dict[str, str] = {}
    for package in READERS:
        for path in (SRC / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name != "RecordError":
                    continue
                for keyword in node.keywords:
                    if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                        codes[keyword.value.value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return codes


def test_every_code_a_reader_raises_has_a_wording():
    codes = _raised_codes()
    assert len(codes) > 15  # the scan found the readers
    missing = {
        code: where for code, where in codes.items() if code not in describe_reason.templates
    }
    assert missing == {}


def test_every_wording_has_an_indonesian_translation():
    translated = {e.msgid for e in polib.pofile(str(PO)).translated_entries()}
    texts = [*describe_reason.templates.values(), GENERIC, GENERIC_BARE]
    assert [t for t in texts if t not in translated] == []


def test_an_unknown_code_reads_as_a_translated_sentence_with_the_detail():
    parser_words = "expected a JSON object, got list"
    with translation.override("en"):
        english = describe_reason("a_code_from_a_newer_version", {}, parser_words)
        assert english == f"This record could not be read. Technical detail: {parser_words}"
        assert describe_reason("", None, "") == "This record could not be read."
    with translation.override("id"):
        indonesian = describe_reason("a_code_from_a_newer_version", {}, parser_words)
        bare = describe_reason("", None, "  ")
    assert parser_words in indonesian  # the detail stays, to pass on to whoever fixes the file
    assert not indonesian.startswith("This record")  # but the sentence is Indonesian
    assert bare != "This record could not be read." and bare


def test_a_code_with_parameters_of_an_older_version_falls_back_too():
    with translation.override("en"):
        text = describe_reason("unreadable_date", {"other": 1}, "bad date")
    assert text == "This record could not be read. Technical detail: bad date"
