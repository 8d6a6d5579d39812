from django.contrib import admin

from saring.taxonomy.models import HarmCategory


@admin.register(HarmCategory)
class HarmCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_id", "name_en", "parent", "facet", "order"]
    list_editable = ["order"]
    list_filter = ["parent"]
