"""The elections calendar: the list of elections and their stages, and an election's page
where admins of its region move a stage's dates (through saring.elections.services)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saring.accounts.scope import ScopeError
from saring.elections.models import Election, Stage
from saring.elections.querysets import ELECTION_ID, NATIONAL, elections
from saring.elections.services import may_edit_election, update_stage
from saring.elections.timezones import zone_label
from saring.regions.models import Province, Regency
from saring.web.access import require_role

PAGE_SIZE = 40


class StageDatesForm(forms.Form):
    stage = forms.IntegerField(widget=forms.HiddenInput)
    starts_on = forms.DateField(
        label=gettext_lazy("Starts on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Ends on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (e.g. the KPU decision)"), required=False, max_length=500
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            raise forms.ValidationError(_("A stage cannot end before it starts."))
        return data


@require_role("viewer")
def election_list(request, scope):
    """Every election with its stages, filtered by kind and region, paginated."""
    filters = {
        "kind": request.GET.get("kind", "").strip(),
        "region": request.GET.get("region", "").strip(),
        "regency": request.GET.get("regency", "").strip(),
    }
    if filters["kind"] not in Election.Kind.values:
        filters["kind"] = ""
    region = filters["region"]
    if region not in ("", NATIONAL) and not (
        region.isascii() and region.isdigit() and Province.objects.filter(pk=region).exists()
    ):
        filters["region"] = ""
    regencies = (
        list(Regency.objects.filter(province_id=filters["region"]))
        if filters["region"] not in ("", NATIONAL)
        else []
    )
    if filters["regency"] not in {r.code for r in regencies}:
        filters["regency"] = ""
    rows = elections(**filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [(e, zone_label(e.province_id)) for e in page]
    return render(
        request,
        "web/elections.html",
        {
            "page": page,
            "items": items,
            "filters": filters,
            "kinds": Election.Kind.choices,
            "provinces": Province.objects.all(),
            "regencies": regencies,
            "national": NATIONAL,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


@require_role("viewer")
def election_detail(request, scope, pk: str):
    """One election's stages; admins of its region (or above) edit a stage's dates."""
    if not ELECTION_ID.fullmatch(pk):
        raise Http404
    election = get_object_or_404(
        Election.objects.select_related("province", "regency", "parent"), pk=pk
    )
    editable = may_edit_election(scope, election)
    bound: StageDatesForm | None = None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("You cannot change the calendar of this election."))
        posted = request.POST.get("stage", "")
        bound = StageDatesForm(request.POST, auto_id=f"id_{posted if posted.isdigit() else 'x'}_%s")
        if bound.is_valid():
            stage = get_object_or_404(Stage, pk=bound.cleaned_data["stage"], election=election)
            try:
                update_stage(
                    scope,
                    stage,
                    bound.cleaned_data["starts_on"],
                    bound.cleaned_data["ends_on"],
                    reason=bound.cleaned_data["reason"],
                )
            except ScopeError as error:
                raise PermissionDenied(str(error)) from error
            except ValueError as error:
                bound.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Saved. The posts of this election are being restaged in the background."),
                )
                return redirect("web:election", pk=election.pk)
    stages = []
    for stage in election.stages.order_by("starts_on", "ends_on", "id"):
        form = None
        if editable:
            if bound is not None and str(bound.data.get("stage")) == str(stage.pk):
                form = bound
            else:
                form = StageDatesForm(
                    initial={
                        "stage": stage.pk,
                        "starts_on": stage.starts_on,
                        "ends_on": stage.ends_on,
                    },
                    auto_id=f"id_{stage.pk}_%s",
                )
        stages.append((stage, form))
    children = election.children.count()
    return render(
        request,
        "web/election_detail.html",
        {
            "election": election,
            "stages": stages,
            "editable": editable,
            "zone": zone_label(election.province_id),
            "children": children,
        },
    )
