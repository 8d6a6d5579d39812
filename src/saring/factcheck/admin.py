from django.contrib import admin

from saring.factcheck.models import Claim, Clarification


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["text", "first_seen", "created_at"]
    search_fields = ["text"]


@admin.register(Clarification)
class ClarificationAdmin(admin.ModelAdmin):
    list_display = ["headline", "verdict", "publisher", "status", "published_at"]
    list_filter = ["verdict", "status", "publisher"]
    search_fields = ["headline", "external_id"]
    raw_id_fields = ["claim"]
