"""Django admin for RESPOND's data: legal bases (saved through `services.legal`, audited),
deadline rules, escalation channels and proposal levels; cases read-only with their content,
reports (no personal data: that is read through the case page's audited "Show contact"),
screenshots and escalations."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError

from saring.accounts.scope import ScopeError, scope_for
from saring.cases.models import (
    Attachment,
    Case,
    CaseItem,
    Channel,
    DeadlineRule,
    Escalation,
    LegalBasis,
    ProposalRule,
    Report,
)
from saring.cases.services import legal


class LegalBasisForm(forms.ModelForm):
    url = forms.URLField(
        label=LegalBasis._meta.get_field("url").verbose_name,
        required=False,
        max_length=500,
        assume_scheme="https",
    )

    class Meta:
        model = LegalBasis
        fields = legal.EDITABLE


@admin.register(LegalBasis)
class LegalBasisAdmin(admin.ModelAdmin):
    form = LegalBasisForm
    list_display = ("citation", "code", "kind", "platform", "is_active", "order")
    list_filter = ("kind", "platform", "is_active")
    search_fields = ("code", "citation", "summary_id", "summary_en")
    fields = legal.EDITABLE

    def has_add_permission(self, request):
        return super().has_add_permission(request) and legal.may_edit(scope_for(request.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and legal.may_edit(
            scope_for(request.user)
        )

    def has_delete_permission(self, request, obj=None):
        return False  # cases cite bases: deactivate instead

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name] for name in legal.EDITABLE if name in form.cleaned_data
        }
        existing = LegalBasis.objects.get(pk=obj.pk) if change and obj.pk else None
        try:
            saved = legal.save_basis(scope_for(request.user), existing, **fields)
        except ScopeError as error:
            raise PermissionDenied(str(error)) from None
        except ValidationError as error:  # the form checked already; a race is still refused
            raise PermissionDenied("; ".join(error.messages)) from None
        obj.pk = saved.pk


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("regime", "step", "amount", "unit", "source")
    list_filter = ("regime",)


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("name", "platform", "kind", "organisation", "answer_hours", "is_active")
    list_filter = ("kind", "platform", "is_active")


@admin.register(ProposalRule)
class ProposalRuleAdmin(admin.ModelAdmin):
    list_display = ("signal", "is_active", "level")


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseItemInline(_ReadOnlyInline):
    model = CaseItem
    fk_name = "case"
    fields = ("platform", "canonical_url", "content_id", "post", "origin_case", "added_at")
    readonly_fields = fields


class ReportInline(_ReadOnlyInline):
    model = Report
    fk_name = "case"
    # No reporter name, e-mail or phone here (UU 27/2022): the case page reveals them, audited.
    fields = (
        "tracking_code",
        "channel",
        "organisation",
        "category",
        "seen_at",
        "late",
        "created_at",
    )
    readonly_fields = fields


class AttachmentInline(_ReadOnlyInline):
    model = Attachment
    fields = ("name", "content_type", "size", "sha256", "original_sha256", "added_at")
    readonly_fields = fields


class EscalationInline(_ReadOnlyInline):
    model = Escalation
    fields = ("reference", "channel", "state", "due_at", "sent_at", "answered_at")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through the case page's services (workflow and audit)."""

    list_display = ("__str__", "state", "category", "priority", "province", "regency", "created_at")
    list_filter = ("state", "origin", "priority", "regime")
    search_fields = ("title", "summary")
    inlines = (CaseItemInline, ReportInline, AttachmentInline, EscalationInline)
    exclude = ("bases",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(scope_for(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Case._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
