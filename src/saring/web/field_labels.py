"""Admin labels, in the reader's language, for the model fields declared without one.

Django names such a field after its attribute ("virality_per_hour" → "virality per hour") with a
plain string that no catalogue translates, so the Indonesian admin showed English. Setting
`verbose_name` here, at start-up, to a lazy translation changes what the admin reads without
touching the field's definition (Django's migrations compare the `verbose_name` given in the
model, kept apart as `_verbose_name`), so no app gets a migration for a label. A field added
without a label later is caught by tests/web/test_i18n_pages.py: give it `verbose_name=_()` in
the model, or add it here.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

# "app.Model": {"field": label}; "" is the model's own name (singular, plural).
LABELS: dict[str, dict[str, object]] = {
    "regions.Regency": {"province": _("province")},
    "regions.District": {"regency": _("regency/city")},
    "accounts.Membership": {"user": _("user")},
    "audit.AuditEvent": {"prev_hash": _("previous hash"), "hash": _("hash")},
    "elections.Election": {"updated_at": _("updated at")},
    "registry.KnownAccount": {"updated_by": _("updated by"), "updated_at": _("updated at")},
    "registry.RegistryImport": {"sha256": _("SHA-256 of the file")},
    "registry.QuarantinedAccountRow": {
        "reason_params": _("reason details"),
        "account": _("account"),
        "identity": _("identity"),
        "created_at": _("created at"),
        "updated_at": _("updated at"),
    },
    "api.ApiToken": {"token_hash": _("token hash")},
    "monitoring.ImportRun": {
        "bytes_total": _("bytes in the file"),
        "bytes_done": _("bytes read"),
        "sha256": _("SHA-256 of the file"),
        "observed_default": _("data captured at"),
        "worker": _("worker"),
        "heartbeat_at": _("last sign of life"),
    },
    "monitoring.QuarantinedRecord": {
        "run": _("import"),
        "reason_detail": _("reason details"),
        "identity": _("identity"),
        "created_at": _("created at"),
        "updated_at": _("updated at"),
    },
    "monitoring.Post": {
        "source_region_code": _("region code in the source"),
        "extra": _("other source fields"),
        "virality_per_hour": _("weighted interactions per hour"),
        "virality_basis": _("virality basis"),
        "language_score": _("language confidence"),
        "election_terms": _("election terms"),
        "region_source": _("region found in"),
        "region_evidence": _("region evidence"),
        "first_run": _("first import"),
        "ingested_at": _("ingested at"),
    },
    "monitoring.EngagementObservation": {
        "": (_("engagement observation"), _("engagement observations")),
        "post": _("post"),
        "views": _("views"),
        "likes": _("likes"),
        "shares": _("shares"),
        "comments": _("comments"),
        "run": _("import"),
    },
    "monitoring.PostHashtag": {
        "": (_("post hashtag"), _("post hashtags")),
        "post": _("post"),
        "tag": _("hashtag"),
    },
    "monitoring.Watchlist": {
        "version": _("version"),
        "updated_by": _("updated by"),
        "updated_at": _("updated at"),
        "rescored_version": _("version last re-scored"),
        "proposed_by": _("proposed by"),
        "rescore_state": _("re-scoring state"),
        "rescore_done": _("posts re-scored"),
        "rescore_total": _("posts to re-score"),
        "rescore_error": _("re-scoring error"),
        "rescore_queued_at": _("re-scoring queued at"),
        "rescore_finished_at": _("re-scoring finished at"),
    },
    "monitoring.PostFlag": {
        "": (_("post flag"), _("post flags")),
        "post": _("post"),
        "watchlist": _("watchlist"),
        "category": _("category"),
        "evidence": _("evidence"),
    },
    "factcheck.Claim": {"normalized": _("normalised text"), "created_at": _("created at")},
    "factcheck.Clarification": {
        "claim": _("claim"),
        "created_by": _("created by"),
        "created_at": _("created at"),
        "updated_at": _("updated at"),
    },
    "factcheck.PostMatch": {
        "post": _("post"),
        "clarification": _("clarification"),
        "matcher_version": _("matcher version"),
        "reviewed_by": _("reviewed by"),
        "reviewed_at": _("reviewed at"),
        "created_at": _("created at"),
    },
    "factcheck.MatchThresholds": {
        "matcher_version": _("matcher version"),
        "created_by": _("created by"),
        "created_at": _("created at"),
    },
    "factcheck.PassageVector": {
        "": (_("passage vector"), _("passage vectors")),
        "key": _("key"),
        "vector": _("vector"),
        "created_at": _("created at"),
    },
    "factcheck.Narrative": {
        "representative": _("representative post"),
        "merged_into": _("merged into"),
        "updated_at": _("updated at"),
        "followers": _("followers"),
    },
    "factcheck.PostNarrative": {
        "": (_("post in a narrative"), _("posts in narratives")),
        "post": _("post"),
        "narrative": _("narrative"),
        "how": _("how it joined"),
        "similarity": _("similarity"),
    },
    "factcheck.NarrativeEvent": {
        "": (_("narrative event"), _("narrative events")),
        "narrative": _("narrative"),
        "kind": _("kind"),
        "details": _("details"),
        "at": _("time"),
    },
    "factcheck.NarrativeState": {
        "": (_("narrative state"), _("narrative states")),
        "version": _("version"),
        "state": _("state"),
        "posts": _("posts"),
        "merges_seen": _("merges seen"),
        "updated_at": _("updated at"),
    },
    "harms.PostLabel": {
        "post": _("post"),
        "category": _("category"),
        "labelled_by": _("labelled by"),
    },
    "harms.HarmModel": {
        "trained_by": _("trained by"),
        "created_at": _("created at"),
        "finished_at": _("finished at"),
    },
    "harms.PostHarmScore": {
        "": (_("post harm score"), _("post harm scores")),
        "post": _("post"),
        "model": _("model"),
        "scores": _("scores"),
        "predicted": _("predicted categories"),
        "top": _("highest score"),
        "uncertainty": _("uncertainty"),
        "priority": _("labelling priority"),
        "scored_at": _("scored at"),
    },
}


def apply() -> None:
    """Give the fields above their labels (idempotent; a model or field gone is skipped)."""
    for label, fields in LABELS.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for name, text in fields.items():
            if name == "":
                singular, plural = text
                model._meta.verbose_name = singular
                model._meta.verbose_name_plural = plural
                continue
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:  # renamed by a later change: its test names it
                continue
            if field._verbose_name is None:  # a label given in the model wins
                field.verbose_name = text
