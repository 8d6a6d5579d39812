from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    name = "saring.factcheck"
    verbose_name = _("Claims and clarifications")

    def ready(self) -> None:
        from saring.factcheck.hooks import queue_clustering_of_run, queue_matching_of_run
        from saring.factcheck.imports import register_retry_handlers
        from saring.monitoring.services.ingest import AFTER_IMPORT

        register_retry_handlers()
        for hook in (queue_clustering_of_run, queue_matching_of_run):
            if hook not in AFTER_IMPORT:
                AFTER_IMPORT.append(hook)
