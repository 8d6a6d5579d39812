"""`saring build_match_data --out DIR [--shared ../shared/data] [--seed N]`.

Writes the claim-matching evaluation files (``<set>-clarifications.csv``,
``<set>-posts-tune.csv``, ``<set>-posts-test.csv`` for ``mafindo`` and ``turnbackhoax``) from the
shared reference data, split by clarification. Never write them into the repository.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build claim-matching evaluation CSVs from ../shared/data (split by clarification)."

    def add_arguments(self, parser):
        from saring.evaluation.claim_data import DEFAULT_SEED

        parser.add_argument("--out", required=True, help="Output folder (outside the repository)")
        parser.add_argument("--shared", default="../shared/data", help="Shared data folder")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, out: str, shared: str, seed: int, **options):
        from saring.evaluation.claim_data import build_all

        shared_dir = Path(shared)
        if not shared_dir.is_dir():
            raise CommandError(
                f"{shared_dir} not found: the claim data sets (claims-mafindo, "
                "claims-turnbackhoax2019) live beside the project, not in it. Skipping."
            )
        built = build_all(shared_dir, Path(out), seed)
        if not built:
            raise CommandError(f"no claim data set under {shared_dir}")
        for data in built:
            self.stdout.write(data.summary())
        self.stdout.write(f"written to {out} (seed {seed})")
