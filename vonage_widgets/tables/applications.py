"""Applications as tables: which capabilities each one has, and every webhook it configures.

Both tables read the models only; the capability columns and the webhook defaults come from
the catalog (``models.catalog``), so a capability or default added to the models shows up here
without an edit. Capabilities the models do not know (``video``, ``network_apis``, ...) are
shown too: the models keep them verbatim, and hiding them would make an application look
simpler than it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from vonage_widgets.tables._common import (
    KNOWN_CAPABILITIES,
    TEXT,
    WEBHOOK_SPECS,
    sort_rows,
    typed_frame,
)

if TYPE_CHECKING:
    from vonage_widgets.models.application import Application

__all__ = [
    "APPLICATION_LIST_COLUMNS",
    "WEBHOOK_COLUMNS",
    "applications_list",
    "capabilities_table",
    "present_capabilities",
    "webhook_rows",
    "webhooks_table",
]

WEBHOOK_COLUMNS: Mapping[str, str] = {
    "application_id": TEXT,
    "application": TEXT,
    "capability": TEXT,
    "webhook": TEXT,
    "address": TEXT,
    "http_method": TEXT,
    "connect_timeout": "Int64",
    "socket_timeout": "Int64",
    "defaulted": TEXT,
}
"""The columns of :func:`webhooks_table` and their dtypes (timeouts in milliseconds)."""

# Sort helpers carried while the rows are ordered, then dropped.
_RANKS: Mapping[str, str] = {"_capability_rank": "int64", "_webhook_rank": "int64"}
_UNKNOWN_RANK = 1_000_000  # after every catalog entry; ties broken by name


def present_capabilities(app: Application) -> list[tuple[str, Any]]:
    """The capabilities ``app`` has, as (name, value) pairs: catalog order, then unknown by name.

    A known capability's value is its model; an unknown one's is the JSON the API sent. A
    capability set to ``null`` counts as absent, like every other null field.
    """
    caps = app.capabilities
    if caps is None:
        return []
    found: list[tuple[str, Any]] = [
        (name, value)
        for name in KNOWN_CAPABILITIES
        if (value := getattr(caps, name, None)) is not None
    ]
    extra = caps.model_extra or {}
    found.extend((name, extra[name]) for name in sorted(extra) if extra[name] is not None)
    return found


APPLICATION_LIST_COLUMNS: Mapping[str, str] = {
    "id": TEXT,
    "name": TEXT,
    "capabilities": TEXT,
}
"""The columns of :func:`applications_list` and their dtypes."""


def applications_list(apps: Iterable[Application]) -> pd.DataFrame:
    """One row per application in the order given: ``id``, ``name`` and its capabilities.

    ``capabilities`` names them comma-separated (catalog order, then unknown ones), or
    ``-`` for none: the compact list ``vonage-widgets apps list`` prints.
    """
    rows = [
        (app.id, app.name, ", ".join(name for name, _ in present_capabilities(app)) or "-")
        for app in apps
    ]
    return typed_frame(rows, APPLICATION_LIST_COLUMNS)


def capabilities_table(apps: Iterable[Application]) -> pd.DataFrame:
    """One row per application, one boolean column per capability it could have.

    Columns: ``application_id``, ``application`` (the name), the modelled capabilities in
    catalog order (voice, messages, rtc, verify, vbc), then every unknown capability seen in
    ``apps``, sorted by name. Rows are sorted by name (case-insensitive), then id.
    """
    # One pass, column by column: a listing of 10,000 applications spends ~5 us per row
    # here, so no per-row list, tuple or set is built for the (common) known capabilities.
    ids: list[str | None] = []
    names: list[str] = []
    known: dict[str, list[bool]] = {name: [] for name in KNOWN_CAPABILITIES}
    unknown_at: dict[int, list[str]] = {}  # row -> unknown capabilities it has (rare)
    for row, app in enumerate(apps):
        ids.append(app.id)
        names.append(app.name)
        caps = app.capabilities
        for name, column in known.items():
            column.append(caps is not None and getattr(caps, name, None) is not None)
        extra = caps.model_extra if caps is not None else None
        if extra:
            unknown_at[row] = [k for k, v in extra.items() if v is not None]
    unknown = sorted({name for found in unknown_at.values() for name in found} - set(known))
    dtypes: dict[str, str] = {"application_id": TEXT, "application": TEXT}
    columns: dict[str, list[Any]] = {"application_id": ids, "application": names}
    for name in KNOWN_CAPABILITIES:
        dtypes[name] = "bool"
        columns[name] = known[name]
    for name in unknown:
        dtypes[name] = "bool"
        columns[name] = [False] * len(ids)
    for row, found in unknown_at.items():
        for name in found:
            if name in dtypes and name not in known:
                columns[name][row] = True
    frame = typed_frame(columns, dtypes)
    return sort_rows(frame, ["application", "application_id"], text_keys=["application"])


def _timeout(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _raw_webhook(value: object) -> tuple[str, str | None, int | None, int | None] | None:
    """(address, method, connect, socket) of a webhook the models do not know, if it is one.

    Anything with a string ``address`` counts: ``http_method`` and the timeouts are shown
    when present (video's ``{address, active}`` webhooks have no method, and are still URLs
    Vonage calls). The old name ``connection_timeout`` is read like the models read it.
    """
    if not isinstance(value, Mapping) or not isinstance(value.get("address"), str):
        return None
    method = value.get("http_method")
    connect = value.get("connect_timeout", value.get("connection_timeout"))
    return (
        value["address"],
        method if isinstance(method, str) else None,
        _timeout(connect),
        _timeout(value.get("socket_timeout")),
    )


def _raw_rows(
    app: Application, capability: str, capability_rank: int, hooks: object
) -> list[tuple[Any, ...]]:
    """Rows for the webhook-shaped entries of a raw ``webhooks`` object, sorted by name."""
    if not isinstance(hooks, Mapping):
        return []
    rows: list[tuple[Any, ...]] = []
    for name in sorted(hooks):
        parsed = _raw_webhook(hooks[name])
        if parsed is not None:
            address, method, connect, socket = parsed
            rows.append(
                (app.id, app.name, capability, name, address, method, connect, socket, "",
                 capability_rank, _UNKNOWN_RANK)
            )  # fmt: skip
    return rows


def _known_rows(app: Application, capability: str, rank: int, value: Any) -> list[tuple[Any, ...]]:
    """Rows for a modelled capability: catalog webhooks (with API defaults), then extras."""
    container = getattr(value, "webhooks", None)
    if container is None:
        return []
    rows: list[tuple[Any, ...]] = []
    for webhook_rank, spec in enumerate(WEBHOOK_SPECS[capability]):
        hook = getattr(container, spec.name, None)
        if hook is None:
            continue
        defaulted: list[str] = []
        method = hook.http_method
        if method is None:
            method = spec.default_method
            defaulted.append("http_method")
        connect = hook.connect_timeout
        if connect is None and spec.connect_timeout is not None:
            connect = spec.connect_timeout.default
            defaulted.append("connect_timeout")
        socket = hook.socket_timeout
        if socket is None and spec.socket_timeout is not None:
            socket = spec.socket_timeout.default
            defaulted.append("socket_timeout")
        rows.append(
            (app.id, app.name, capability, spec.name, hook.address, method, connect, socket,
             ", ".join(defaulted), rank, webhook_rank)
        )  # fmt: skip
    rows.extend(_raw_rows(app, capability, rank, container.model_extra))
    return rows


def webhook_rows(apps: Iterable[Application]) -> pd.DataFrame:
    """The webhook rows of every app, unsorted, with the two sort-rank columns attached."""
    rows: list[tuple[Any, ...]] = []
    for app in apps:
        for name, value in present_capabilities(app):
            if name in WEBHOOK_SPECS:
                rank = KNOWN_CAPABILITIES.index(name)
                rows.extend(_known_rows(app, name, rank, value))
            elif isinstance(value, Mapping):
                rows.extend(_raw_rows(app, name, _UNKNOWN_RANK, value.get("webhooks")))
    return typed_frame(rows, {**WEBHOOK_COLUMNS, **_RANKS})


def webhooks_table(apps: Iterable[Application]) -> pd.DataFrame:
    """One row per application x capability x webhook, with the values Vonage works with.

    Columns: see :data:`WEBHOOK_COLUMNS`. When the application leaves ``http_method`` or a
    timeout unset, the table shows the API's default from the catalog (what Vonage will
    actually use) and names the filled-in fields in ``defaulted`` (``""`` when everything
    was set); a webhook without documented timeouts (messages, rtc, verify) shows ``<NA>``.
    Webhooks of unknown capabilities are shown as sent, with nothing filled in. Rows are
    sorted by application name, id, capability (catalog order, then unknown by name) and
    webhook (catalog order, then by name).
    """
    frame = sort_rows(
        webhook_rows(apps),
        [
            "application",
            "application_id",
            "_capability_rank",
            "capability",
            "_webhook_rank",
            "webhook",
        ],
        text_keys=["application"],
    )

    return frame.drop(columns=list(_RANKS))
