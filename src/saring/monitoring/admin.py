from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from saring.monitoring.models import (
    ImportRun,
    Post,
    PostFlag,
    QuarantinedRecord,
    Watchlist,
)


@admin.register(Watchlist)
class WatchlistAdmin(admin.ModelAdmin):
    """Read-mostly: edits belong in the Watchlists page, which re-scores posts afterwards."""

    list_display = ["name", "category", "province", "regency", "is_active", "version"]
    list_filter = ["category", "is_active"]
    readonly_fields = ["version", "rescored_version", "updated_by", "updated_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["file_name", "format", "status", "read", "created", "quarantined", "queued_at"]
    list_filter = ["status", "format"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(admin.ModelAdmin):
    list_display = ["run", "location", "field", "reason_in_words", "status"]
    list_filter = ["status"]
    readonly_fields = ["run", "location", "line", "field", "reason_in_words", "reason", "attempts"]

    @admin.display(description=_("reason"))
    def reason_in_words(self, record: QuarantinedRecord) -> str:
        """The reason in the reader's language; the parser's own text stays beside it."""
        return record.reason_text


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = [
        "platform",
        "platform_id",
        "author_handle",
        "created_at",
        "language",
        "province",
        "virality",
    ]
    list_filter = ["platform", "language"]
    search_fields = ["platform_id", "author_handle"]
    readonly_fields = [f.name for f in Post._meta.fields]
    show_full_result_count = False


@admin.register(PostFlag)
class PostFlagAdmin(admin.ModelAdmin):
    list_display = ["post", "watchlist", "category"]
    list_filter = ["category"]
    raw_id_fields = ["post"]
