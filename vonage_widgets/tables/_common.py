"""Helpers every table shares: typed frames, the application sort order, the catalog order.

Private to ``vonage_widgets.tables``. Every public table is built by :func:`typed_frame`, so
an empty input gives the same columns and dtypes as a full one, and sorted by
:func:`sort_rows`, so the row order never depends on the order the API returned things in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from vonage_widgets.models.catalog import CAPABILITIES, WebhookSpec

__all__ = [
    "KNOWN_CAPABILITIES",
    "TEXT",
    "UNKNOWN_APPLICATION",
    "WEBHOOK_SPECS",
    "name_key",
    "sort_rows",
    "typed_frame",
]

TEXT = "str"
"""The dtype of text columns (pandas' string dtype; missing values read as NaN)."""

UNKNOWN_APPLICATION = "(unknown application)"
"""Shown as the application's name when a number points at an id that is not among the apps."""

KNOWN_CAPABILITIES: tuple[str, ...] = tuple(spec.name for spec in CAPABILITIES)
"""The modelled capabilities in catalog order: the fixed first columns and sort order."""

WEBHOOK_SPECS: Mapping[str, tuple[WebhookSpec, ...]] = {
    spec.name: spec.webhooks for spec in CAPABILITIES
}
"""Each modelled capability's webhooks, in catalog order."""


def typed_frame(
    rows: Sequence[Sequence[Any]] | Mapping[str, Sequence[Any]] | pd.DataFrame,
    dtypes: Mapping[str, str],
) -> pd.DataFrame:
    """A frame with exactly the columns of ``dtypes``, in that order and with those dtypes.

    ``rows`` is a list of row tuples (in column order), a dict of columns or a frame.
    """
    columns = list(dtypes)
    if isinstance(rows, pd.DataFrame):
        frame = rows.loc[:, columns]
    elif isinstance(rows, Mapping):
        frame = pd.DataFrame({name: rows[name] for name in columns}, columns=columns)
    else:
        frame = pd.DataFrame.from_records(list(rows), columns=columns)
    return frame.astype(dict(dtypes))


def name_key(names: pd.Series) -> pd.Series:
    """The sort key of application names: case-insensitive, so "api" sits beside "API"."""
    return names.str.casefold()


def sort_rows(
    frame: pd.DataFrame, keys: Sequence[str], *, text_keys: Sequence[str] = ()
) -> pd.DataFrame:
    """``frame`` sorted by ``keys`` (stable; missing values last), with a fresh 0..n index.

    Columns in ``text_keys`` are compared case-insensitively first, then exactly, so the
    order is total and deterministic whatever order the rows came in.
    """
    if frame.empty:
        return frame.reset_index(drop=True)
    helpers = {f"__key_{name}": name_key(frame[name]) for name in text_keys}
    order: list[str] = []
    for name in keys:
        if name in text_keys:
            order.append(f"__key_{name}")
        order.append(name)
    ranked = frame.assign(**helpers).sort_values(order, kind="stable", na_position="last")
    return ranked.drop(columns=list(helpers)).reset_index(drop=True)
