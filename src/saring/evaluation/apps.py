from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    """The project's measurement commands (`eval`, `build_match_data`, `bench`); no models,
    so nothing of it appears in the admin."""

    name = "saring.evaluation"
