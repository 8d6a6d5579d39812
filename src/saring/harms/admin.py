from django.contrib import admin

from saring.harms.models import HarmModel, PostLabel


@admin.register(HarmModel)
class HarmModelAdmin(admin.ModelAdmin):
    """Read-only: training, activation and rollback go through the Models page or commands."""

    list_display = ["version", "status", "source", "created_at", "trained_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PostLabel)
class PostLabelAdmin(admin.ModelAdmin):
    list_display = ["post", "category", "present", "labelled_by", "labelled_at"]
    list_filter = ["category", "present"]
    raw_id_fields = ["post"]
