"""`saring demo`: a working Saring with synthetic Pemilu 2024 data, in one command."""

from __future__ import annotations

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from saring.accounts.models import Membership, Organisation
from saring.accounts.services import ensure_member, ensure_organisation
from saring.demo.generator import write_jsonl
from saring.monitoring.progress import ProgressBar
from saring.monitoring.services.ingest import ingest_file

DEMO_PASSWORD = "saring-demo-2024"  # noqa: S105 - printed to the user; demo accounts only
# username, organisation, kind, province, regency, role
DEMO_ACCOUNTS = (
    ("admin", "KPU RI", Organisation.Kind.KPU, None, None, Membership.Role.ADMIN),
    (
        "analis.jabar",
        "KPU Provinsi Jawa Barat",
        Organisation.Kind.KPU,
        "32",
        None,
        Membership.Role.ANALYST,
    ),
    (
        "admin.jabar",
        "KPU Provinsi Jawa Barat",
        Organisation.Kind.KPU,
        "32",
        None,
        Membership.Role.ADMIN,
    ),
    (
        "pemantau.bandung",
        "KPU Kota Bandung",
        Organisation.Kind.KPU,
        "32",
        "32.73",
        Membership.Role.VIEWER,
    ),
    ("bawaslu", "Bawaslu RI", Organisation.Kind.BAWASLU, None, None, Membership.Role.ANALYST),
    (
        "bawaslu.jatim",
        "Bawaslu Provinsi Jawa Timur",
        Organisation.Kind.BAWASLU,
        "35",
        None,
        Membership.Role.ANALYST,
    ),
    ("komdigi", "Komdigi", Organisation.Kind.KOMDIGI, None, None, Membership.Role.VIEWER),
)


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
        for username, org_name, kind, province, regency, role in DEMO_ACCOUNTS:
            org = ensure_organisation(org_name, kind, province, regency)
            ensure_member(username, DEMO_PASSWORD, org, role, superuser=username == "admin")
        folder = settings.DATA_DIR / "demo"
        folder.mkdir(exist_ok=True)
        path = folder / f"pemilu2024-demo-{posts}-{seed}.jsonl"
        if not path.exists():
            self.stdout.write(f"Writing {posts:,} synthetic posts to {path}…")
            partial = path.with_suffix(".partial")
            write_jsonl(partial, n_posts=posts, seed=seed)
            partial.replace(path)  # never leave a half-written file that looks complete
        bar = ProgressBar(sys.stderr, label="demo") if sys.stderr.isatty() else None
        summary = ingest_file(path, "generic-jsonl", progress=bar.update if bar else None)
        if bar:
            bar.close()
        self.stdout.write(
            f"Demo data: {summary.created:,} new posts, {summary.updated:,} engagement updates, "
            f"{summary.unchanged:,} already loaded, in {summary.seconds:.0f} s."
        )
        published = _demo_clarifications()
        self.stdout.write(
            f"{published} KPU clarifications of the demo's hoax narratives are published; "
            "posts are linked to them and grouped into narratives by the background worker."
        )
        host, _, port = addrport.rpartition(":")
        self.stdout.write(
            self.style.SUCCESS(
                f"\nOpen http://{host or '127.0.0.1'}:{port}/ and log in as 'admin' "
                f"(national) or 'analis.jabar' (KPU Jawa Barat), password '{DEMO_PASSWORD}'.\n"
            )
        )
        if serve:
            call_command("serve", addrport)


def _demo_clarifications() -> int:
    """One published KPU clarification per hoax narrative of the demo data (idempotent)."""
    from saring.accounts.scope import scope_for
    from saring.demo.narratives import NARRATIVES
    from saring.factcheck.models import Clarification
    from saring.factcheck.services import save_clarification

    admin = get_user_model().objects.get(username="admin")
    for narrative in NARRATIVES:
        url = f"https://demo.saring.invalid/klarifikasi/{narrative.slug}"
        existing = Clarification.objects.filter(url=url).first()
        if existing is not None:
            continue
        clarification = save_clarification(
            scope_for(admin),
            claim_text=narrative.title,
            headline=narrative.title[:1].upper() + narrative.title[1:],
            verdict=narrative.verdict,
            explanation=narrative.fact[:1].upper() + narrative.fact[1:],
            url=url,
            publisher="KPU RI (demo)",
            publish=True,
        )
        Clarification.objects.filter(id=clarification.id).update(external_id=url)
    return len(NARRATIVES)
