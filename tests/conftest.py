"""Shared fixtures: where the vendored oracle data lives, and small helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
ORACLES = REPO / "tests" / "oracles"
"""Outside data the tests check against (specs, SDK fixtures): see ``tests/oracles/SOURCES.md``."""


@pytest.fixture(scope="session")
def oracles_dir() -> Path:
    """The vendored oracle folder: ``specs/current``, ``specs/examples``, ``specs/ncco.json``."""
    return ORACLES


def load_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def ncco_reference_snippets(oracles: Path) -> list[Any]:
    """The example NCCOs of ``ncco_snippets.json``, one per documented action but stream."""
    return [entry["ncco"] for entry in load_json(oracles / "ncco_snippets.json")["snippets"]]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make unit`` runs ``-n auto --dist loadgroup``): one worker per
    test module, so module-scoped fixtures and per-module caches (a sandbox, a smoke run of
    a benchmark) are built once, not once per worker; tests marked ``serial`` (those with a
    timing bound) share one worker, so they never run beside each other. A test may name
    its own ``xdist_group``. Without xdist, nothing changes.
    """
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        group = "serial" if item.get_closest_marker("serial") else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
