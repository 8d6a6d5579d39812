"""Counts are grouped in the reader's locale: Indonesian 12.345, English 12,345."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "saring" / "web" / "templates"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "12.345 · 1.234.567 · 7 · –"), ("en", "12,345 · 1,234,567 · 7 · –")],
)
def test_the_count_filter_groups_in_the_active_language(language, expected):
    template = Template(
        "{% load saring_tags %}{{ a|count }} · {{ b|count }} · {{ c|count }} · {{ d|count }}"
    )
    with translation.override(language):
        assert template.render(Context({"a": 12345, "b": 1234567, "c": 7, "d": None})) == expected


def _run(**counts):
    defaults = dict(read=0, created=0, updated=0, unchanged=0, quarantined=0)
    return SimpleNamespace(
        pk=1,
        status="done",
        format="generic-jsonl",
        seconds=0,
        percent=100,
        error="",
        observed_default=None,
        get_status_display="done",
        **{**defaults, **counts},
    )


def test_a_plural_count_sentence_shows_the_grouped_number():
    """`{% blocktranslate count %}` alone prints the raw number ("12345 records")."""
    context = {"run": _run(read=54321, quarantined=12345), "open_quarantine": 12345}
    with translation.override("id"):
        html = render_to_string("web/_import_progress.html", context)
    assert "54.321" in html and "12.345" in html and "12345" not in html
    with translation.override("en"):
        html = render_to_string("web/_import_progress.html", context)
        assert "See 12,345 quarantined records" in html
        one = render_to_string(
            "web/_import_progress.html", {"run": _run(quarantined=1), "open_quarantine": 1}
        )
    assert "See 1 quarantined record<" in one  # the plural is still chosen by the number


def test_every_count_sentence_and_page_number_in_the_templates_is_formatted():
    """A static sweep: plural sentences print a `|count`-ed value, page numbers too."""
    problems = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"\{% blocktranslate [^%]*%\}", text):
            # minutes of a lockout never reach a thousand; every other count may
            if " count " in tag and "|count" not in tag and "count minutes=" not in tag:
                problems.append(f"{path.name}: {tag}")
            if "page.number" in tag and "page.number|count" not in tag:
                problems.append(f"{path.name}: {tag}")
        for match in re.findall(r"\{\{ [^}]*\|intcomma[^}]*\}\}", text):
            problems.append(f"{path.name}: {match} (use |count)")
    assert problems == []
