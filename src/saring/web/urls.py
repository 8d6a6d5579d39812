from django.urls import path

from saring.web.views import dashboard, factcheck, imports, narratives, posts, watchlists

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
    path("review/", factcheck.review_queue, name="review"),
    path("review/retune/", factcheck.review_retune, name="review_retune"),
    path("review/<int:pk>/", factcheck.review_decide, name="review_decide"),
    path("watchlists/", watchlists.watchlist_list, name="watchlists"),
    path("watchlists/new/", watchlists.watchlist_edit, name="watchlist_new"),
    path("watchlists/<int:pk>/", watchlists.watchlist_edit, name="watchlist_edit"),
]
