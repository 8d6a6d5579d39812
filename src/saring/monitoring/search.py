"""Full-text search plumbing: SQLite FTS5 (embedded) and PostgreSQL tsvector (at scale).

Both index the same columns: the *normalised* text (slang resolved, hashtags split and kept,
see saring.text.normalize), the author handle and the mentions. A query goes through the same
normaliser, so "gk" finds posts that wrote "gak", "nggak" or "tidak"; election words are never
rewritten there ("DPT" is the voter list, not the chat "dapat": `normalize_query`). A single
word also finds the hashtag of that word and, when it splits into known words, those words in
a row: "pemiludamai" finds #PemiluDamai and "pemilu damai". Indexing the normalised text only
(not the raw text as well) halves the index work on the ingest hot path. Posts stored before a
change of the normaliser are brought up to date by `saring reanalyse`.
`PostQuerySet.matching` is the one query interface; `parse_query` turns what a user typed into
terms both engines render.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from saring.text.normalize import normalize_query, split_hashtag

_WORD = re.compile(r"[\w#@]+", re.UNICODE)

SQLITE_FTS_SETUP = [
    # External-content table: the text lives once, in monitoring_post; FTS keeps only the index.
    # New posts are indexed by the ingest service, one INSERT ... SELECT per batch
    # (`index_new_posts`): a per-row AFTER INSERT trigger cost 4x more on the hot path.
    # Updates and deletes are rare and stay with triggers.
    """CREATE VIRTUAL TABLE IF NOT EXISTS monitoring_post_fts USING fts5(
        normalized_text, author_handle, mentions,
        content='monitoring_post', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2 tokenchars '#_'")""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_post_fts_ad AFTER DELETE ON monitoring_post BEGIN
        INSERT INTO monitoring_post_fts(monitoring_post_fts, rowid, normalized_text,
            author_handle, mentions)
        VALUES ('delete', old.id, old.normalized_text, old.author_handle, old.mentions);
    END""",
    """CREATE TRIGGER IF NOT EXISTS monitoring_post_fts_au AFTER UPDATE OF normalized_text,
        author_handle, mentions ON monitoring_post BEGIN
        INSERT INTO monitoring_post_fts(monitoring_post_fts, rowid, normalized_text,
            author_handle, mentions)
        VALUES ('delete', old.id, old.normalized_text, old.author_handle, old.mentions);
        INSERT INTO monitoring_post_fts(rowid, normalized_text, author_handle, mentions)
        VALUES (new.id, new.normalized_text, new.author_handle, new.mentions);
    END""",
]
SQLITE_INDEX_NEW = (
    "INSERT INTO monitoring_post_fts(rowid, normalized_text, author_handle, mentions) "
    "SELECT id, normalized_text, author_handle, mentions FROM monitoring_post WHERE id IN ({})"
)
SQLITE_REBUILD = "INSERT INTO monitoring_post_fts(monitoring_post_fts) VALUES ('rebuild')"
SQLITE_FTS_TEARDOWN = [
    "DROP TRIGGER IF EXISTS monitoring_post_fts_au",
    "DROP TRIGGER IF EXISTS monitoring_post_fts_ad",
    "DROP TABLE IF EXISTS monitoring_post_fts",
]
POSTGRES_FTS_SETUP = [
    """CREATE INDEX IF NOT EXISTS monitoring_post_fts_gin ON monitoring_post USING gin (
        to_tsvector('simple', coalesce(normalized_text, '') || ' ' || coalesce(author_handle, '')
        || ' ' || coalesce(mentions::text, '')))""",
]
POSTGRES_FTS_TEARDOWN = ["DROP INDEX IF EXISTS monitoring_post_fts_gin"]
POSTGRES_DOCUMENT = (
    "to_tsvector('simple', coalesce(monitoring_post.normalized_text, '') || ' ' || "
    "coalesce(monitoring_post.author_handle, '') || ' ' || "
    "coalesce(monitoring_post.mentions::text, ''))"
)


def index_new_posts(post_ids: list[int]) -> None:
    """Add freshly inserted posts to the SQLite full-text index (PostgreSQL's GIN index is
    maintained by the database itself). Call inside the transaction that inserted them."""
    if not post_ids or connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for start in range(0, len(post_ids), 10_000):
            chunk = post_ids[start : start + 10_000]
            cursor.execute(SQLITE_INDEX_NEW.format(", ".join(["%s"] * len(chunk))), chunk)


def ensure_index(using=None) -> bool:
    """Create the SQLite full-text table and triggers when missing; True when something was
    missing (the index is then rebuilt, as it missed the changes made meanwhile).

    SQLite cannot add a column in place for every change: a migration that alters
    monitoring_post copies it to a new table, and the triggers on the old one are dropped
    with it (0008/0009 did). Called after every `migrate` (MonitoringConfig) so no schema
    change leaves edits and deletes of posts unindexed."""
    from django.db import connections

    conn = connections[using] if using else connection
    if conn.vendor != "sqlite":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE name IN "
            "('monitoring_post_fts', 'monitoring_post_fts_ad', 'monitoring_post_fts_au')"
        )
        if cursor.fetchone()[0] == 3:
            return False
        for sql in SQLITE_FTS_SETUP:
            cursor.execute(sql)
        cursor.execute(SQLITE_REBUILD)
    return True


def after_migrate(sender, using=None, **kwargs) -> None:
    """post_migrate receiver: one cheap look at sqlite_master, a repair when needed."""
    ensure_index(using)


def rebuild_index() -> None:
    """Rebuild the full-text index from the posts table (`saring reindex`), restoring its
    triggers if a schema change dropped them."""
    if ensure_index():
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_REBUILD)
        elif connection.vendor == "postgresql":
            cursor.execute("REINDEX INDEX monitoring_post_fts_gin")


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False
    negate: bool = False
    # Other phrases that count as this term (a bare word's hashtag and its split words)
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def phrases(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


def _alternatives(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A bare word also matches its hashtag (indexed as "#word") and its hashtag's words."""
    if len(words) != 1 or not words[0].isalnum():
        return ()
    word = words[0]
    alternatives: list[tuple[str, ...]] = [("#" + word,)]
    pieces = split_hashtag(word)
    if len(pieces) > 1:
        alternatives.append(pieces)
    return tuple(alternatives)


def _query_words(raw: str) -> tuple[str, ...]:
    raw = raw.strip().lower()
    if raw.startswith("@"):  # handles are indexed as written, without '@'
        return tuple(_WORD.findall(raw.lstrip("@")))
    if raw.startswith("#"):
        return (raw,)
    tokens = normalize_query(raw).tokens
    return tuple(w for t in tokens if not t.startswith("<") for w in _WORD.findall(t))


def parse_query(user_query: str) -> list[Term]:
    """Words are ANDed; "quoted words" are a phrase; `word*` a prefix; `-word` excludes.

    Anything else the engines treat as syntax is dropped, so no input can raise.
    """
    terms: list[Term] = []
    for phrase, raw in re.findall(r'"([^"]*)"|(\S+)', user_query):
        if phrase:
            words = tuple(w for part in phrase.split() for w in _query_words(part))
            if words:
                terms.append(Term(words))
            continue
        negate = raw.startswith("-") and len(raw) > 1
        raw = raw[1:] if negate else raw
        prefix = raw.endswith("*")
        # A prefix is matched as typed, not normalised (a word's start has no normal form).
        words = tuple(_WORD.findall(raw.lower().lstrip("@"))) if prefix else _query_words(raw)
        if words:
            alternatives = () if prefix else _alternatives(words)
            terms.append(Term(words, prefix=prefix, negate=negate, alternatives=alternatives))
    return terms


def fts5_query(user_query: str) -> str:
    """The SQLite FTS5 MATCH expression for what a user typed ("" if nothing searchable)."""
    positive, negative = [], []
    for term in parse_query(user_query):
        rendered = " OR ".join('"' + " ".join(words) + '"' for words in term.phrases)
        if term.prefix:
            rendered += "*"
        elif term.alternatives:
            rendered = f"({rendered})"
        (negative if term.negate else positive).append(rendered)
    if not positive:
        return ""
    return " AND ".join(positive) + "".join(f" NOT {n}" for n in negative)


def _pg_lexeme(word: str, prefix: bool = False) -> str:
    return "'" + word.replace("'", "''").replace("\\", "") + "'" + (":*" if prefix else "")


def fts5_any(words: list[str]) -> str:
    """FTS5 expression for posts containing any of the (already normalised) words."""
    return " OR ".join('"' + w.replace('"', "") + '"' for w in words if w)


def tsquery_any(words: list[str]) -> str:
    return " | ".join(_pg_lexeme(w) for w in words if w)


def matching_ids_sql(vendor: str, ranked: bool) -> str:
    """SQL selecting post ids for one full-text query parameter (twice when ranked on
    PostgreSQL), optionally ordered by relevance and limited by a last parameter."""
    if vendor == "sqlite":
        sql = "SELECT rowid FROM monitoring_post_fts WHERE monitoring_post_fts MATCH %s"
        return sql + (" ORDER BY rank LIMIT %s" if ranked else "")
    # A constant expression and placeholders only: user words are always parameters.
    sql = f"SELECT id FROM monitoring_post WHERE {POSTGRES_DOCUMENT} @@ to_tsquery('simple', %s)"  # noqa: S608
    if ranked:
        sql += f" ORDER BY ts_rank({POSTGRES_DOCUMENT}, to_tsquery('simple', %s)) DESC LIMIT %s"
    return sql


def tsquery(user_query: str) -> str:
    """The PostgreSQL to_tsquery('simple', …) expression for the same query."""

    parts = []
    for term in parse_query(user_query):
        phrases = []
        for phrase in term.phrases:
            words = [_pg_lexeme(w) for w in phrase[:-1]] + [_pg_lexeme(phrase[-1], term.prefix)]
            phrases.append("(" + " <-> ".join(words) + ")")
        rendered = phrases[0] if len(phrases) == 1 else "(" + " | ".join(phrases) + ")"
        parts.append(("!" if term.negate else "") + rendered)
    if not any(not p.startswith("!") for p in parts):
        return ""
    return " & ".join(parts)
