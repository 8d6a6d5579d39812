from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuideConfig(AppConfig):
    name = "saring.guide"
    verbose_name = _("Public guide")

    def ready(self) -> None:
        from saring.guide import hooks

        hooks.register()
