"""Helpers for the models tests: read recorded bodies and build bodies from the spec."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from tests.conftest import load_json


def recorded(oracles_dir: Path, folder: str) -> list[Path]:
    """The recorded JSON bodies in ``specs/examples/<folder>``, sorted (never empty)."""
    paths = sorted((oracles_dir / "specs" / "examples" / folder).glob("*.json"))
    assert paths, f"no recorded bodies in {folder}"
    return paths


def without_private_key(body: dict[str, Any]) -> dict[str, Any]:
    """A copy of an application body with ``keys.private_key`` removed."""
    out = copy.deepcopy(body)
    keys = out.get("keys")
    if isinstance(keys, dict):
        keys.pop("private_key", None)
    return out


def spec_example(schema: dict[str, Any], components: dict[str, Any]) -> Any:
    """A body made of the spec's own ``example`` values, following ``$ref`` and ``allOf``.

    Objects keep only the properties that have an example somewhere below them.
    """
    if "$ref" in schema:
        return spec_example(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = spec_example(part, components)
            if isinstance(value, dict):
                _deep_merge(merged, value)
        return merged
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "properties" in schema:
        out = {k: spec_example(v, components) for k, v in schema["properties"].items()}
        return {k: v for k, v in out.items() if v is not None}
    if schema.get("type") == "object":
        return {}
    return None


def _deep_merge(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = value


def load_spec(oracles_dir: Path) -> dict[str, Any]:
    """The current Application API spec (2.4.1)."""
    return load_json(oracles_dir / "specs" / "current" / "application.v2.json")
