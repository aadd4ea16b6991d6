"""Tables of Messages and RTC webhooks, and one table of every capability's webhooks.

Built from plain rows ``{"time", "kind", "signature", "response_status", "payload"}`` that
the webhook server keeps (``WebhookServer.records``), or ``Delivery.to_dict()`` records of
the sandbox. ``kind`` is ``answer``/``event``/``fallback`` (voice), ``inbound``/``status``
(messages) or ``rtc``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from vonage_widgets.tables.events import events_table, flatten

__all__ = [
    "ALL_EVENT_COLUMNS",
    "CAPABILITY_OF_KIND",
    "MESSAGE_COLUMNS",
    "capability_events_table",
    "messages_table",
]

MESSAGE_COLUMNS: tuple[str, ...] = (
    "time",
    "kind",
    "channel",
    "message_uuid",
    "status",
    "from",
    "to",
    "text",
    "error",
    "client_ref",
    "signature",
    "response_status",
)
"""Columns of :func:`messages_table`, in order (also when empty)."""
ALL_EVENT_COLUMNS: tuple[str, ...] = (
    "time",
    "capability",
    "kind",
    "what",
    "id",
    "signature",
    "response_status",
)
"""Columns of :func:`capability_events_table`, in order (also when empty)."""
CAPABILITY_OF_KIND: dict[str, str] = {
    "answer": "voice",
    "event": "voice",
    "fallback": "voice",
    "inbound": "messages",
    "status": "messages",
    "rtc": "rtc",
}


def _field(payload: Mapping[str, Any], name: str) -> Any:
    value = payload.get(name)
    if isinstance(value, Mapping):  # v0.1 addresses: {"type": "sms", "number": "..."}
        return value.get("number", value.get("id", value.get("reason", value.get("title"))))
    return value


def messages_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Inbound messages and statuses: :data:`MESSAGE_COLUMNS`, both formats (v1, v0.1)."""
    out = []
    for row in rows:
        payload: Mapping[str, Any] = row.get("payload") or {}
        text = payload.get("text")
        if text is None and isinstance(payload.get("message"), Mapping):  # v0.1 inbound
            text = ((payload["message"].get("content") or {}) or {}).get("text")
        error = payload.get("error")
        if isinstance(error, Mapping):
            error = error.get("title", error.get("code"))
        out.append(
            {
                "time": row.get("time"),
                "kind": row.get("kind"),
                "channel": payload.get("channel") or _type_of(payload),
                "message_uuid": payload.get("message_uuid"),
                "status": payload.get("status")
                or ("inbound" if row.get("kind") == "inbound" else None),
                "from": _field(payload, "from"),
                "to": _field(payload, "to"),
                "text": text,
                "error": error,
                "client_ref": payload.get("client_ref"),
                "signature": row.get("signature"),
                "response_status": row.get("response_status"),
            }
        )
    return pd.DataFrame(out, columns=list(MESSAGE_COLUMNS))


def _type_of(payload: Mapping[str, Any]) -> Any:
    to = payload.get("to")
    return to.get("type") if isinstance(to, Mapping) else None


def capability_events_table(rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Every webhook of every capability in one table: :data:`ALL_EVENT_COLUMNS` first
    (``what`` is the voice status, the message status, ``inbound`` or the RTC event type;
    ``id`` the call, message or conversation id), then each payload flattened."""
    out = []
    for row in rows:
        payload: Mapping[str, Any] = row.get("payload") or {}
        kind = str(row.get("kind"))
        if kind == "rtc":
            what, ident = payload.get("type"), payload.get("conversation_id")
        elif kind in ("inbound", "status"):
            what = payload.get("status") or "inbound"
            ident = payload.get("message_uuid")
        else:
            what = payload.get("status") or kind
            ident = payload.get("uuid") or payload.get("call_uuid")
        own = {
            "time": row.get("time"),
            "capability": CAPABILITY_OF_KIND.get(kind, kind),
            "kind": kind,
            "what": what,
            "id": ident,
            "signature": row.get("signature"),
            "response_status": row.get("response_status"),
        }
        flat = {f"payload.{k}" if k in own else k: v for k, v in flatten(payload).items()}
        out.append({**own, **flat})
    return events_table(out, ALL_EVENT_COLUMNS)
