"""`saring demo`: a working Saring with synthetic Pemilu 2024 data, in one command."""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from saring.demo import services
from saring.monitoring.progress import ProgressBar
from saring.monitoring.services.ingest import ingest_file


class Command(BaseCommand):
    help = (
        "Load the synthetic Pemilu 2024 demo data (about 50,000 posts) and demo accounts; "
        "with --serve, start Saring afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posts", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--serve", action="store_true", help="Serve Saring when loaded.")
        parser.add_argument("--addrport", default="127.0.0.1:8000")

    def handle(self, *args, posts: int, seed: int, serve: bool, addrport: str, **options):
        if settings.SARING_ENV == "production":
            raise CommandError(
                "the demo creates accounts with a public password; it refuses "
                "to run with SARING_ENV=production"
            )
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        services.ensure_demo_accounts()
        registry = services.ensure_demo_registry()  # before the posts: who speaks in them
        self.stdout.write(
            f"Known accounts: {registry['created']:,} added, "
            f"{registry['updated'] + registry['unchanged']:,} already registered."
        )
        path = services.demo_posts_file(posts, seed, self.stdout.write)
        bar = ProgressBar(sys.stderr, label="demo") if sys.stderr.isatty() else None
        summary = ingest_file(path, "generic-jsonl", progress=bar.update if bar else None)
        if bar:
            bar.close()
        # Impostors of official accounts and campaign accounts in the quiet period.
        ingest_file(services.demo_speakers_file(), "generic-jsonl")
        self.stdout.write(
            f"Demo data: {summary.created:,} new posts, {summary.updated:,} engagement updates, "
            f"{summary.unchanged:,} already loaded, in {summary.seconds:.0f} s."
        )
        published = services.publish_demo_clarifications()
        self.stdout.write(
            f"{published} KPU clarifications of the demo's hoax narratives are published; "
            "posts are linked to them and grouped into narratives by the background worker."
        )
        # Last: cases link to the demo posts imported above (saring.cases.demo).
        from saring.cases.demo import build_demo_cases

        build_demo_cases(self.stdout, password=services.DEMO_PASSWORD)
        # INFORM: the public guide (drafted and approved by two officers, then built) and a
        # recipient list with a draft broadcast (saring.guide.demo, saring.broadcasts.demo).
        from saring.broadcasts.demo import build_demo_broadcasts
        from saring.guide.demo import build_demo_guide

        build_demo_guide(self.stdout, password=services.DEMO_PASSWORD)
        build_demo_broadcasts(self.stdout)
        host, _, port = addrport.rpartition(":")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOpen http://{host or '127.0.0.1'}:{port}/ and log in as 'admin' "
                f"(national) or 'analis.jabar' (KPU Jawa Barat), "
                f"password '{services.DEMO_PASSWORD}'.\n"
            )
        )
        if serve:
            call_command("serve", addrport)
