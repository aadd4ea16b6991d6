"""The state of one simulated call: legs, clock, limits, and how webhooks are sent and traced.

:class:`CallContext` is shared by the call's entry point (the sandbox's ``calls``) and the
NCCO runner (:mod:`vonage_widgets.voice.runner`). It owns the rules of [api-notes §3.4] for the
requests that matter to the call flow: :meth:`CallContext.fetch_answer` (answer URL, then the
fallback URL, each with one retry) and :meth:`CallContext.post` (events; for those that may
return an NCCO, the fallback URL on failure, then carry on without one).

Time is simulated: :meth:`CallContext.advance` moves a clock that starts when the call does,
so talks, waits and rings take no real time and timestamps are reproducible. A webhook that
times out advances the clock by the timeout it hit (what a caller would wait); other HTTP
round trips take no simulated time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

import httpx

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.voice.http import Attempt, Expect, Signer, WebhookTarget, deliver
from vonage_widgets.voice.trace import CallTrace, PostedEvent, Step, StepKind

__all__ = [
    "CallContext",
    "CallLimits",
    "CallOver",
    "CallScript",
    "Leg",
    "LimitReached",
]

SANDBOX_RATE = "0.00000000"
"""``rate`` and ``price`` of every simulated call: the sandbox charges nothing."""
SANDBOX_NETWORK = "SANDBOX"
"""``network`` of every simulated call (no real carrier is involved)."""


@dataclass(frozen=True, slots=True)
class CallLimits:
    """Bounds that stop a runaway call: actions run, NCCO replacements, simulated seconds of
    call, and real seconds spent (webhooks that keep timing out)."""

    max_actions: int = 200
    max_replacements: int = 20
    max_call_seconds: float = 4 * 3600.0
    max_wall_seconds: float = 120.0

    def __post_init__(self) -> None:
        problems = [
            FieldError(name, "must be greater than 0")
            for name in ("max_actions", "max_replacements", "max_call_seconds", "max_wall_seconds")
            if not getattr(self, name) > 0
        ]
        if problems:
            raise ValidationError(problems, subject="call limits")


@dataclass(slots=True)
class CallScript:
    """What the people on the call do: keys pressed and phrases said (one entry per input
    action, in order), whether the dialled party answers, and how long people stay on."""

    dtmf: list[str] = field(default_factory=list)
    speech: list[str] = field(default_factory=list)
    answer_callee: bool = True
    hold_seconds: float = 30.0


@dataclass(slots=True)
class Leg:
    """One leg of the call: the inbound caller, or a party dialled by ``connect``."""

    role: str
    uuid: str
    from_: str
    to: str
    direction: Literal["inbound", "outbound"]
    event_target: WebhookTarget | None
    expect: Expect = "nothing"
    answered_at: float | None = None


class CallOver(Exception):
    """The call ends now: ``by`` is ``"user"`` (someone hung up) or ``"platform"``."""

    def __init__(self, by: str, why: str) -> None:
        super().__init__(why)
        self.by = by
        self.why = why


class LimitReached(CallOver):
    """A bound of :class:`CallLimits` was hit; the simulator ends the call."""

    def __init__(self, why: str) -> None:
        super().__init__("platform", why)


class CallContext:
    """One call's legs, clock, webhook targets, signer, script, limits and trace."""

    def __init__(
        self,
        *,
        trace: CallTrace,
        started: datetime,
        client: httpx.Client,
        answer: WebhookTarget,
        event: WebhookTarget | None,
        fallback: WebhookTarget | None,
        signer: Signer | None,
        script: CallScript,
        limits: CallLimits,
        new_id: Callable[[str], str],
        linked_numbers: list[str],
    ) -> None:
        self.trace = trace
        self.started = started
        self.client = client
        self.answer = answer
        self.event = event
        self.fallback = fallback
        self.signer = signer
        self.script = script
        self.limits = limits
        self.new_id = new_id
        self.linked_numbers = linked_numbers
        self.now = 0.0
        self.wall_start = time.monotonic()
        self.caller = Leg("caller", trace.uuid, trace.from_, trace.to, "inbound", event)
        self.closing = False
        """True while the call is being closed: limits no longer interrupt it."""
        self.last_error = ""
        """Why the last webhook (and its fallback) failed, for the call's outcome."""

    # -- clock and limits ---------------------------------------------------------------

    def stamp(self, at: float | None = None) -> str:
        """ISO 8601 time of simulated second ``at`` (default: now), milliseconds, ``Z``."""
        moment = self.started + timedelta(seconds=self.now if at is None else at)
        return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")

    def advance(self, seconds: float) -> None:
        """Let simulated time pass; raises :class:`LimitReached` past ``max_call_seconds``."""
        self.now = round(self.now + max(seconds, 0.0), 3)
        if self.now > self.limits.max_call_seconds and not self.closing:
            self.now = self.limits.max_call_seconds
            raise LimitReached(
                f"the call reached the simulator's limit of {self.limits.max_call_seconds:g} "
                "simulated seconds"
            )

    def check_wall_time(self) -> None:
        """Raise :class:`LimitReached` once the simulation has used its real-time budget."""
        if self.closing:
            return
        if time.monotonic() - self.wall_start > self.limits.max_wall_seconds:
            raise LimitReached(
                f"the simulation ran longer than {self.limits.max_wall_seconds:g} real seconds "
                "(webhooks too slow?)"
            )

    # -- trace --------------------------------------------------------------------------

    def step(self, leg: str, kind: StepKind, name: str, detail: str, **extra: Any) -> Step:
        """Append a step to the trace and return it."""
        item = Step(len(self.trace.steps) + 1, self.now, leg, kind, name, detail, **extra)
        self.trace.steps.append(item)
        return item

    def _record(self, leg: str, name: str, target: WebhookTarget, attempt: Attempt) -> None:
        # A timeout costs the caller the time Vonage waited; other round trips cost nothing.
        if attempt.failure == "connect_timeout":
            self.now = round(self.now + target.connect_timeout / 1000, 3)
        elif attempt.failure == "read_timeout":
            self.now = round(self.now + target.socket_timeout / 1000, 3)
        outcome = attempt.error or f"HTTP {attempt.status}"
        if attempt.ok and attempt.ncco is not None:
            outcome += f", an NCCO of {len(attempt.ncco)} action(s)"
        sign = ", signed" if attempt.signed else ""
        detail = f"{attempt.method} {attempt.url} -> {outcome} (attempt {attempt.attempt}{sign})"
        self.step(
            leg,
            "webhook",
            name,
            detail,
            method=attempt.method,
            url=attempt.url,
            attempt=attempt.attempt,
            status=attempt.status,
            latency_ms=attempt.latency_ms,
            error=attempt.error,
            signed=attempt.signed,
            request=attempt.payload,
            response=attempt.body,
        )

    def _deliver(
        self, leg: str, name: str, target: WebhookTarget, payload: Mapping[str, Any], expect: Expect
    ) -> list[Attempt]:
        self.check_wall_time()
        return deliver(
            self.client,
            target,
            payload,
            expect=expect,
            signer=self.signer,
            on_attempt=lambda attempt: self._record(leg, name, target, attempt),
        )

    # -- the answer ---------------------------------------------------------------------

    def fetch_answer(self, payload: Mapping[str, Any]) -> list[Any] | None:
        """The call's first NCCO: answer URL, then fallback URL; None when both fail."""
        attempts = self._deliver("caller", "answer", self.answer, payload, "ncco")
        last = attempts[-1]
        if last.ok:
            self._note_warnings(last)
            return last.ncco
        return self._fallback("caller", "answer", self.answer, payload, last, "ncco")

    def _fallback(
        self,
        leg: str,
        kind: str,
        original: WebhookTarget,
        payload: Mapping[str, Any],
        failed: Attempt,
        expect: Expect,
    ) -> list[Any] | None:
        """Ask the fallback URL, with ``reason`` and ``original_request`` [api-notes §3.4]."""
        if self.fallback is None or not self.fallback.url:
            self.step(
                leg, "note", "no fallback", f"no fallback_answer_url to try after: {failed.error}"
            )
            self.last_error = failed.error or "webhook failed"
            return None
        data = {
            **payload,
            "reason": failed.error,
            "original_request": {"url": original.url, "type": kind},
        }
        attempts = self._deliver(leg, "fallback", self.fallback, data, expect)
        last = attempts[-1]
        if last.ok:
            self._note_warnings(last)
            return last.ncco
        self.last_error = f"{failed.error} Fallback: {last.error}"
        return None

    def _note_warnings(self, attempt: Attempt) -> None:
        if attempt.ncco_warnings:
            shown = "; ".join(str(w) for w in attempt.ncco_warnings)
            self.step("caller", "note", "ncco warnings", shown)

    # -- events -------------------------------------------------------------------------

    def post(
        self,
        leg: str,
        event: str,
        payload: Mapping[str, Any],
        target: WebhookTarget | None,
        *,
        expect: Expect = "nothing",
    ) -> list[Any] | None:
        """Send an event; returns the NCCO it answered with (when ``expect`` allows one).

        An NCCO-returning event that fails goes to the fallback URL (type ``event``); if that
        fails too the call carries on without a new NCCO [api-notes §3.4].
        """
        if target is None or not target.url:
            self.step(leg, "note", event, "not sent: the application has no event_url")
            return None
        attempts = self._deliver(leg, event, target, payload, expect)
        last = attempts[-1]
        self.trace.posted_events.append(
            PostedEvent(self.now, leg, event, target.url, dict(payload), last.status)
        )
        if last.ok:
            if last.ncco is None and expect == "maybe_ncco" and last.body not in (None, ""):
                self.step(leg, "note", "reply ignored", "the reply is not an NCCO array")
            self._note_warnings(last)
            return last.ncco
        if expect != "maybe_ncco":
            return None
        ncco = self._fallback(leg, "event", target, payload, last, expect)
        if ncco is None:
            self.step(leg, "note", "carry on", "no NCCO from the event or fallback URL")
        return ncco

    def leg_event(self, leg: Leg, status: str, **extra: Any) -> list[Any] | None:
        """Post a call-state event for ``leg`` to its event URL."""
        payload: dict[str, Any] = {
            "from": leg.from_,
            "to": leg.to,
            "uuid": leg.uuid,
            "conversation_uuid": self.trace.conversation_uuid,
            "status": status,
            "direction": leg.direction,
            "timestamp": self.stamp(),
            **extra,
        }
        return self.post(leg.role, status, payload, leg.event_target, expect=leg.expect)

    def completed(self, leg: Leg, *, by: str) -> list[Any] | None:
        """The leg's final ``completed`` event with its times, duration and (zero) price;
        returns its NCCO reply (only a synchronous connect's leg may give one)."""
        start = leg.answered_at if leg.answered_at is not None else self.now
        seconds = self.now - start
        return self.leg_event(
            leg,
            "completed",
            end_time=self.stamp(),
            start_time=self.stamp(start),
            duration=str(round(seconds)),
            network=SANDBOX_NETWORK,
            rate=SANDBOX_RATE,
            price=SANDBOX_RATE,
            disconnected_by=by,
        )
