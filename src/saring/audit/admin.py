from django.contrib import admin

from saring.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is append-only (the Audit page in the interface filters it too)."""

    list_display = ["seq", "at", "actor", "organisation", "action", "subject_type", "subject_id"]
    list_filter = ["action", "subject_type"]
    search_fields = ["actor", "subject", "subject_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
