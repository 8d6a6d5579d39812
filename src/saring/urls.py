from pathlib import Path

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.static import serve

from saring.api import root as api_root

# Browsers ask for /favicon.ico whatever the page links; answer it rather than log a 404.
_STATIC = Path(__file__).resolve().parent / "web" / "static" / "saring"
favicon = login_not_required(cache_control(max_age=86400, public=True)(serve))

# Refusals, missing pages and crashes on the site's own layout, in the reader's language; a
# ScopeError no view caught becomes the 403 too (saring.web.errors.ScopeErrorMiddleware).
handler403 = "saring.web.errors.permission_denied"

urlpatterns = [
    path("favicon.ico", favicon, {"path": "favicon.ico", "document_root": _STATIC}),
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_root.urls()),
    path("feeds/", include("saring.guide.feeds")),
    path("", include("saring.web.urls")),
]
