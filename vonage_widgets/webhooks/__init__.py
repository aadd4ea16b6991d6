"""A local answer/event/fallback webhook server a notebook can start.

Serve the NCCO that answers calls (fixed, or from a function of the call), see every webhook
Vonage or the sandbox's call simulator sends as a DataFrame, and check signed webhooks.
See :class:`WebhookServer`.
"""

from __future__ import annotations

from vonage_widgets.webhooks.answer import AnswerRequest
from vonage_widgets.webhooks.records import (
    EVENT_COLUMNS,
    REQUEST_COLUMNS,
    RequestKind,
    WebhookRecord,
)
from vonage_widgets.webhooks.server import (
    DEFAULT_NCCO,
    EventHandler,
    NccoFunction,
    WebhookServer,
)
from vonage_widgets.webhooks.signature import NOT_CHECKED, UNSIGNED, VERIFIED

__all__ = [
    "DEFAULT_NCCO",
    "EVENT_COLUMNS",
    "NOT_CHECKED",
    "REQUEST_COLUMNS",
    "UNSIGNED",
    "VERIFIED",
    "AnswerRequest",
    "EventHandler",
    "NccoFunction",
    "RequestKind",
    "WebhookRecord",
    "WebhookServer",
]
