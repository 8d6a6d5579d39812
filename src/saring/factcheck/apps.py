from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactcheckConfig(AppConfig):
    name = "saring.factcheck"
    verbose_name = _("Claims and clarifications")
