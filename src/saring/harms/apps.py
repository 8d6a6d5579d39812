from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarmsConfig(AppConfig):
    name = "saring.harms"
    verbose_name = _("Harm labels and classifiers")

    def ready(self) -> None:
        from saring.harms.hooks import queue_scoring_of_run
        from saring.kernel.hooks import after_import

        after_import(queue_scoring_of_run)
