"""Broadcasts: one message, composed once, sent to recipient lists over SMS, WhatsApp or e-mail.

Phone numbers and e-mail addresses are personal data: a `Recipient` keeps the address encrypted
(`address_encrypted`, Fernet with the deployment's key), a keyed hash (`address_hash`) to find
duplicates and opt-outs without decrypting, and a masked form (`masked`) that is all a screen
shows. A `Delivery` row exists per (broadcast, recipient) before anything is sent; its `key` is
the idempotency key the gateway receives, so a broadcast killed mid-way resumes without sending
anything twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saring.accounts.models import RegionScoped


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("E-mail")


class RecipientList(RegionScoped):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    size = models.PositiveIntegerField(_("recipients"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("recipient list")
        verbose_name_plural = _("recipient lists")

    def __str__(self) -> str:
        return self.name


class Recipient(models.Model):
    """One address on one list; the region is where the recipient lives (reach per region)."""

    recipient_list = models.ForeignKey(
        RecipientList,
        on_delete=models.CASCADE,
        related_name="recipients",
        verbose_name=_("list"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address_hash = models.CharField(_("address fingerprint"), max_length=64)
    address_encrypted = models.BinaryField(_("address (encrypted)"))
    masked = models.CharField(_("address"), max_length=40)
    province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency/city"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient_list", "channel", "address_hash"],
                name="broadcast_recipient_once_per_list",
            )
        ]
        indexes = [models.Index(fields=["address_hash"], name="broadcast_recipient_hash")]

    def __str__(self) -> str:
        return self.masked


class ImportRow(models.Model):
    """A CSV row that could not be imported (quarantine): line, reason and the raw row with the
    address masked; fixed rows are re-run from the list's page."""

    recipient_list = models.ForeignKey(
        RecipientList,
        on_delete=models.CASCADE,
        related_name="rejected_rows",
        verbose_name=_("list"),
    )
    file_name = models.CharField(_("file"), max_length=300)
    line = models.PositiveIntegerField(_("line"))
    reason = models.CharField(_("reason"), max_length=300)
    raw_encrypted = models.BinaryField(_("row (encrypted)"))
    masked = models.CharField(_("row"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["recipient_list", "line"]
        verbose_name = _("rejected recipient row")
        verbose_name_plural = _("rejected recipient rows")

    def __str__(self) -> str:
        return f"{self.file_name}:{self.line}"


class OptOut(models.Model):
    """An address that said STOP (or was taken off by an officer): honoured across every list."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address_hash = models.CharField(_("address fingerprint"), max_length=64)
    source = models.CharField(_("how"), max_length=40)  # "sms:STOP", "officer", "import"
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "address_hash"], name="broadcast_optout_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} opt-out {self.address_hash[:8]}"


class Broadcast(RegionScoped):
    """One message to the recipients of some lists, optionally only those in one region."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        DONE = "done", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("message"))
    subject = models.CharField(_("e-mail subject"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    lists = models.ManyToManyField(
        RecipientList, related_name="broadcasts", verbose_name=_("lists")
    )
    target_province = models.ForeignKey(
        "regions.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only recipients in province"),
    )
    target_regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("only recipients in regency/city"),
    )
    announcement = models.ForeignKey(
        "guide.Entry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("announcement"),
    )
    rate_per_second = models.PositiveIntegerField(_("messages per second"), default=50)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    # Counters the sender keeps as it goes (reach per region is counted from deliveries).
    planned = models.PositiveIntegerField(_("recipients"), default=0)
    sent = models.PositiveIntegerField(_("sent"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped (opted out)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message to one recipient. Written as `queued` before the gateway is called, so a
    resumed run knows what may already have left (and re-sends it with the same `key`)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped (opted out)")

    broadcast = models.ForeignKey(
        Broadcast, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("broadcast")
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient")
    )
    key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    gateway_id = models.CharField(_("gateway message id"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "recipient"], name="broadcast_delivery_once"
            )
        ]
        indexes = [
            models.Index(fields=["broadcast", "state"], name="broadcast_delivery_state"),
            models.Index(fields=["gateway_id"], name="broadcast_delivery_gateway"),
        ]

    def __str__(self) -> str:
        return f"{self.broadcast_id}/{self.recipient_id} {self.state}"


class Receipt(models.Model):
    """A delivery receipt from a gateway callback, kept as received; `delivery` is empty when
    it names a message Saring did not send (kept for the operator, never an error)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    gateway_id = models.CharField(_("gateway message id"), max_length=100)
    status = models.CharField(_("status"), max_length=40)
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("delivery"),
    )
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        # The sender links receipts that arrived before it recorded the gateway's ids.
        indexes = [models.Index(fields=["channel", "gateway_id"], name="broadcast_receipt_gateway")]

    def __str__(self) -> str:
        return f"{self.gateway_id} {self.status}"
