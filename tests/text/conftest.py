"""Shared, expensive objects for the text-analysis tests: built once per session."""

from __future__ import annotations

import pytest

from saring.text.analyze import Analyzer
from saring.text.places import Gazetteer, default_gazetteer
from saring.text.watchlist import WatchlistMatcher, default_specs


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="session")
def default_matcher() -> WatchlistMatcher:
    return WatchlistMatcher(default_specs())


@pytest.fixture(scope="session")
def analyzer(gazetteer: Gazetteer) -> Analyzer:
    return Analyzer(default_specs(), gazetteer)
