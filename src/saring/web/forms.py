"""Forms of the web interface. `PostFilterForm` is the one filter behind dashboard, search and
export, so the three always agree on what "the current selection" is."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saring.accounts.scope import Scope
from saring.elections.querysets import stage_filter_choices
from saring.factcheck.models import Clarification
from saring.factcheck.querysets import NarrativeSelection, listed_narratives
from saring.monitoring.models import Post, Watchlist
from saring.monitoring.querysets import ELECTION_RELEVANCE, PostSelection
from saring.regions.models import Province, Regency
from saring.sources.registry import FORMATS
from saring.taxonomy.models import HarmCategory

PLATFORMS = [
    ("tiktok", "TikTok"),
    ("instagram", "Instagram"),
    ("x", "X"),
    ("facebook", "Facebook"),
    ("youtube", "YouTube"),
]
LANGUAGES = [
    ("id", _("Indonesian")),
    ("en", _("English")),
    ("ms", _("Malay")),
    ("jv", _("Javanese")),
    ("und", _("Undetermined")),
]
SORTS = [
    ("newest", _("Newest")),
    ("oldest", _("Oldest")),
    ("viral", _("Fastest growing")),
    ("engagement", _("Most engagement")),
]
NATIONAL = "all"
# What a screen opens on: the posts about the election; "all" (one click, kept in the URL as
# `scope=all`) adds everything else that was imported (floods, noodle stalls, football).
ELECTION_SCOPE, ALL_SCOPE = "election", "all"
POST_SCOPES = [
    (ELECTION_SCOPE, _("Election-related posts")),
    (ALL_SCOPE, _("All posts")),
]


class PostFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _('e.g. "surat suara" tps')}
        ),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    regency = forms.ChoiceField(label=_("Regency/city"), required=False)
    platform = forms.ChoiceField(
        label=_("Platform"), required=False, choices=[("", _("All platforms")), *PLATFORMS]
    )
    category = forms.ChoiceField(label=_("Flag category"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All languages")), *LANGUAGES]
    )
    scope = forms.ChoiceField(label=_("Show"), required=False, choices=POST_SCOPES)
    stage = forms.ChoiceField(label=_("Election stage"), required=False)
    speaker = forms.ChoiceField(
        label=_("Who speaks"),
        required=False,
        choices=[
            ("", _("Anyone")),
            ("official", _("Official accounts")),
            ("campaign", _("Registered campaign accounts")),
            ("flagged", _("Flagged accounts (quiet period or impostor)")),
            ("quiet_period", _("Campaign accounts in the quiet period")),
            ("impostor", _("Possible impostors of official accounts")),
        ],
    )
    # Kept so links made before `scope` existed (election=on) still mean the same selection.
    election = forms.BooleanField(label=_("Election-related only"), required=False)
    hoax = forms.BooleanField(
        label=_("Hoax candidates only (linked to a false-verdict clarification)"), required=False
    )
    disputed = forms.BooleanField(label=_("Labels analysts disagree on"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, data, scope: Scope, language: str = "id"):
        data = data.copy() if data is not None else {}
        if data.get("scope") not in (ELECTION_SCOPE, ALL_SCOPE):
            data["scope"] = ELECTION_SCOPE  # screens open on the election
        # Screens open on the user's own region; "all" widens to national public posts.
        if not data.get("region") and scope.province_code:
            data["region"] = scope.province_code
            if scope.regency_code and not data.get("regency"):
                data["regency"] = scope.regency_code
        super().__init__(data)
        self.scope = scope
        self.fields["region"].choices = [(NATIONAL, _("National (all provinces)"))] + [
            (p.code, p.name) for p in Province.objects.all()
        ]
        province = data.get("region") if data.get("region") != NATIONAL else None
        regencies = (
            Regency.objects.filter(province_id=province) if province else Regency.objects.none()
        )
        self.fields["regency"].choices = [("", _("Whole province"))] + [
            (r.code, r.name) for r in regencies
        ]
        self.fields["stage"].choices = [("", _("All stages")), *stage_filter_choices()]
        self.fields["category"].choices = [
            ("", _("Any (flagged or not)")),
            ("any", _("Any flag")),
        ] + [
            (c.code, c.name(language))
            for c in HarmCategory.objects.filter(
                id__in=Watchlist.objects.visible_to(scope).values("category_id")
            )
        ]

    def region_codes(self) -> tuple[str | None, str | None]:
        data = self.cleaned_data if self.is_valid() else {}
        region = data.get("region") or NATIONAL
        if region == NATIONAL:
            return None, None
        return region, data.get("regency") or None

    def selection(self) -> PostSelection:
        """The filters as the one selection search, exports, dashboard and API share."""
        data = self.cleaned_data
        province, regency = self.region_codes()
        return PostSelection(
            q=data.get("q") or "",
            province=province,
            regency=regency,
            platform=data.get("platform") or "",
            language=data.get("language") or "",
            election=bool(data.get("election")) or data.get("scope") != ALL_SCOPE,
            stage=data.get("stage") or "",
            speaker=data.get("speaker") or "",
            category=data.get("category") or "",
            start=data.get("start"),
            end=data.get("end"),
            sort=data.get("sort") or "newest",
        )

    def posts(self):
        """The selection as a queryset (public posts; flags limited to what the scope sees)."""
        if not self.is_valid():
            return Post.objects.none()
        qs = Post.objects.selected(self.selection(), self.scope)
        if self.cleaned_data.get("hoax"):
            from saring.harms.hoax import candidates

            qs = candidates(qs)
        if self.cleaned_data.get("disputed"):
            from saring.harms.labels import disputed_posts

            qs = disputed_posts(qs)
        return qs

    def shows_all(self) -> bool:
        """True when the selection is every post, not only those about the election."""
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("scope") == ALL_SCOPE and not data.get("election")

    def cache_key(self) -> str | None:
        """What selects the posts, for caching their aggregates; None when a filter reads
        data the key does not follow (clarification links, analysts' labels)."""
        if not self.is_valid():
            return None
        if self.cleaned_data.get("hoax") or self.cleaned_data.get("disputed"):
            return None
        return repr(self.selection())

    @property
    def toggle_scope_query(self) -> str:
        """The query string of the other scope (the template's one-click toggle)."""
        return self.query_with_scope(ELECTION_SCOPE if self.shows_all() else ALL_SCOPE)

    def query_with_scope(self, value: str) -> str:
        """The current filters as a query string with `scope` set to `value` (the one-click
        toggle between the election and every post keeps every other filter; page 1)."""
        params = QueryDict(mutable=True)
        for key in self.data:
            if key not in ("scope", "page", "election"):
                values = self.data.getlist(key) if hasattr(self.data, "getlist") else None
                params.setlist(key, values if values is not None else [self.data[key]])
        params["scope"] = value
        return params.urlencode()

    def describe_region(self) -> str:
        province, regency = self.region_codes()
        if regency:
            return dict(self.fields["regency"].choices).get(regency, regency)
        if province:
            return dict(self.fields["region"].choices).get(province, province)
        return str(_("National"))


NARRATIVE_SORTS = [
    ("size", _("Largest")),
    ("recent", _("Most recent")),
    ("views", _("Most views")),
]


class NarrativeFilterForm(PostFilterForm):
    """The narratives list's filters: the post filters' region (opening on the user's own),
    platform and election scope, and what only narratives have."""

    false_verdict = forms.BooleanField(
        label=_("Linked to a clarification that says false or misleading"), required=False
    )
    growing = forms.BooleanField(label=_("Growing fast (growth alert)"), required=False)
    # The old link "?alerts=1" (dashboard, bookmarks) still means growing.
    alerts = forms.BooleanField(required=False, widget=forms.HiddenInput)

    _POST_ONLY = ("q", "category", "language", "stage", "speaker", "election", "hoax", "disputed")

    def __init__(self, data, scope: Scope, language: str = "id"):
        super().__init__(data, scope, language)
        for name in (*self._POST_ONLY, "start", "end"):
            del self.fields[name]
        self.fields["sort"].choices = NARRATIVE_SORTS

    def narratives(self):
        if not self.is_valid():
            return listed_narratives(NarrativeSelection()).none()
        data = self.cleaned_data
        province, regency = self.region_codes()
        return listed_narratives(
            NarrativeSelection(
                election=data.get("scope") != ALL_SCOPE,
                election_relevance=ELECTION_RELEVANCE,
                false_verdict=bool(data.get("false_verdict")),
                growing=bool(data.get("growing") or data.get("alerts")),
                platform=data.get("platform") or "",
                province=province,
                regency=regency,
                sort=data.get("sort") or "size",
            )
        )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d MB; the limit is %(limit)d MB (SARING_UPLOAD_MAX_MB).")
                % {"size": upload.size // 2**20, "limit": settings.UPLOAD_MAX_BYTES // 2**20}
            )
        return upload

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("auto", _("Detect automatically"))]
        + [(name, fmt.label) for name, fmt in sorted(FORMATS.items())],
    )
    # Virality is engagement per hour of age at the moment the counts were read: an export of
    # February read as observed today would look dead. Records with their own time keep it.
    captured_at = forms.DateTimeField(
        label=_("When the data was captured"),
        required=False,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "aria-describedby": "captured-hint"},
            format="%Y-%m-%dT%H:%M",
        ),
        help_text=_(
            "When the export was taken from the platform, for records that do not say so "
            "themselves (Zeeschuimer items and a captured_at/collected_at column do). Leave it "
            "empty for a fresh export: the upload time is used."
        ),
    )

    def clean_captured_at(self):
        when = self.cleaned_data.get("captured_at")
        if when is not None and when > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("The capture time cannot be in the future."))
        return when


class ClarificationImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("claimreview", _("ClaimReview JSON-LD (schema.org, Google Fact Check Tools)")),
            ("csv", _("CSV (id, headline, claim, verdict, …)")),
            ("article", _("TurnBackHoax-style article (title, NARASI, PENJELASAN)")),
        ],
    )
    publish = forms.BooleanField(label=_("Publish at once (administrators)"), required=False)

    clean_file = UploadForm.clean_file


class TrainingForm(forms.Form):
    """A new classifier version: from the analysts' labels, plus an optional labelled CSV."""

    file = forms.FileField(
        label=_("Labelled CSV (optional)"),
        required=False,
        help_text=_("A text column (text, Tweet or comment_text) and one 0/1 column per label."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        return None if upload is None else UploadForm.clean_file(self)


class WatchlistForm(forms.ModelForm):
    class Meta:
        model = Watchlist
        fields = ["name", "category", "terms", "notes", "is_active"]
        widgets = {
            "terms": forms.Textarea(attrs={"rows": 12}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }


class WatchlistProposalForm(WatchlistForm):
    """An analyst's proposal: no "active" box, an administrator decides that by approving."""

    class Meta(WatchlistForm.Meta):
        fields = ["name", "category", "terms", "notes"]


class ClarificationForm(forms.Form):
    claim_text = forms.CharField(
        label=_("Claim as it circulates"), widget=forms.Textarea(attrs={"rows": 3})
    )
    headline = forms.CharField(label=_("Headline"), max_length=500)
    verdict = forms.ChoiceField(label=_("Verdict"), choices=Clarification.Verdict.choices)
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    url = forms.URLField(
        label=_("Link to the full clarification"), required=False, assume_scheme="https"
    )
    publisher = forms.CharField(label=_("Publisher"), required=False, max_length=200)
    sources = forms.CharField(
        label=_("Sources (one link per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, data=None, instance: Clarification | None = None):
        initial = {}
        if instance is not None:
            initial = {
                "claim_text": instance.claim.text,
                "headline": instance.headline,
                "verdict": instance.verdict,
                "explanation": instance.explanation,
                "url": instance.url,
                "publisher": instance.publisher,
                "sources": "\n".join(instance.sources),
            }
        super().__init__(data, initial=initial)

    def clean_sources(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sources"].splitlines() if line.strip()]
