from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.audit.actions import Action


class AppendOnlyError(Exception):
    """An audit event was about to be changed or deleted through the ORM."""


class AuditEvent(models.Model):
    """One recorded action, chained to the previous event by `prev_hash`.

    Names are copied (not foreign keys) so that deleting a user or an organisation neither
    edits the trail nor breaks its hashes; `seq` and `prev_hash` are unique, so two writers can
    never fork the chain (the second one retries on the new tail).
    """

    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.PositiveIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    organisation_id = models.PositiveIntegerField(_("organisation id"), null=True, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # An Action value; not a `choices` field, so a new action needs no migration.
    action = models.CharField(_("action"), max_length=40, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    from_state = models.CharField(_("from"), max_length=40, blank=True)
    to_state = models.CharField(_("to"), max_length=40, blank=True)
    reason = models.TextField(_("why"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, unique=True, verbose_name=_("previous hash"))
    hash = models.CharField(max_length=64, unique=True, verbose_name=_("hash"))

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.subject_type}:{self.subject_id}"

    def save(self, *args, **kwargs):
        # Append-only: the one write an event ever gets is its insert (services.record).
        if not self._state.adding:
            raise AppendOnlyError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events are never deleted")

    @property
    def action_label(self) -> str:
        try:
            return str(Action(self.action).label)
        except ValueError:
            return self.action
