"""What the webhook server saw: one record per request, kept in a thread-safe log.

The server writes from its own thread; a notebook reads (tables, ``wait_for``) from the
kernel's thread. One lock and one condition variable keep the two apart, and every wait is
bounded by a timeout.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from vonage_widgets.errors import RequestTimeout
from vonage_widgets.models.call_events import CALL_EVENT_FIELDS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EVENT_COLUMNS",
    "REQUEST_COLUMNS",
    "RequestKind",
    "RequestLog",
    "WebhookRecord",
    "all_events_frame",
    "events_frame",
    "messages_frame",
    "requests_frame",
]

RequestKind = Literal["answer", "event", "fallback", "inbound", "status", "rtc", "unknown"]
"""What a request was: a voice webhook (answer, event, fallback), a Messages webhook (inbound,
status), an RTC event (rtc), or a request to a path the server does not serve (unknown)."""

# Column order is part of the public API: notebooks select and sort by these names.
REQUEST_COLUMNS: tuple[str, ...] = (
    "time",
    "kind",
    "method",
    "path",
    "query",
    "body",
    "signature",
    "response_status",
    "response",
    "error",
)
EVENT_COLUMNS: tuple[str, ...] = ("time", *CALL_EVENT_FIELDS, "signature", "response_status")


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """One request the server received and how it answered.

    ``payload`` is the webhook's data: the JSON body for POST, the query parameters for GET.
    ``signature`` is ``"verified"``, ``"unsigned"``, ``"invalid: <reason>"`` or
    ``"not checked"`` (no signature secret configured). ``error`` says why the server did not
    serve an NCCO (invalid NCCO, the user's function raised, bad signature), else ``None``.
    """

    time: datetime
    kind: RequestKind
    method: str
    path: str
    query: dict[str, str]
    body: Any
    signature: str
    response_status: int
    response: Any = None
    error: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)

    def as_row(self) -> dict[str, Any]:
        """The record as a row of :func:`requests_frame`."""
        return {name: getattr(self, name) for name in REQUEST_COLUMNS}

    def event_row(self) -> dict[str, Any]:
        """The record as a row of :func:`events_frame` (its payload flattened)."""
        from vonage_widgets.tables.events import event_row, flatten

        payload = flatten(self.payload)
        if "uuid" not in payload and "call_uuid" in payload:
            payload["uuid"] = payload["call_uuid"]
        own = {
            "time": self.time,
            "signature": self.signature,
            "response_status": self.response_status,
        }
        return event_row(own, payload)


class RequestLog:
    """A bounded, thread-safe list of :class:`WebhookRecord` with a blocking ``wait_for``."""

    def __init__(self, max_records: int = 10_000) -> None:
        self._records: deque[WebhookRecord] = deque(maxlen=max_records)
        self._changed = threading.Condition()

    def add(self, record: WebhookRecord) -> None:
        """Append a record and wake every waiter."""
        with self._changed:
            self._records.append(record)
            self._changed.notify_all()

    def clear(self) -> None:
        """Forget every record (waiters keep waiting for new ones)."""
        with self._changed:
            self._records.clear()

    def snapshot(self) -> list[WebhookRecord]:
        """A copy of the records, oldest first."""
        with self._changed:
            return list(self._records)

    def __len__(self) -> int:
        with self._changed:
            return len(self._records)

    def __iter__(self) -> Iterator[WebhookRecord]:
        return iter(self.snapshot())

    def wait_for(
        self,
        kind: RequestKind | None = "event",
        status: str | None = None,
        *,
        timeout: float = 5.0,
        fields: Mapping[str, Any] | None = None,
    ) -> WebhookRecord:
        """The first record of ``kind`` whose payload has ``status`` (and ``fields``).

        Looks at records already received, then waits at most ``timeout`` seconds for new
        ones. Raises :class:`~vonage_widgets.errors.RequestTimeout` when none matches.
        """
        wanted = dict(fields or {})
        if status is not None:
            wanted["status"] = status
        deadline = time.monotonic() + max(timeout, 0.0)
        with self._changed:
            while True:
                for record in self._records:
                    if _matches(record, kind, wanted):
                        return record
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            seen = [f"{r.kind} {r.payload.get('status', '')}".strip() for r in self._records]
        what = " ".join([kind or "any", "webhook"] + [f"with {k}={v!r}" for k, v in wanted.items()])
        summary = ", ".join(seen[-10:]) or "none"
        raise RequestTimeout(f"no {what} arrived within {timeout:g} s (received so far: {summary})")


def _matches(record: WebhookRecord, kind: str | None, wanted: Mapping[str, Any]) -> bool:
    if kind is not None and record.kind != kind:
        return False
    return all(str(record.payload.get(k)) == str(v) for k, v in wanted.items())


def requests_frame(records: list[WebhookRecord]) -> pd.DataFrame:
    """Every request as one row, columns :data:`REQUEST_COLUMNS` (also when empty)."""
    from vonage_widgets.tables.events import records_table

    return records_table([r.as_row() for r in records], REQUEST_COLUMNS)


def messages_frame(records: list[WebhookRecord]) -> pd.DataFrame:
    """Inbound messages and message statuses, one row each (``tables.messages``)."""
    from vonage_widgets.tables.messages import messages_table

    return messages_table(
        [
            {"time": r.time, "kind": r.kind, "signature": r.signature,
             "response_status": r.response_status, "payload": r.payload}
            for r in records
            if r.kind in ("inbound", "status")
        ]
    )  # fmt: skip


def all_events_frame(records: list[WebhookRecord]) -> pd.DataFrame:
    """Every webhook of every capability, one row each (``tables.messages``)."""
    from vonage_widgets.tables.messages import capability_events_table

    return capability_events_table(
        [
            {"time": r.time, "kind": r.kind, "signature": r.signature,
             "response_status": r.response_status, "payload": r.payload}
            for r in records
            if r.kind != "unknown"
        ]
    )  # fmt: skip


def events_frame(records: list[WebhookRecord]) -> pd.DataFrame:
    """Event webhooks only, payload flattened (``dtmf.digits``), :data:`EVENT_COLUMNS` first.

    Machine-detection events carry ``call_uuid`` instead of ``uuid`` [api-notes §3.3]; the
    ``uuid`` column falls back to it so one column identifies the leg for every event.
    """
    from vonage_widgets.tables.events import events_table

    return events_table([r.event_row() for r in records if r.kind == "event"], EVENT_COLUMNS)
