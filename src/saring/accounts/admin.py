from django.contrib import admin

from saring.accounts.models import Membership, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "regency"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "regency"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["organisation"]
