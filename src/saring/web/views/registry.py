"""The known-accounts pages: the registry list, an account's form, imports and their
quarantined rows. Every rule is in `saring.registry.services`/`imports`; these only show."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saring.accounts.scope import Scope, ScopeError
from saring.elections.models import Election
from saring.monitoring.services.uploads import store_upload
from saring.regions.models import Province, Regency
from saring.registry import imports
from saring.registry.models import KnownAccount, QuarantinedAccountRow
from saring.registry.querysets import (
    NATIONAL,
    AccountFilter,
    accounts,
    imports_visible_to,
    limit_counts,
    rows_visible_to,
)
from saring.registry.services import (
    LIMIT_PER_PLATFORM,
    PLATFORMS,
    deactivate_account,
    may_edit,
    may_write,
    save_account,
)
from saring.web.access import require_role, safe_next

PAGE_SIZE = 50
PLATFORM_CHOICES = list(PLATFORMS.items())


# --- forms ---------------------------------------------------------------------------------


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Handle or name"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All kinds")), *KnownAccount.Kind.choices],
    )
    platform = forms.ChoiceField(
        label=gettext_lazy("Platform"),
        required=False,
        choices=[("", gettext_lazy("All platforms")), *PLATFORM_CHOICES],
    )
    body = forms.ChoiceField(
        label=gettext_lazy("Body"),
        required=False,
        choices=[("", gettext_lazy("All bodies")), *KnownAccount.Body.choices],
    )
    participant = forms.CharField(label=gettext_lazy("Participant"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [
            ("", _("All regions")),
            (NATIONAL, _("National")),
            *Province.objects.values_list("code", "name"),
        ]

    def selection(self) -> AccountFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AccountFilter(**{k: data.get(k) or "" for k in self.fields})


class KnownAccountForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KnownAccount.Kind.choices)
    platform = forms.ChoiceField(label=gettext_lazy("Platform"), choices=PLATFORM_CHOICES)
    handle = forms.CharField(
        label=gettext_lazy("Handle"),
        max_length=500,
        help_text=gettext_lazy("@name or the profile's URL; stored in lower case without @."),
    )
    display_name = forms.CharField(label=gettext_lazy("Display name"), required=False)
    body = forms.ChoiceField(
        label=gettext_lazy("Body (official accounts)"),
        required=False,
        choices=[("", "–"), *KnownAccount.Body.choices],
    )
    participant = forms.CharField(
        label=gettext_lazy("Participant (campaign accounts)"),
        required=False,
        help_text=gettext_lazy("The party, candidate pair or candidate who registered it."),
    )
    election = forms.ModelChoiceField(
        label=gettext_lazy("Election (campaign accounts)"),
        required=False,
        queryset=Election.objects.none(),
    )
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    registered_on = forms.DateField(
        label=gettext_lazy("Registered with the KPU on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Pemilu 2024: by 25 November 2023 (3 days before the campaign)."),
    )
    closed_on = forms.DateField(
        label=gettext_lazy("Closed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Empty: the campaign's last day, the latest allowed."),
    )
    url = forms.CharField(label=gettext_lazy("URL"), required=False, max_length=500)
    notes = forms.CharField(
        label=gettext_lazy("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Never shown in the API."),
    )

    def __init__(self, *args, scope: Scope, account: KnownAccount | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        elections = Election.objects.order_by("voting_day", "id")
        if not scope.is_national:
            elections = elections.filter(province__isnull=True, parent__isnull=True) | (
                elections.filter(province_id=scope.province_code)
            )
        self.fields["election"].queryset = elections
        self.fields["region"].choices = region_choices(scope, account)
        if account is not None and not self.is_bound:
            self.initial.update(
                {name: getattr(account, name) for name in self.fields if name != "region"}
            )
            self.initial["election"] = account.election_id
            self.initial["region"] = account.regency_id or account.province_id or ""
        elif account is None and not self.is_bound:
            self.initial["region"] = scope.regency_code or scope.province_code or ""


def region_choices(scope: Scope, account: KnownAccount | None) -> list:
    """National (for national organisations), then each province with its regencies/cities,
    limited to what the scope may write (plus the account's own region, to show it)."""
    provinces = Province.objects.order_by("code")
    regencies = Regency.objects.order_by("code")
    if not scope.is_national:
        provinces = provinces.filter(code=scope.province_code)
        regencies = regencies.filter(province_id=scope.province_code)
        if scope.regency_code:
            regencies = regencies.filter(code=scope.regency_code)
    by_province: dict[str, list] = {}
    for code, name, province in regencies.values_list("code", "name", "province_id"):
        by_province.setdefault(province, []).append((code, name))
    choices: list = [("", _("National"))] if scope.is_national else []
    for code, name in provinces.values_list("code", "name"):
        own = [] if scope.regency_code else [(code, name)]
        choices.append((name, own + by_province.get(code, [])))
    if account is not None:
        current = account.regency_id or account.province_id or ""
        known = {c for c, _label in choices if not isinstance(_label, list)} | {
            c for _g, items in choices if isinstance(items, list) for c, _n in items
        }
        if current not in known:
            label = str(account.regency or account.province or _("National"))
            choices.insert(0, (current, label))
    return choices


class RegistryUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))


