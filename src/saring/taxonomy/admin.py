from django.contrib import admin

from saring.accounts.scope import scope_for
from saring.taxonomy import services
from saring.taxonomy.models import HarmCategory


@admin.register(HarmCategory)
class HarmCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "parent", "facet", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]

    # Writes go through the taxonomy's service: national admins only, each one audited.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and services.may_edit(
            scope_for(request.user)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and services.may_edit(scope_for(request.user))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and services.may_edit(
            scope_for(request.user)
        )

    def save_model(self, request, obj, form, change):
        services.save_category(scope_for(request.user), obj, list(form.changed_data))

    def delete_model(self, request, obj):
        services.delete_category(scope_for(request.user), obj)

    def delete_queryset(self, request, queryset):
        for category in queryset:
            services.delete_category(scope_for(request.user), category)
