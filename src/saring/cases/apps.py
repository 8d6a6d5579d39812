from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "saring.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from saring.cases import proposals

        proposals.register()
