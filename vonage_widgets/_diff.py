"""What differs between two JSON documents, leaf by leaf: the form's "what will change" table
and the CLI's ``--dry-run`` list both show this, each in its own way.

At the bottom of the layers (it imports nothing of ours).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["changed_fields", "flatten"]


def flatten(document: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every leaf of a JSON object by dotted wire path; an empty object is a leaf (``{}``)."""
    leaves: dict[str, Any] = {}
    for key, value in document.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping) and value:
            leaves.update(flatten(value, path))
        else:
            leaves[path] = value
    return leaves


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> list[tuple[str, Any, Any]]:
    """Every leaf that differs, as (wire path, before, after), ``None`` for absent.

    In ``after``'s order, then the leaves only ``before`` has. A leaf present on one side
    only counts as changed even when the other side's value is ``None``.
    """
    old, new = flatten(before), flatten(after)
    order = list(new) + [path for path in old if path not in new]
    return [
        (path, old.get(path), new.get(path))
        for path in order
        if old.get(path) != new.get(path) or (path in old) != (path in new)
    ]
