"""A favicon: linked from every page (the login page too) and answered at /favicon.ico."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_favicon_ico_answers_without_a_login(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO header
    assert b"\x89PNG" in body  # with a PNG image inside
    assert "max-age" in response["Cache-Control"]


def test_the_login_page_links_the_svg_and_png_icons(client):
    html = client.get("/login/").content.decode()
    assert 'rel="icon"' in html
    assert "saring/favicon.svg" in html and "saring/favicon.png" in html


def test_the_icon_files_are_static_files():
    for name in ("favicon.svg", "favicon.png", "favicon.ico"):
        assert finders.find(f"saring/{name}"), name
    svg = Path(finders.find("saring/favicon.svg")).read_text(encoding="utf-8")
    assert "#0b5d4b" in svg  # the brand green of saring.css
