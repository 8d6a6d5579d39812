from django.urls import path

from saring.web.views import (
    audit,
    broadcast_callbacks,
    broadcasts,
    cases,
    casework,
    dashboard,
    elections,
    factcheck,
    guide_admin,
    guide_hooks,
    guide_public,
    harms,
    imports,
    liaison,
    narratives,
    posts,
    registry,
    reports,
    sandbox,
    watchlists,
)

app_name = "web"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("posts/", posts.search, name="search"),
    path("posts/export.<str:kind>", posts.export, name="export"),
    path("posts/<int:pk>/", posts.post_detail, name="post"),
    path("regions/regencies/", posts.regency_options, name="regency_options"),
    path("imports/", imports.imports, name="imports"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/retry/", imports.quarantine_retry_run, name="import_retry"),
    path("quarantine/", imports.quarantine_list, name="quarantine"),
    path("quarantine/<int:pk>/retry/", imports.quarantine_retry, name="quarantine_retry"),
    path("quarantine/<int:pk>/discard/", imports.quarantine_discard, name="quarantine_discard"),
    path("clarifications/", factcheck.clarification_list, name="clarifications"),
    path("clarifications/new/", factcheck.clarification_edit, name="clarification_new"),
    path("clarifications/import/", factcheck.clarification_import, name="clarification_import"),
    path("clarifications/<int:pk>/", factcheck.clarification_detail, name="clarification"),
    path("clarifications/<int:pk>/edit/", factcheck.clarification_edit, name="clarification_edit"),
    path("narratives/", narratives.narrative_list, name="narratives"),
    path("narratives/<int:number>/", narratives.narrative_detail, name="narrative"),
    path("narratives/<int:number>/follow/", narratives.narrative_follow, name="narrative_follow"),
    path("narratives/<int:number>/split/", narratives.narrative_split, name="narrative_split"),
    path("posts/<int:pk>/labels/", harms.post_labels, name="post_labels"),
    path("labels/bulk/", harms.bulk_label, name="bulk_label"),
    path("labels/queue/", harms.label_queue, name="label_queue"),
    path("models/", harms.model_list, name="models"),
    path("models/train/", harms.model_train, name="model_train"),
    path("models/<int:version>/activate/", harms.model_activate, name="model_activate"),
    path("models/rollback/", harms.model_rollback, name="model_rollback"),
    path("review/", factcheck.review_queue, name="review"),
    path("review/retune/", factcheck.review_retune, name="review_retune"),
    path("review/<int:pk>/", factcheck.review_decide, name="review_decide"),
    path("watchlists/", watchlists.watchlist_list, name="watchlists"),
    path("watchlists/new/", watchlists.watchlist_edit, name="watchlist_new"),
    path("watchlists/<int:pk>/", watchlists.watchlist_edit, name="watchlist_edit"),
    path("watchlists/propose/", watchlists.watchlist_propose, name="watchlist_propose"),
    path("watchlists/<int:pk>/rescore/", watchlists.watchlist_rescore, name="watchlist_rescore"),
    path("watchlists/<int:pk>/review/", watchlists.watchlist_review, name="watchlist_review"),
    path("registry/", registry.registry_list, name="registry"),
    path("registry/new/", registry.registry_edit, name="registry_new"),
    path("registry/<int:pk>/", registry.registry_edit, name="registry_edit"),
    path("registry/<int:pk>/deactivate/", registry.registry_deactivate, name="registry_deactivate"),
    path("registry/import/", registry.registry_import, name="registry_import"),
    path(
        "registry/import/<int:pk>/",
        registry.registry_import_detail,
        name="registry_import_detail",
    ),
    path("registry/rows/<int:pk>/retry/", registry.registry_row_retry, name="registry_row_retry"),
    path(
        "registry/rows/<int:pk>/discard/",
        registry.registry_row_discard,
        name="registry_row_discard",
    ),
    path("audit/", audit.audit_log, name="audit"),
    path("elections/", elections.election_list, name="elections"),
    path("elections/<str:pk>/", elections.election_detail, name="election"),
]

# RESPOND: the public report form and tracking page, case handling, platform liaison, overdue
# list and transparency figures; each view module lists its own routes.
urlpatterns += reports.urlpatterns + cases.urlpatterns + liaison.urlpatterns + casework.urlpatterns

# INFORM: guide content editing, the public guide's files, developers' sandbox, broadcasts.
urlpatterns += (
    guide_admin.urlpatterns
    + guide_hooks.urlpatterns
    + guide_public.urlpatterns
    + sandbox.urlpatterns
    + broadcasts.urlpatterns
    + broadcast_callbacks.urlpatterns
)
