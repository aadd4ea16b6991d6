"""Plain helpers of the application form: change lists, key folders, error routing.

Private to :mod:`vonage_widgets.widgets`; no widgets here, so each piece is easy to test.
The key file naming rule (:func:`~vonage_widgets.keys.key_file_name`, ``safe_name``,
``KEY_FILE_SUFFIX``) lives in :mod:`vonage_widgets.keys` and is re-exported here for the form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import pandas as pd

from vonage_widgets._diff import changed_fields, flatten
from vonage_widgets._paths import default_home
from vonage_widgets.errors import FieldError
from vonage_widgets.keys import KEY_FILE_SUFFIX, fingerprint, key_file_name, safe_name

__all__ = [
    "CHANGE_COLUMNS",
    "KEY_FILE_SUFFIX",
    "changes_frame",
    "default_keys_dir",
    "flatten",
    "key_file_name",
    "route_errors",
    "safe_name",
]

CHANGE_COLUMNS: Final = ("field", "before", "after")
"""Columns of :func:`changes_frame`: wire path, value before, value after (``None`` = absent)."""

_PUBLIC_KEY_FIELD = "keys.public_key"


def _shown(path: str, value: Any) -> Any:
    # A PEM public key is long and unreadable in a table; its fingerprint identifies it.
    if path == _PUBLIC_KEY_FIELD and isinstance(value, str):
        try:
            return f"public key {fingerprint(value)}"
        except Exception:  # a key the API holds but we cannot parse: show it as it is
            return value
    return dict(value) if isinstance(value, Mapping) else value


def changes_frame(
    before: Mapping[str, Any], after: Mapping[str, Any], extra: Iterable[tuple[str, Any]] = ()
) -> pd.DataFrame:
    """The fields that differ between two documents, one row each, in the ``after`` order.

    ``None`` marks a field that is absent on that side. ``extra`` adds rows for changes that
    are not in ``after`` yet (a key pair generated on save).
    """
    rows = [
        (path, _shown(path, was), _shown(path, now))
        for path, was, now in changed_fields(before, after)
    ]
    old = flatten(before)
    rows += [(path, _shown(path, old.get(path)), value) for path, value in extra]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS), dtype=object)


def default_keys_dir() -> Path:
    """Where private keys go when the form is given no folder: ``<home>/keys``.

    ``<home>`` is ``VONAGE_WIDGETS_HOME`` or the platform's user data folder for
    ``vonage-widgets`` (the rule the workbook follows too, see the contract).
    """
    return default_home() / "keys"


def route_errors(
    errors: Iterable[FieldError], targets: Iterable[str]
) -> tuple[dict[str, list[str]], list[FieldError]]:
    """Send each error to the field whose path is its longest known prefix.

    Returns (messages per target path, errors with no target). ``capabilities.voice.x.y``
    falls back to ``capabilities.voice.x`` and so on; an error on a capability the form does
    not model (``capabilities.video...``) or on the document (``""``) has no target.
    """
    known = set(targets)
    routed: dict[str, list[str]] = {}
    general: list[FieldError] = []
    for error in errors:
        parts = error.path.split(".") if error.path else []
        target = next(
            (".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in known),
            None,
        )
        if target is None:
            general.append(error)
        elif target == error.path:
            routed.setdefault(target, []).append(error.message)
        else:  # say which part of the field it is about
            rest = error.path[len(target) + 1 :]
            routed.setdefault(target, []).append(f"{rest}: {error.message}")
    return routed, general
