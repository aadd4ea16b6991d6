"""Shared fixtures: where the reference specs live, and small helpers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
# CI and every session lay shared/ beside the clone: <parent>/main and <parent>/shared.
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference folder (specs, recorded SDK responses)."""
    if not (SHARED / "specs").is_dir():
        pytest.fail(f"reference folder not found at {SHARED}: it must sit beside the repository")
    return SHARED


def load_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


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
