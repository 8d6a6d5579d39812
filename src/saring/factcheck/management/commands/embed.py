"""`saring embed clarifications [--id N …] [--json]`: store the clarifications' vectors, as a
worker does after an import (saring.factcheck.jobs)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from saring.factcheck import jobs
from saring.kernel.jobs import add_ids_argument, progress_of, write_result


class Command(BaseCommand):
    help = (
        "Encode clarifications with the embedder (SARING_EMBEDDER) and store their vectors, "
        "so every worker's matcher finds them instead of encoding them itself; those already "
        "stored are kept. Default: every published clarification."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["clarifications"])
        add_ids_argument(parser, "only these clarifications (drafts too)")
        parser.add_argument(
            "--chunk", type=int, default=jobs.EMBED_CHUNK, help="clarifications per chunk"
        )

    def handle(self, *args, what: str, ids: list[int] | None, chunk: int, **options):
        if chunk < 1:
            raise CommandError(f"--chunk must be at least 1, not {chunk}")
        result = jobs.embed_clarifications(ids, chunk=chunk, progress=progress_of(self, options))
        write_result(self, result, options)
