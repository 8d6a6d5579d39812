from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.api.querysets import ApiTokenQuerySet


class ApiToken(models.Model):
    """A partner's key to /api/v1/: acts as its user, within that user's scope.

    Only a SHA-256 hash of the token is stored; `prefix` (shown in lists and in the token
    itself) finds the row. A token is tied to the organisation its user had when it was made:
    it stops working if the user moves to another organisation, and when revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,  # a superuser's token: national, every kind
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=8, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("token hash"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name or 'token'} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
