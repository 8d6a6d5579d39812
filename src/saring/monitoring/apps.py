from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "saring.monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from saring.monitoring.search import after_migrate

        # A migration that remakes monitoring_post on SQLite drops the full-text triggers.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="monitoring-fts")
        from saring.kernel.hooks import on_calendar_changed, on_registry_changed
        from saring.monitoring.services.speakers import queue_respeak
        from saring.monitoring.services.stages import queue_restage

        on_calendar_changed(queue_restage)
        on_registry_changed(queue_respeak)
