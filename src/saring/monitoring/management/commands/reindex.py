"""`saring reindex`: rebuild the full-text search index from the posts table."""

from django.core.management.base import BaseCommand

from saring.monitoring.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index (after a restore or posts written outside Saring)."

    def handle(self, *args, **options):
        rebuild_index()
        self.stdout.write("full-text index rebuilt")
