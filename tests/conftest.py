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
