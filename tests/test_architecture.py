"""The architecture is held by the build: layer contracts and one skeleton per app."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
CONTEXTS = {"monitoring", "factcheck", "harms", "cases", "guide", "broadcasts"}
SARING_APPS = sorted(
    Path(app.path) for app in apps.get_app_configs() if app.name.startswith("saring.")
)


def _has(app: Path, name: str) -> bool:
    return (app / f"{name}.py").exists() or (app / name).is_dir()


@pytest.mark.parametrize("app", SARING_APPS, ids=lambda p: p.name)
def test_every_app_says_what_belongs_in_it(app):
    assert (app / "README.md").exists(), f"{app.name} has no README.md"


@pytest.mark.parametrize(
    "app", [a for a in SARING_APPS if a.name in CONTEXTS], ids=lambda p: p.name
)
def test_every_context_has_the_same_skeleton(app):
    for part in ("models", "querysets", "services", "tasks", "management"):
        assert _has(app, part), f"{app.name} has no {part}"


def test_the_layer_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is not installed (it is in the test extra)"
    done = subprocess.run(
        [lint, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
