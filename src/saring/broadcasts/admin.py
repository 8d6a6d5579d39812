"""Django admin for broadcasts: read-only (every write goes through the services and their
scope checks). Addresses appear only masked: never the encrypted bytes, never a fingerprint in
full (a fingerprint confirms a guessed number to whoever holds the key)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from saring.broadcasts.models import (
    Broadcast,
    Delivery,
    ImportRow,
    OptOut,
    Receipt,
    Recipient,
    RecipientList,
)
from saring.kernel.admin import ReadOnlyAdmin


@admin.register(RecipientList)
class RecipientListAdmin(ReadOnlyAdmin):
    list_display = ("name", "organisation", "province", "regency", "size", "created_at")
    list_filter = ("province",)
    search_fields = ("name",)
    fields = ("name", "description", "organisation", "province", "regency", "size", "created_at")


@admin.register(Recipient)
class RecipientAdmin(ReadOnlyAdmin):
    list_display = ("masked", "channel", "recipient_list", "province", "regency", "created_at")
    list_filter = ("channel",)
    fields = ("masked", "channel", "recipient_list", "province", "regency", "created_at")
    list_select_related = ("recipient_list", "province", "regency")


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ("recipient_list", "file_name", "line", "reason", "created_at")
    fields = ("recipient_list", "file_name", "line", "reason", "masked", "created_at")


@admin.register(OptOut)
class OptOutAdmin(ReadOnlyAdmin):
    list_display = ("channel", "short_fingerprint", "source", "created_at")
    list_filter = ("channel", "source")
    fields = ("channel", "short_fingerprint", "source", "created_at")

    @admin.display(description=_("address fingerprint"))
    def short_fingerprint(self, obj: OptOut) -> str:
        return f"{obj.address_hash[:8]}…"


@admin.register(Broadcast)
class BroadcastAdmin(ReadOnlyAdmin):
    list_display = ("title", "channel", "state", "planned", "sent", "delivered", "failed")
    list_filter = ("state", "channel")
    search_fields = ("title",)
    exclude = ("lists",)
    readonly_fields = ("list_names",)

    @admin.display(description=_("lists"))
    def list_names(self, obj: Broadcast) -> str:
        return ", ".join(obj.lists.values_list("name", flat=True))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("broadcast", "recipient", "state", "attempts", "updated_at")
    list_filter = ("state",)
    fields = ("broadcast", "recipient", "state", "gateway_id", "attempts", "error", "updated_at")
    list_select_related = ("broadcast", "recipient")


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ("gateway_id", "channel", "status", "delivery", "received_at")
    list_filter = ("channel", "status")
    fields = ("gateway_id", "channel", "status", "delivery", "received_at")
