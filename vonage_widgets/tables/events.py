"""Tables of what happened on a call: events, webhook requests, simulated-call steps.

The simulated call (:class:`~vonage_widgets.voice.trace.CallTrace`) and the local webhook
server (:class:`~vonage_widgets.webhooks.WebhookServer`) keep plain records; their
DataFrame views (``call.events``, ``server.events``, ``server.requests``,
``call.dataframe``) are built here, so both event tables follow one rule: the record's own
columns first, then every payload field flattened (``dtmf.digits``) in order of first
appearance. A payload field named like one of the record's own columns is shown as
``payload.<name>``, so it never hides the record's value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

__all__ = ["event_row", "events_table", "flatten", "records_table"]


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted keys (``{"dtmf": {"digits": "1"}}`` -> ``dtmf.digits``).

    An empty object stays a value, so a payload that sent ``{}`` still shows it.
    """
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def event_row(own: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    """One event's row: its ``own`` columns, then its payload flattened."""
    row = dict(own)
    for key, value in flatten(payload).items():
        row[f"payload.{key}" if key in own else key] = value
    return row


def events_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> pd.DataFrame:
    """Event rows (:func:`event_row`) as a table: ``columns`` first, also when empty, then
    every other key of the rows in order of first appearance."""
    rows = list(rows)
    extra: dict[str, None] = {}  # an ordered set
    for row in rows:
        for key in row:
            if key not in columns:
                extra.setdefault(key)
    return pd.DataFrame(rows, columns=[*columns, *extra])


def records_table(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[str],
    *,
    integers: Sequence[str] = (),
) -> pd.DataFrame:
    """Rows with fixed ``columns`` (in that order, also when empty); other keys are left out.

    Columns named in ``integers`` hold whole numbers or nothing: they get pandas' nullable
    ``Int64``, so an HTTP status reads ``200`` rather than the ``200.0`` a column with a gap
    would otherwise become.
    """
    frame = pd.DataFrame(list(rows), columns=list(columns))
    return frame.astype(dict.fromkeys(integers, "Int64")) if integers else frame
