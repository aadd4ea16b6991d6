"""Vonage's capability and webhook overview as tables, generated from the models' catalog.

Nothing here is typed by hand: every name, method, range and default is read from
``models.catalog.CAPABILITIES``, which reads the models' field constraints. The tables
therefore always say what the form and the sandbox enforce [api-notes §1.5.1].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from vonage_widgets.models.catalog import CAPABILITIES, Range
from vonage_widgets.tables._common import TEXT, typed_frame

__all__ = [
    "CAPABILITY_REFERENCE_COLUMNS",
    "WEBHOOK_REFERENCE_COLUMNS",
    "capabilities_reference",
    "webhooks_reference",
]

CAPABILITY_REFERENCE_COLUMNS: Mapping[str, str] = {
    "capability": TEXT,
    "title": TEXT,
    "description": TEXT,
    "webhooks": TEXT,
    "settings": TEXT,
}
"""The columns of :func:`capabilities_reference`."""

WEBHOOK_REFERENCE_COLUMNS: Mapping[str, str] = {
    "capability": TEXT,
    "webhook": TEXT,
    "methods": TEXT,
    "default_method": TEXT,
    "connect_timeout_min": "Int64",
    "connect_timeout_max": "Int64",
    "connect_timeout_default": "Int64",
    "socket_timeout_min": "Int64",
    "socket_timeout_max": "Int64",
    "socket_timeout_default": "Int64",
    "description": TEXT,
}
"""The columns of :func:`webhooks_reference` (timeouts in milliseconds)."""


def capabilities_reference() -> pd.DataFrame:
    """One row per modelled capability: what it is for, its webhooks and its settings.

    ``webhooks`` and ``settings`` are comma-joined wire names in catalog order (``""`` when
    there are none, as for vbc). Rows in catalog order (voice, messages, rtc, verify, vbc).
    """
    rows = [
        (
            spec.name,
            spec.title,
            spec.description,
            ", ".join(hook.name for hook in spec.webhooks),
            ", ".join(setting.name for setting in spec.settings),
        )
        for spec in CAPABILITIES
    ]
    return typed_frame(rows, CAPABILITY_REFERENCE_COLUMNS)


def _bounds(limits: Range | None) -> tuple[Any, Any, Any]:
    if limits is None:
        return (None, None, None)  # no documented timeout for this webhook
    return (limits.minimum, limits.maximum, limits.default)


def webhooks_reference() -> pd.DataFrame:
    """One row per webhook of every modelled capability, with the limits Vonage documents.

    ``methods`` is comma-joined (``"GET, POST"``); ``default_method`` is what Vonage uses when
    ``http_method`` is absent. The timeout columns give the allowed range and the default in
    milliseconds, ``<NA>`` where the API documents no timeout. Rows in catalog order.
    """
    rows = [
        (
            spec.name,
            hook.name,
            ", ".join(hook.methods),
            hook.default_method,
            *_bounds(hook.connect_timeout),
            *_bounds(hook.socket_timeout),
            hook.description,
        )
        for spec in CAPABILITIES
        for hook in spec.webhooks
    ]
    return typed_frame(rows, WEBHOOK_REFERENCE_COLUMNS)
