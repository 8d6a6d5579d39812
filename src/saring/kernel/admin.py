"""Admin pieces every context shares."""

from __future__ import annotations

from django.contrib import admin


class ReadOnlyMixin:
    """An admin (or inline) that shows records and never writes them: their writes go through
    the context's services, which check scope and write the audit trail."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass
