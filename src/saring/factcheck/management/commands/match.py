"""`saring match posts [--from-id A] [--to-id B] [--chunk N] [--json]` and
`saring match clarification ID [--json]`: what the background workers do after an import and
after a publication, run by hand (saring.factcheck.jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saring.factcheck import jobs
from saring.factcheck.models import Clarification
from saring.kernel.jobs import add_range_arguments, check_range, progress_of, write_result


class Command(BaseCommand):
    help = (
        "Link posts to the published clarifications they repeat: `posts` matches the posts of "
        "an id range (default: every post) against every published clarification; "
        "`clarification ID` matches one published clarification backwards against the "
        "existing posts. Reviewers' decisions are never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["posts", "clarification"])
        parser.add_argument("id", nargs="?", type=int, help="clarification: its id")
        add_range_arguments(parser, chunk=jobs.MATCH_CHUNK)
        parser.add_argument("--json", action="store_true", help="Print the summary as JSON.")

    def handle(self, *args, what: str, id: int | None, **options):
        if what == "clarification":
            if id is None:
                raise CommandError("match clarification needs its ID")
            try:
                result = jobs.match_clarification(id)
            except Clarification.DoesNotExist as error:
                raise CommandError(f"there is no clarification {id}") from error
        else:
            if id is not None:
                raise CommandError("match posts takes --from-id/--to-id, not an ID")
            first, last, chunk = options["from_id"], options["to_id"], options["chunk"]
            check_range(first, last, chunk)
            result = jobs.match_posts(first, last, chunk=chunk, progress=progress_of(self, options))
        write_result(self, result, options)