# --- pages ---------------------------------------------------------------------------------


@require_role("viewer")
def registry_list(request, scope):
    form = AccountFilterForm(request.GET or None)
    selection = form.selection() if form.is_bound else AccountFilter()
    page = Paginator(accounts(selection), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, may_edit(scope, a)) for a in page]
    counts = [] if selection.kind == KnownAccount.Kind.OFFICIAL else limit_counts(selection)[:50]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "web/registry.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": counts,
            "limit": LIMIT_PER_PLATFORM,
            "warn_at": LIMIT_PER_PLATFORM - 2,
            "query": query.urlencode(),
            "can_write": may_write(scope),
            "platforms": PLATFORMS,
        },
    )


@require_role("viewer")
def registry_edit(request, scope, pk: int | None = None):
    account = get_object_or_404(KnownAccount, pk=pk) if pk is not None else None
    editable = may_edit(scope, account) if account is not None else may_write(scope)
    if account is None and not editable:
        messages.error(request, _("Only analysts and administrators of KPU, Bawaslu or Komdigi "
                                  "edit known accounts."))  # fmt: skip
        return redirect("web:registry")
    form = KnownAccountForm(request.POST or None, scope=scope, account=account)
    if not editable:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and editable and form.is_valid():
        fields = dict(form.cleaned_data)
        fields["election"] = fields["election"].pk if fields["election"] else None
        try:
            saved = save_account(scope, account, **fields)
        except ScopeError as refused:
            form.add_error("region", str(refused))
        except ValidationError as refused:
            for field, errors in refused.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Saved: %(account)s.") % {"account": saved})
            return redirect("web:registry_edit", pk=saved.pk)
    return render(
        request,
        "web/registry_edit.html",
        {"form": form, "account": account, "editable": editable},
    )


@require_role("analyst")
@require_POST
def registry_deactivate(request, scope, pk: int):
    account = get_object_or_404(KnownAccount, pk=pk)
    try:
        deactivate_account(scope, account, request.POST.get("reason", ""))
    except ScopeError as refused:
        messages.error(request, str(refused))
    except ValidationError:
        messages.error(request, _("Say why the account is deactivated."))
    else:
        messages.success(request, _("Deactivated: %(account)s.") % {"account": account})
    return redirect("web:registry_edit", pk=pk)


@require_role("viewer")
def registry_import(request, scope):
    form = RegistryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and may_write(scope) and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = imports.import_file(
                scope, store_upload(upload), name=upload.name, user=request.user
            )
        except imports.ImportFailed as failure:
            form.add_error("file", failure.message)
        except ScopeError as refused:
            form.add_error("file", str(refused))
        else:
            return redirect("web:registry_import_detail", pk=run.pk)
    runs = imports_visible_to(scope)[:20]
    return render(
        request,
        "web/registry_import.html",
        {"form": form, "runs": runs, "can_write": may_write(scope), "columns": imports.COLUMNS},
    )


@require_role("viewer")
def registry_import_detail(request, scope, pk: int):
    run = get_object_or_404(imports_visible_to(scope), pk=pk)
    rows = list(run.rows.order_by("status", "line", "id").select_related("account"))
    for row in rows:
        row.reason_text = imports.reason_text(row)
        row.fix_text = json.dumps(row.raw, ensure_ascii=False, indent=2)
    return render(
        request,
        "web/registry_import_detail.html",
        {"run": run, "rows": rows, "can_write": may_write(scope)},
    )


@require_role("analyst")
@require_POST
def registry_row_retry(request, scope, pk: int):
    row = get_object_or_404(rows_visible_to(scope), pk=pk)
    target = safe_next(request, "web:registry_import")
    if row.status != QuarantinedAccountRow.Status.OPEN:
        return redirect(target)
    try:
        raw = imports.parse_fix(request.POST["raw"]) if request.POST.get("raw") else None
        done = imports.retry_row(scope, row, raw)
    except ScopeError as refused:
        messages.error(request, str(refused))
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        row.refresh_from_db()
        if done:
            messages.success(
                request, _("Line %(line)s is in the registry now.") % {"line": row.line}
            )
        else:
            messages.error(
                request,
                _("Line %(line)s is still refused: %(reason)s")
                % {"line": row.line, "reason": imports.reason_text(row)},
            )
    return redirect(f"{target}#row-{row.pk}")


@require_role("analyst")
@require_POST
def registry_row_discard(request, scope, pk: int):
    row = get_object_or_404(rows_visible_to(scope), pk=pk)
    try:
        imports.discard_row(scope, row)
    except ScopeError as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Line %(line)s discarded.") % {"line": row.line})
    return redirect(safe_next(request, "web:registry_import"))
