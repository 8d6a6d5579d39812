"""What a report can be about: the harm taxonomy's top-level categories plus three that are
rules rather than harms. Stored on cases and reports as the code."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from saring.taxonomy.models import HarmCategory

# Not harms of the taxonomy, but what reporters and monitoring raise all the same.
EXTRA: dict[str, tuple[str, object]] = {
    "quiet_period": ("Kampanye di masa tenang", _("Campaigning in the quiet period")),
    "impersonation": ("Akun palsu / meniru akun resmi", _("Impersonating an official account")),
    "other": ("Lainnya", _("Something else")),
}


def choices(language: str = "id") -> list[tuple[str, str]]:
    """(code, plain name) for the form and the API: top-level harms, then the extras."""
    harms = [
        (c.code, c.name(language))
        for c in HarmCategory.objects.filter(parent__isnull=True).order_by("order", "code")
    ]
    extras = [
        (code, name_id if language != "en" else str(name_en))
        for code, (name_id, name_en) in EXTRA.items()
    ]
    return harms + extras


def codes() -> set[str]:
    return {code for code, _name in choices()}


def label(code: str, language: str = "id") -> str:
    return dict(choices(language)).get(code, code)
