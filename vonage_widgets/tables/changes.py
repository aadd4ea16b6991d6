"""The change table: the fields that differ between two application documents.

The form's "what will change" preview shows it; the rows come from the one document diff
(:func:`vonage_widgets._diff.changed_fields`) the CLI's dry run uses too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

import pandas as pd

from vonage_widgets._diff import changed_fields, flatten

__all__ = ["CHANGE_COLUMNS", "changes_frame"]

CHANGE_COLUMNS: Final = ("field", "before", "after")
"""Columns of :func:`changes_frame`: wire path, value before, value after (``None`` = absent)."""

_PUBLIC_KEY_FIELD = "keys.public_key"


def _shown(path: str, value: Any) -> Any:
    # A PEM public key is long and unreadable in a table; its fingerprint identifies it.
    if path == _PUBLIC_KEY_FIELD and isinstance(value, str):
        from vonage_widgets.keys import fingerprint  # cryptography loads with the first key

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
