"""The record of one simulated call: every step in order, every webhook request, every event.

A :class:`CallTrace` is what ``Sandbox.simulate_call`` returns and what the HTTP route sends
as JSON (:meth:`CallTrace.to_dict` / :meth:`CallTrace.from_dict`). Times in the trace are
*simulated* seconds since the call started (``at``), so they are the same on every run;
only ``latency_ms`` (real HTTP round trips) and ``wall_ms`` vary, and the text views
(:meth:`CallTrace.timeline`, the reprs) leave them out so notebooks stay reproducible.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from vonage_widgets.models.call_events import CALL_EVENT_FIELDS

if TYPE_CHECKING:
    import pandas as pd

# The tables (and pandas) load when a table is first asked for: a call runs without them.

__all__ = ["EVENT_COLUMNS", "STEP_COLUMNS", "CallTrace", "PostedEvent", "Step", "StepKind"]

StepKind = Literal["call", "webhook", "ncco", "action", "note"]
"""``call``: the call's own life (started, answered, ended); ``webhook``: one HTTP request;
``ncco``: an NCCO taken into use; ``action``: an NCCO action run; ``note``: anything else
worth knowing (ignored replies, limits, warnings)."""

STEP_COLUMNS: tuple[str, ...] = (
    "step",
    "at",
    "leg",
    "kind",
    "name",
    "detail",
    "method",
    "url",
    "attempt",
    "status",
    "latency_ms",
    "error",
    "signed",
)
"""Columns of :attr:`CallTrace.dataframe`, in order (stable: notebooks select by name)."""

EVENT_COLUMNS: tuple[str, ...] = (
    "at",
    "leg",
    "event",
    *CALL_EVENT_FIELDS,
    "url",
    "response_status",
)
"""First columns of :attr:`CallTrace.events`; flattened payload fields follow."""


@dataclass(slots=True)
class Step:
    """One thing that happened. Webhook steps also carry the request and its answer."""

    step: int
    at: float
    leg: str
    kind: StepKind
    name: str
    detail: str
    method: str | None = None
    url: str | None = None
    attempt: int | None = None
    status: int | None = None
    latency_ms: float | None = None
    error: str | None = None
    signed: bool | None = None
    request: Any = None
    response: Any = None

    def as_row(self) -> dict[str, Any]:
        """The step as a row of :attr:`CallTrace.dataframe`."""
        return {name: getattr(self, name) for name in STEP_COLUMNS}

    def line(self) -> str:
        """One line of the timeline (no latency: it changes from run to run)."""
        return f"{self.at:8.1f} s  {self.leg:<6}  {self.kind:<7}  {self.name:<13}  {self.detail}"


@dataclass(slots=True)
class PostedEvent:
    """An event payload the simulator delivered (or tried to) to an event URL."""

    at: float
    leg: str
    event: str
    url: str
    payload: dict[str, Any]
    response_status: int | None

    def as_row(self) -> dict[str, Any]:
        """The event with its payload flattened (``dtmf.digits``)."""
        from vonage_widgets.tables.events import event_row

        own = {
            "at": self.at,
            "leg": self.leg,
            "event": self.event,
            "url": self.url,
            "response_status": self.response_status,
        }
        return event_row(own, self.payload)


@dataclass(slots=True)
class CallTrace:
    """Everything one simulated inbound call did, in order.

    ``outcome`` is ``"completed"`` when the call ran to its end, else ``"failed: <reason>"``
    (no NCCO could be fetched, a limit of the simulator was hit, ...). ``duration`` is the
    simulated length in seconds from answer to hang-up; ``wall_ms`` the real time the
    simulation took.
    """

    uuid: str
    conversation_uuid: str
    to: str
    from_: str
    api_key: str
    application_id: str
    outcome: str = "completed"
    start_time: str = ""
    end_time: str = ""
    duration: float = 0.0
    answered: bool = False
    signed: bool = False
    wall_ms: float = 0.0
    steps: list[Step] = field(default_factory=list)
    posted_events: list[PostedEvent] = field(default_factory=list)

    # -- views --------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        """True when the call completed."""
        return self.outcome == "completed"

    @property
    def dataframe(self) -> pd.DataFrame:
        """Every step as a row; columns :data:`STEP_COLUMNS` (also when empty)."""
        from vonage_widgets.tables.events import records_table

        frame = records_table([s.as_row() for s in self.steps], STEP_COLUMNS)
        # Whole numbers stay whole where a step has none (pandas would make them floats).
        return frame.astype({"step": "Int64", "attempt": "Int64", "status": "Int64"})

    @property
    def webhooks(self) -> pd.DataFrame:
        """Only the webhook requests (one row per attempt), same columns as ``dataframe``."""
        frame = self.dataframe
        return frame[frame["kind"] == "webhook"].reset_index(drop=True)

    @property
    def events(self) -> pd.DataFrame:
        """Every event posted, payload flattened; :data:`EVENT_COLUMNS` first."""
        from vonage_widgets.tables.events import events_table

        return events_table([e.as_row() for e in self.posted_events], EVENT_COLUMNS)

    def attempts(self, url: str | None = None) -> list[Step]:
        """The webhook steps, optionally only those to ``url`` (query string ignored)."""
        return [
            s
            for s in self.steps
            if s.kind == "webhook" and (url is None or (s.url or "").split("?")[0] == url)
        ]

    def statuses(self, leg: str | None = "caller") -> list[str]:
        """The ``status`` of each call-state event posted for ``leg`` (None: every leg)."""
        return [
            str(e.payload["status"])
            for e in self.posted_events
            if "status" in e.payload and (leg is None or e.leg == leg)
        ]

    def timeline(self) -> str:
        """The steps as readable text, one per line, with simulated times."""
        head = (
            f"Call {self.from_} -> {self.to} (uuid {self.uuid}): {self.outcome}, "
            f"{self.duration:g} s"
        )
        return "\n".join([head, *(s.line() for s in self.steps)])

    def __repr__(self) -> str:
        webhooks = sum(1 for s in self.steps if s.kind == "webhook")
        return (
            f"CallTrace(outcome={self.outcome!r}, from={self.from_!r}, to={self.to!r}, "
            f"uuid={self.uuid!r}, duration={self.duration:g} s, steps={len(self.steps)}, "
            f"webhook_requests={webhooks}, events={len(self.posted_events)})"
        )

    def _repr_html_(self) -> str:
        colour = "#137333" if self.ok else "#c5221f"
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td style='text-align:left'>{html.escape(str(v))}</td>"
                for v in (f"{s.at:.1f} s", s.leg, s.kind, s.name, s.detail)
            )
            + "</tr>"
            for s in self.steps
        )
        headings = ("at", "leg", "kind", "what", "detail")
        head = "".join(f"<th style='text-align:left'>{h}</th>" for h in headings)
        title = html.escape(
            f"{self.from_} → {self.to} · uuid {self.uuid} · {self.duration:g} s", quote=False
        )
        return (
            f"<div><b>Simulated call</b> · <b style='color:{colour}'>"
            f"{html.escape(self.outcome, quote=False)}</b> · {title}"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        )

    # -- JSON ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (the HTTP route's response body); :meth:`from_dict` reverses it."""
        data = asdict(self)
        data["from"] = data.pop("from_")
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CallTrace:
        """Rebuild a trace from :meth:`to_dict` output (e.g. received over HTTP)."""
        values = dict(data)
        values["from_"] = values.pop("from", values.get("from_", ""))
        values["steps"] = [Step(**s) for s in values.get("steps", [])]
        values["posted_events"] = [PostedEvent(**e) for e in values.get("posted_events", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})
