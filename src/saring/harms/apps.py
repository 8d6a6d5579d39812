from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmsConfig(AppConfig):
    name = "saring.harms"
    verbose_name = _("Harm labels and classifiers")

    def ready(self) -> None:
        from saring.harms.hooks import queue_scoring_of_run
        from saring.monitoring.services.ingest import AFTER_IMPORT

        if queue_scoring_of_run not in AFTER_IMPORT:
            AFTER_IMPORT.append(queue_scoring_of_run)
