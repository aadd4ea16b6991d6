"""Plain helpers of the application form: key folders, error routing.

The change table the form previews is :func:`vonage_widgets.tables.changes_frame`.

Private to :mod:`vonage_widgets.widgets`; no widgets here, so each piece is easy to test.
The key file naming rule (:func:`~vonage_widgets.keys.key_file_name`, ``safe_name``,
``KEY_FILE_SUFFIX``) lives in :mod:`vonage_widgets.keys` and is re-exported here for the form.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from vonage_widgets._diff import flatten
from vonage_widgets._paths import default_home
from vonage_widgets.errors import FieldError
from vonage_widgets.keys import KEY_FILE_SUFFIX, key_file_name, safe_name

__all__ = [
    "KEY_FILE_SUFFIX",
    "default_keys_dir",
    "flatten",
    "key_file_name",
    "route_errors",
    "safe_name",
]


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
