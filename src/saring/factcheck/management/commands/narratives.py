"""`saring narratives cluster [--from-id A] [--to-id B] [--chunk N] [--json]`: group posts into
narratives, as the workers do after an import (saring.factcheck.jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from saring.factcheck import jobs
from saring.kernel.jobs import add_range_arguments, check_range, progress_of, write_result


class Command(BaseCommand):
    help = (
        "Add the posts of an id range (default: every post) that are in no narrative yet to "
        "the narratives: copies join their family, the rest start new ones. Numbers never "
        "change; merges are recorded. Safe to re-run."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["cluster"])
        add_range_arguments(parser, chunk=jobs.CLUSTER_CHUNK)
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(
        self, *args, what: str, from_id: int | None, to_id: int | None, chunk: int, **options
    ):
        check_range(from_id, to_id, chunk)
        result = jobs.cluster_posts(
            from_id, to_id, chunk=chunk, progress=progress_of(self, options)
        )
        write_result(self, result, options)
