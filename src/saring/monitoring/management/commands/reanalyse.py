"""`saring reanalyse [--from-id A] [--to-id B] [--chunk N] [--json]`: recompute the text
analysis (normalised text, language, election relevance) of stored posts, and with it what
search finds, after the analysis changed (saring.monitoring.services.reanalysis)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from saring.kernel.jobs import add_range_arguments, check_range, progress_of, write_result
from saring.monitoring.services.reanalysis import CHUNK, reanalyse_posts


class Command(BaseCommand):
    help = (
        "Recompute the normalised text, language and election relevance of stored posts "
        "(default every post) after an upgrade of the text analysis; search follows."
    )

    def add_arguments(self, parser):
        add_range_arguments(parser, chunk=CHUNK)
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, from_id, to_id, chunk, **options):
        check_range(from_id, to_id, chunk)
        result = reanalyse_posts(from_id, to_id, chunk=chunk, progress=progress_of(self, options))
        write_result(self, result, options)
