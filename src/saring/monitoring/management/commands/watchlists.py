"""`saring watchlists rescore [--id N …] [--stale] [--json]`: recompute watchlist flags, as a
worker does after an edit (saring.monitoring.jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saring.kernel.jobs import add_ids_argument, progress_of, write_result
from saring.monitoring import jobs
from saring.monitoring.models import Watchlist


class Command(BaseCommand):
    help = (
        "Re-score watchlists: recompute their flags on every post (default: every watchlist; "
        "--stale: only those edited since their last re-scoring). A line per watchlist."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["rescore"])
        add_ids_argument(parser, "only these watchlists")
        parser.add_argument(
            "--stale", action="store_true", help="only watchlists edited since their re-scoring"
        )

    def handle(self, *args, what: str, ids: list[int] | None, stale: bool, **options):
        try:
            result = jobs.rescore_watchlists(ids, stale=stale, progress=progress_of(self, options))
        except Watchlist.DoesNotExist as error:
            raise CommandError(str(error)) from error
        write_result(self, result, options)
