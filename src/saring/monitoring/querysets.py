"""Reads for the monitoring context. Views, API and exports read through these methods."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models.expressions import RawSQL

from saring.monitoring.search import (
    fts5_any,
    fts5_query,
    matching_ids_sql,
    tsquery,
    tsquery_any,
)

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
        if not query.strip():
            return self
        sqlite = connection.vendor == "sqlite"
        return self._full_text(fts5_query(query) if sqlite else tsquery(query))

    def matching_any(self, words: list[str], limit: int = 1000):
        """The `limit` posts most relevant to any of the (already normalised) words: BM25 rank
        on SQLite FTS5, ts_rank on PostgreSQL. Used to shortlist candidates, not for display."""
        sqlite = connection.vendor == "sqlite"
        return self._full_text(fts5_any(words) if sqlite else tsquery_any(words), limit=limit)

    def _full_text(self, engine_query: str, limit: int | None = None):
        if not engine_query:
            return self.none()
        ranked = limit is not None
        params = [engine_query]
        if ranked:
            params += ([] if connection.vendor == "sqlite" else [engine_query]) + [limit]
        # The SQL is built from constants (the PostgreSQL document expression equals the GIN
        # index's, migration 0002); the user's words only ever travel as parameters.
        sql = matching_ids_sql(connection.vendor, ranked)
        return self.filter(id__in=RawSQL(sql, params))  # noqa: S611


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
