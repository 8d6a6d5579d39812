"""Full-text search plumbing: SQLite FTS5 (embedded) and PostgreSQL tsvector (at scale).

Both index the same three columns; `PostQuerySet.matching` is the one query interface.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[\w#@]+", re.UNICODE)

SQLITE_FTS_SETUP = [
    # External-content table: the text lives once, in monitoring_post; FTS keeps only the index.
    """CREATE VIRTUAL TABLE IF NOT EXISTS monitoring_post_fts USING fts5(
        text, normalized_text, author_handle,
        content='monitoring_post', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2 tokenchars '#@'")""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_post_fts_ai AFTER INSERT ON monitoring_post BEGIN
        INSERT INTO monitoring_post_fts(rowid, text, normalized_text, author_handle)
        VALUES (new.id, new.text, new.normalized_text, new.author_handle);
    END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_post_fts_ad AFTER DELETE ON monitoring_post BEGIN
        INSERT INTO monitoring_post_fts(monitoring_post_fts, rowid, text, normalized_text,
            author_handle)
        VALUES ('delete', old.id, old.text, old.normalized_text, old.author_handle);
    END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_post_fts_au AFTER UPDATE OF text, normalized_text,
        author_handle ON monitoring_post BEGIN
        INSERT INTO monitoring_post_fts(monitoring_post_fts, rowid, text, normalized_text,
            author_handle)
        VALUES ('delete', old.id, old.text, old.normalized_text, old.author_handle);
        INSERT INTO monitoring_post_fts(rowid, text, normalized_text, author_handle)
        VALUES (new.id, new.text, new.normalized_text, new.author_handle);
    END""",
]
SQLITE_FTS_TEARDOWN = [
    "DROP TRIGGER IF EXISTS monitoring_post_fts_au",
    "DROP TRIGGER IF EXISTS monitoring_post_fts_ad",
    "DROP TRIGGER IF EXISTS monitoring_post_fts_ai",
    "DROP TABLE IF EXISTS monitoring_post_fts",
]
POSTGRES_FTS_SETUP = [
    """CREATE INDEX IF NOT EXISTS monitoring_post_fts_gin ON monitoring_post USING gin (
        to_tsvector('simple', coalesce(text, '') || ' ' || coalesce(normalized_text, '') || ' '
        || coalesce(author_handle, '')))""",
]
POSTGRES_FTS_TEARDOWN = ["DROP INDEX IF EXISTS monitoring_post_fts_gin"]


def fts5_query(user_query: str) -> str:
    """Turn what a user typed into a safe FTS5 query.

    Words are ANDed; a word ending in `*` is a prefix search; `"quoted words"` stay a phrase;
    `-word` excludes. Everything else FTS5 treats as syntax is dropped, so no input can raise.
    """
    terms: list[str] = []
    excluded: list[str] = []
    for phrase, raw_word in re.findall(r'"([^"]*)"|(\S+)', user_query):
        if phrase:
            words = _WORD.findall(phrase.lower())
            if words:
                terms.append('"' + " ".join(words) + '"')
            continue
        negative = raw_word.startswith("-") and len(raw_word) > 1
        prefix = raw_word.endswith("*")
        for word in _WORD.findall(raw_word.lower()):
            token = f'"{word}"' + ("*" if prefix else "")
            (excluded if negative else terms).append(token)
    if not terms:
        return ""
    query = " AND ".join(terms)
    for token in excluded:
        query += f" NOT {token}"
    return query
