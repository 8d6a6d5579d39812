"""Django admin for the registry. Saving a known account goes through
`services.save_account` (scope, PKPU 15/2023 rules, audit, hook) like the page; imports and
quarantined rows are read-only here (fix rows on the import's page or with `saring registry
retry`)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from saring.accounts.scope import scope_for
from saring.registry import services
from saring.registry.models import KnownAccount, QuarantinedAccountRow, RegistryImport

EDITED = ("platform", "handle", "display_name", "kind", "body", "participant", "election",
          "registered_on", "closed_on", "url", "notes", "is_active", "organisation",
          "province", "regency")  # fmt: skip


class KnownAccountAdminForm(forms.ModelForm):
    url = forms.URLField(label=KnownAccount._meta.get_field("url").verbose_name, required=False,
                         max_length=500, assume_scheme="https")  # fmt: skip

    class Meta:
        model = KnownAccount
        fields = EDITED

    def _post_clean(self):
        # The service is the one judge of a valid entry (the model's own checks would miss
        # the limit of 20 and the registration window): check now, save in save_model.
        fields = {name: self.cleaned_data.get(name) for name in EDITED if name in self.cleaned_data}
        fields["url"] = fields.get("url") or ""
        existing = self.instance if self.instance.pk else None
        self.service_fields = fields
        try:
            values = services.clean(fields, existing)
        except ValidationError as refused:
            for field, errors in refused.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            return
        scope = self.scope
        allowed = services.may_place(scope, values["province"], values["regency"])
        if existing is not None:
            allowed = allowed and services.may_edit(scope, existing)
        if not allowed:
            self.add_error(None, services.error("out_of_scope"))


@admin.register(KnownAccount)
class KnownAccountAdmin(admin.ModelAdmin):
    form = KnownAccountAdminForm
    list_display = ["platform", "handle", "kind", "body", "participant", "election", "is_active"]
    list_filter = ["kind", "platform", "body", "is_active"]
    search_fields = ["handle", "display_name", "participant"]
    raw_id_fields = ["election"]
    readonly_fields = ["updated_by", "updated_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.scope = scope_for(request.user)
        return form

    def save_model(self, request, obj, form, change):
        existing = KnownAccount.objects.get(pk=obj.pk) if change else None
        saved = services.save_account(form.scope, existing, **form.service_fields)
        obj.__dict__.update(saved.__dict__)  # the admin's messages and redirect name it

    def delete_model(self, request, obj):
        services.deactivate_account(scope_for(request.user), obj, "deleted in the admin")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: the history of an account stays


@admin.register(RegistryImport)
class RegistryImportAdmin(admin.ModelAdmin):
    list_display = [
        "file_name",
        "status",
        "read",
        "created",
        "updated",
        "quarantined",
        "started_at",
    ]
    list_filter = ["status"]
    readonly_fields = [f.name for f in RegistryImport._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(QuarantinedAccountRow)
class QuarantinedAccountRowAdmin(admin.ModelAdmin):
    list_display = ["registry_import", "line", "field", "reason_code", "status"]
    list_filter = ["status", "reason_code"]
    readonly_fields = [f.name for f in QuarantinedAccountRow._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
