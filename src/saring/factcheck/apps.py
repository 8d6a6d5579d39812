from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    name = "saring.factcheck"
    verbose_name = _("Claims and clarifications")

    def ready(self) -> None:
        from saring.factcheck.hooks import queue_clustering_of_run, queue_matching_of_run
        from saring.factcheck.imports import register_retry_handlers
        from saring.kernel.hooks import after_import

        register_retry_handlers()
        after_import(queue_clustering_of_run)
        after_import(queue_matching_of_run)
