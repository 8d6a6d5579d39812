"""The Django admin of the calendar. Elections and stages come from migrations (no adding or
deleting here); edits go through saring.elections.services, so they are scope-checked, audited
and restage the posts like an edit on the election's page."""

from __future__ import annotations

from django.contrib import admin

from saring.accounts.scope import scope_for
from saring.elections.models import Election, Stage
from saring.elections.services import may_edit_election, update_election, update_stage

ADMIN_REASON = "Django admin"


class StageInline(admin.TabularInline):
    model = Stage
    fields = ["kind", "starts_on", "ends_on"]
    readonly_fields = ["kind"]
    extra = 0
    max_num = 0  # the stage kinds are fixed; only their dates change
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "kind", "voting_day", "province", "regency"]
    list_filter = ["kind", "voting_day", "province"]
    search_fields = ["id", "name"]
    list_select_related = ["province", "regency"]
    fields = ["id", "name", "kind", "voting_day", "province", "regency", "parent", "legal_basis"]
    readonly_fields = ["id", "kind", "voting_day", "province", "regency", "parent"]
    inlines = [StageInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_edit_election(scope_for(request.user), obj)

    def save_model(self, request, obj, form, change) -> None:
        update_election(
            scope_for(request.user),
            obj,
            name=form.cleaned_data.get("name"),
            legal_basis=form.cleaned_data.get("legal_basis"),
            reason=ADMIN_REASON,
        )

    def save_formset(self, request, form, formset, change) -> None:
        scope = scope_for(request.user)
        # What formset.save() would leave for the admin's change message.
        formset.new_objects, formset.deleted_objects, formset.changed_objects = [], [], []
        for stage_form in formset.forms:
            if not stage_form.has_changed() or stage_form.instance.pk is None:
                continue
            data = stage_form.cleaned_data
            stage = update_stage(
                scope, stage_form.instance, data["starts_on"], data["ends_on"], ADMIN_REASON
            )
            formset.changed_objects.append((stage, stage_form.changed_data))
