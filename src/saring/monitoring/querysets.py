"""Reads for the monitoring context. Views, API and exports read through these methods."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models.expressions import RawSQL

from saring.monitoring.search import POSTGRES_DOCUMENT, fts5_query, tsquery

if TYPE_CHECKING:
    from saring.accounts.scope import Scope


class PostQuerySet(models.QuerySet):
    def in_region(self, province_code: str | None, regency_code: str | None = None):
        if regency_code:
            return self.filter(regency_id=regency_code)
        if province_code:
            return self.filter(province_id=province_code)
        return self

    def between(self, start: datetime | None, end: datetime | None):
        qs = self
        if start:
            qs = qs.filter(created_at__gte=start)
        if end:
            qs = qs.filter(created_at__lt=end)
        return qs

    def flagged(self, scope: Scope, category_code: str | None = None):
        """Posts with a flag the scope may see (optionally of one category)."""
        from saring.monitoring.models import PostFlag

        flags = PostFlag.objects.visible_to(scope)
        if category_code:
            flags = flags.filter(category__code=category_code)
        return self.filter(id__in=flags.values("post_id"))

    def matching(self, query: str):
        """Full-text search (normalised text, author, mentions); one interface, two engines."""
        query = query.strip()
        if not query:
            return self
        if connection.vendor == "sqlite":
            fts = fts5_query(query)
            if not fts:
                return self.none()
            return self.filter(
                id__in=RawSQL(
                    "SELECT rowid FROM monitoring_post_fts WHERE monitoring_post_fts MATCH %s",
                    [fts],
                )
            )
        query = tsquery(query)
        if not query:
            return self.none()
        # PostgreSQL: the document expression equals the GIN index's (migration 0002).
        # The SQL is a constant; the user's words only ever travel as the %s parameter.
        return self.filter(
            id__in=RawSQL(  # noqa: S611
                f"SELECT id FROM monitoring_post WHERE {POSTGRES_DOCUMENT} "  # noqa: S608
                "@@ to_tsquery('simple', %s)",
                [query],
            )
        )

    def matching_any(self, words: list[str], limit: int = 1000):
        """The `limit` posts most relevant to any of the (already normalised) words: BM25 rank
        on SQLite FTS5, ts_rank on PostgreSQL. Used to shortlist candidates, not for display."""
        words = [w for w in words if w]
        if not words:
            return self.none()
        if connection.vendor == "sqlite":
            query = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
            return self.filter(
                id__in=RawSQL(
                    "SELECT rowid FROM monitoring_post_fts WHERE monitoring_post_fts MATCH %s "
                    "ORDER BY rank LIMIT %s",
                    [query, limit],
                )
            )
        query = " | ".join("'" + w.replace("'", "''").replace("\\", "") + "'" for w in words)
        return self.filter(
            id__in=RawSQL(  # noqa: S611
                f"SELECT id FROM monitoring_post WHERE {POSTGRES_DOCUMENT} "  # noqa: S608
                "@@ to_tsquery('simple', %s) "
                f"ORDER BY ts_rank({POSTGRES_DOCUMENT}, to_tsquery('simple', %s)) DESC LIMIT %s",
                [query, query, limit],
            )
        )


class WatchlistQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q())


class PostFlagQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q("watchlist__"))


class ImportRunQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q())


class QuarantineQuerySet(models.QuerySet):
    def visible_to(self, scope: Scope):
        return self.filter(scope.visible_q("run__"))

    def open(self):
        return self.filter(status="open")
