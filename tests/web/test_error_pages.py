"""Refusals, missing pages and crashes answer with the site's own pages (issue #10 §3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import translation

from saring import urls as project_urls
from saring.accounts.scope import ScopeError
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db


def _refused_by_a_service(request):
    raise ScopeError("Hanya administrator provinsi ini yang boleh mengubahnya.")


def _crash(request):
    raise RuntimeError("a bug")


def _denied(request):
    raise PermissionDenied("Halaman ini perlu peran admin.")


urlpatterns = [
    path("test/scope/", _refused_by_a_service),
    path("test/denied/", _denied),
    path("test/crash/", _crash),
    *project_urls.urlpatterns,
]
handler403 = project_urls.handler403


@pytest.fixture
def signed_in(client):
    user = member("viewer", "32")
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.urls("tests.web.test_error_pages")
def test_a_scope_error_no_view_caught_is_a_styled_403_with_the_reason(signed_in):
    response = signed_in.get("/test/scope/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-status="403"' in html and "saring.css" in html  # the site's layout
    assert "Hanya administrator provinsi ini" in html
    assert 'lang="id"' in html
    assert reverse("web:dashboard") in html  # a way back


@pytest.mark.urls("tests.web.test_error_pages")
def test_permission_denied_renders_the_same_page(signed_in):
    response = signed_in.get("/test/denied/")
    assert response.status_code == 403 and 'data-status="403"' in response.content.decode()
    assert "Halaman ini perlu peran admin." in response.content.decode()


def test_a_viewer_on_an_admin_page_gets_the_styled_403(signed_in):
    response = signed_in.get(reverse("web:watchlist_new"))
    assert response.status_code == 403
    assert 'data-status="403"' in response.content.decode()


def test_a_missing_page_is_a_styled_404(signed_in):
    response = signed_in.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-status="404"' in html and "saring.css" in html
    with translation.override("en"):
        assert 'data-status="404"' in signed_in.get("/no/such/page/").content.decode()


@pytest.mark.urls("tests.web.test_error_pages")
def test_a_crash_is_a_styled_500(signed_in):
    signed_in.raise_request_exception = False
    response = signed_in.get("/test/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'data-status="500"' in html and "saring.css" in html and "a bug" not in html


def test_a_refused_form_is_the_styled_403_too(client):
    user = member("analyst", "32")
    csrf_client = client.__class__(enforce_csrf_checks=True)
    assert csrf_client.login(username=user.username, password=PASSWORD)
    response = csrf_client.post(reverse("web:imports"), {"format": "auto"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-status="403"' in html and "CSRF token" not in html  # words, not the code
