from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from saring.api import root as api_root

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("login/", login_not_required(auth_views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", api_root.urls()),
    path("", include("saring.web.urls")),
]
