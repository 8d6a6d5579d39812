"""Docs that cannot rot: every command, setting and input format is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

from saring.config import SETTINGS
from saring.sources.registry import FORMATS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATOR = (ROOT / "docs" / "operator.md").read_text(encoding="utf-8")
FORMATS_DOC = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
API_DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
SARING_COMMANDS = sorted(name for name, app in get_commands().items() if app.startswith("saring"))


def test_the_readme_opens_with_the_two_commands():
    blocks = README.split("```bash")[1:3]
    assert "saring demo --serve" in blocks[0]
    assert "bash scripts/test" in blocks[1]
    assert "bash scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", SARING_COMMANDS)
def test_every_saring_command_is_in_the_readme(command):
    assert f"saring {command}" in README, f"`saring {command}` is missing from README.md"


@pytest.mark.parametrize("setting", [s.name for s in SETTINGS])
def test_every_setting_is_in_the_operator_guide(setting):
    assert f"`{setting}`" in OPERATOR, f"{setting} is missing from docs/operator.md"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_input_format_is_documented(name):
    assert name in FORMATS_DOC, f"format {name} is missing from docs/formats.md"


def _api_routes() -> list[str]:
    from saring.api.root import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    return sorted(
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    )


@pytest.mark.parametrize("route", [*_api_routes(), "GET /api/v1/openapi.json", "GET /api/v1/docs"])
def test_every_api_route_is_in_the_api_guide(route):
    # The whole path, not a prefix of a longer one: "GET /api/v1/posts" is not "…/posts/{id}".
    pattern = re.escape(route) + r"(?![\w/{])"
    assert re.search(pattern, API_DOC), f"`{route}` is missing from docs/api.md"
