"""The HTML a guide body may hold (nh3): a few text tags, links and tables, nothing else.

Every body is cleaned on every save (services.content), so the site, the API and the feeds can
print it as it is. Script and style elements go with their content; other tags are dropped and
their text kept; links keep only http, https, mailto or relative targets and get
rel="noopener".
"""

from __future__ import annotations

import re

import nh3

TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "ul",
        "ol",
        "li",
        "strong",
        "em",
        "a",
        "blockquote",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
CONTENT_REMOVED = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_SPACE = re.compile(r"(?:\s|&nbsp;|&#160;)+")


def clean(html: str) -> str:
    """`html` with everything outside the allowed set removed (see the module docstring)."""
    cleaned = nh3.clean(
        html or "",
        tags=set(TAGS),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener",
        clean_content_tags=set(CONTENT_REMOVED),
        strip_comments=True,
    )
    return cleaned.strip()


def text_of(html: str) -> str:
    """The visible text of a cleaned body (for the "sanitises to nothing" check, excerpts)."""
    text = nh3.clean(html or "", tags=set(), clean_content_tags=set(CONTENT_REMOVED))
    return _SPACE.sub(" ", text).strip()


def is_blank(html: str) -> bool:
    """Whether nothing readable is left once `html` is cleaned."""
    return not text_of(clean(html))
