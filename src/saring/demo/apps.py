from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`saring demo`; no models, so nothing of it appears in the admin."""

    name = "saring.demo"
