"""Running an NCCO on a simulated call, action by action, as Vonage would [api-notes §5].

Each action takes simulated time (nothing sleeps) and sends the webhooks Vonage sends: input
results, notify payloads, record events, the call-state events of a dialled leg. A reply NCCO
(input, notify, synchronous connect) replaces the rest of the running NCCO [api-notes §5.1].

Simulation choices (the real platform plays audio; the sandbox only keeps time):

* talk lasts ``len(text without SSML) / 14`` seconds (about 150 words a minute), at least
  0.5 s; a stream 5 s per loop (the audio file is not fetched); ``loop: 0`` (forever) makes
  the caller hang up after ``hold_seconds`` unless ``bargeIn`` lets an input take over.
* ``bargeIn`` prompts are played in full before the input listens (same total time).
* input: each input action takes the next entry of the caller's DTMF (or, failing that,
  speech) script. Digits take 0.5 s each; input stops at ``maxDigits`` (default 4) or ``#``
  with ``submitOnHash``, else after ``timeOut`` (default 3 s, ``timed_out: true``). Speech is
  recognised with confidence ``"0.95"`` after ``endOnSilence`` (default 2 s); no speech ends
  after ``startTimeout`` (default 10 s) with ``timeout_reason: start_timeout``. Input
  with ``mode: asynchronous`` sends one event with the digits and takes no NCCO reply.
* record: the caller speaks for 5 s; a recording with a stop condition blocks until it is met
  (``endOnSilence`` after the speech, ``endOnKey`` at once after it, ``timeOut`` as a cap);
  one without runs until the call ends and its event is sent then. Recording URLs have the
  documented shape but point at nothing.
* connect: the dialled party rings for 5 s (a websocket answers at once), talks for
  ``hold_seconds`` (capped by ``limit``) and hangs up; the NCCO then carries on. Unanswered
  (``answer_callee=False``, or ``timeout`` under 5 s): ``timeout`` then ``unanswered``
  (``detail: timeout``) events after ``timeout`` seconds. With ``eventType: synchronous``
  every event of the dialled leg may answer with an NCCO; the first one that does ends the
  connect and replaces the caller's NCCO.
* conversation: the caller stays ``hold_seconds`` and hangs up (the call ends there).
* transfer: a ``transfer`` event, then the simulation ends (the target conversation's NCCO
  is not simulated).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from vonage_widgets.models import check_ncco
from vonage_widgets.models.ncco import (
    Action,
    Connect,
    Conversation,
    Input,
    Notify,
    Record,
    Stream,
    Talk,
    Transfer,
    Wait,
)
from vonage_widgets.voice.context import CallContext, CallOver, Leg, LimitReached
from vonage_widgets.voice.http import Expect, WebhookTarget

__all__ = [
    "DIGIT_SECONDS",
    "RECORD_SPEECH_SECONDS",
    "RING_SECONDS",
    "STREAM_SECONDS",
    "TALK_CHARS_PER_SECOND",
    "NccoRunner",
]

TALK_CHARS_PER_SECOND = 14.0
STREAM_SECONDS = 5.0
DIGIT_SECONDS = 0.5
WORD_SECONDS = 0.4
RING_SECONDS = 5.0
RECORD_SPEECH_SECONDS = 5.0
SPEECH_CONFIDENCE = "0.95"
RECORDING_HOST = "https://api.nexmo.com/v1/files/"  # the documented shape [api-notes §3.3]
_BYTES_PER_SECOND = {"mp3": 4000, "ogg": 4000, "wav": 16000}

Reply = list[Any] | None


@dataclass(slots=True)
class _Recording:
    uuid: str
    started: float
    format: str
    target: WebhookTarget | None


class NccoRunner:
    """Runs one call's NCCOs (the first and every replacement) within the call's limits."""

    def __init__(self, ctx: CallContext) -> None:
        self.ctx = ctx
        self.executed = 0
        self.replacements = 0
        self.recordings: list[_Recording] = []
        self._handlers: dict[str, Callable[[Any], Reply]] = {
            "talk": self._talk,
            "stream": self._stream,
            "wait": self._wait,
            "input": self._input,
            "notify": self._notify,
            "record": self._record,
            "connect": self._connect,
            "conversation": self._conversation,
            "transfer": self._transfer,
        }

    # -- the loop -----------------------------------------------------------------------

    def run(self, ncco: list[Any]) -> None:
        """Run until the NCCO is exhausted; raises :class:`CallOver` when the call ends early."""
        queue = deque(self._take(ncco, "ncco"))
        limits = self.ctx.limits
        while queue:
            self.ctx.check_wall_time()
            if self.executed >= limits.max_actions:
                raise LimitReached(f"more than {limits.max_actions} NCCO actions were run")
            action = queue.popleft()
            self.executed += 1
            reply = self._handlers[action.kind](action)
            if reply is not None:
                self.replacements += 1
                if self.replacements > limits.max_replacements:
                    raise LimitReached(
                        f"more than {limits.max_replacements} NCCO replacements "
                        "(an NCCO that keeps replacing itself?)"
                    )
                queue = deque(self._take(reply, "ncco replaced"))

    def _take(self, ncco: list[Any], name: str) -> list[Action]:
        actions = [a for a in check_ncco(ncco).actions if a is not None]
        kinds = ", ".join(a.kind for a in actions)
        self.ctx.step("caller", "ncco", name, f"{len(actions)} action(s): {kinds}")
        return actions

    def finish_recordings(self) -> None:
        """Send the record events of recordings still running when the call ends."""
        for recording in self.recordings:
            self._record_event(recording)
        self.recordings.clear()

    # -- helpers ------------------------------------------------------------------------

    def _target(self, urls: list[str] | None, method: str | None) -> WebhookTarget | None:
        """An action's ``eventUrl``/``eventMethod`` with the event webhook's timeouts, or the
        application's event URL when the action has none."""
        if not urls:
            return self.ctx.event
        base = self.ctx.event or WebhookTarget.for_voice("event_url", None, urls[0])
        return base.with_url(urls[0], method)

    def _act(self, name: str, detail: str) -> None:
        self.ctx.step("caller", "action", name, detail)

    def _endless(self, name: str, seconds: float, synchronous: bool) -> None:
        if not synchronous:  # bargeIn: the input that follows takes over
            self.ctx.advance(seconds)
            return
        hold = self.ctx.script.hold_seconds
        self.ctx.advance(hold)
        raise CallOver("user", f"the caller hung up after {hold:g} s of an endless {name}")

    # -- prompts ------------------------------------------------------------------------

    def _talk(self, action: Talk) -> Reply:
        seconds = max(0.5, round(action.spoken_length / TALK_CHARS_PER_SECOND, 1))
        loops = 1 if action.loop is None else action.loop
        barge = "" if action.is_synchronous else ", bargeIn: the next input listens meanwhile"
        shown = action.text if len(action.text) <= 70 else action.text[:67] + "..."
        times = "forever" if loops == 0 else f"{seconds * loops:g} s"
        self._act("talk", f'"{shown}" ({times}{barge})')
        if loops == 0:
            self._endless("talk", seconds, action.is_synchronous)
        else:
            self.ctx.advance(seconds * loops)
        return None

    def _stream(self, action: Stream) -> Reply:
        loops = 1 if action.loop is None else action.loop
        times = "forever" if loops == 0 else f"{STREAM_SECONDS * loops:g} s"
        self._act("stream", f"{action.streamUrl[0]} ({times}, simulated; the file is not fetched)")
        if loops == 0:
            self._endless("stream", STREAM_SECONDS, action.is_synchronous)
        else:
            self.ctx.advance(STREAM_SECONDS * loops)
        return None

    def _wait(self, action: Wait) -> Reply:
        self._act("wait", f"{action.effective_timeout:g} s")
        self.ctx.advance(action.effective_timeout)
        return None

    # -- input --------------------------------------------------------------------------

    def _input(self, action: Input) -> Reply:
        script = self.ctx.script
        dtmf: dict[str, Any] | None = None
        speech: dict[str, Any] = {"results": []}
        settings = action.dtmf
        if "dtmf" in action.type and script.dtmf:
            pressed = script.dtmf.pop(0)
            max_digits = (settings.maxDigits if settings else None) or 4
            on_hash = bool(settings and settings.submitOnHash)
            digits, ended = "", False
            for key in pressed:
                if key == "#" and on_hash:
                    ended = True
                    break
                digits += key
                if len(digits) >= max_digits:
                    ended = True
                    break
            wait = self._dtmf_timeout(action) if not ended else 0.0
            self.ctx.advance(DIGIT_SECONDS * len(digits) + wait)
            dtmf = {"digits": digits, "timed_out": not ended}
            pressed_text = f"caller pressed {digits!r}" if digits else "caller pressed no key"
            what = pressed_text + (", then the input timed out" if not ended else "")
        elif "speech" in action.type and script.speech:
            said = script.speech.pop(0)
            silence = (action.speech.endOnSilence if action.speech else None) or 2.0
            self.ctx.advance(WORD_SECONDS * len(said.split()) + float(silence))
            speech = {
                "timeout_reason": "end_on_silence_timeout",
                "results": [{"confidence": SPEECH_CONFIDENCE, "text": said}],
            }
            what = f"caller said {said!r}"
        else:
            if "dtmf" in action.type:
                self.ctx.advance(self._dtmf_timeout(action))
                dtmf = {"digits": "", "timed_out": True}
            else:
                start = (action.speech.startTimeout if action.speech else None) or 10
                self.ctx.advance(float(start))
                speech = {"timeout_reason": "start_timeout", "results": []}
            what = "the caller gave no input (timed out)"
        if action.speech is not None and action.speech.saveAudio and speech["results"]:
            speech["recording_url"] = RECORDING_HOST + self.ctx.new_id("recording")
        self._act("input", what)
        payload: dict[str, Any] = {"speech": speech}
        if dtmf is not None:
            payload["dtmf"] = dtmf
        payload.update(self._call_fields())
        target = self._target(action.eventUrl, action.eventMethod)
        expect: Expect = "maybe_ncco" if action.awaits_ncco else "nothing"
        return self.ctx.post("caller", "input", payload, target, expect=expect)

    @staticmethod
    def _dtmf_timeout(action: Input) -> float:
        value = action.dtmf.timeOut if action.dtmf is not None else None
        return float(3 if value is None else value)

    def _call_fields(self) -> dict[str, Any]:
        caller = self.ctx.caller
        return {
            "from": caller.from_,
            "to": caller.to,
            "uuid": caller.uuid,
            "conversation_uuid": self.ctx.trace.conversation_uuid,
            "timestamp": self.ctx.stamp(),
        }

    # -- notify and record --------------------------------------------------------------

    def _notify(self, action: Notify) -> Reply:
        self._act("notify", f"payload {action.payload!r}")
        target = self._target(action.eventUrl, action.eventMethod)
        # The payload is sent as given: whether Vonage adds call fields is undocumented.
        return self.ctx.post("caller", "notify", action.payload, target, expect="maybe_ncco")

    def _record(self, action: Record) -> Reply:
        channels = action.channels or 1
        fmt = action.format or ("wav" if channels > 2 else "mp3")
        recording = _Recording(
            self.ctx.new_id("recording"),
            self.ctx.now,
            fmt,
            self._target(action.eventUrl, action.eventMethod),
        )
        if not action.is_synchronous:
            self._act("record", f"recording ({fmt}) until the call ends")
            self.recordings.append(recording)
            return None
        seconds = RECORD_SPEECH_SECONDS + float(action.endOnSilence or 0)
        if action.endOnKey is not None:
            seconds = RECORD_SPEECH_SECONDS
        if action.timeOut is not None:
            seconds = min(seconds, float(action.timeOut))
        self._act("record", f"recording ({fmt}) for {seconds:g} s until its stop condition")
        self.ctx.advance(seconds)
        self._record_event(recording)
        return None

    def _record_event(self, recording: _Recording) -> None:
        seconds = self.ctx.now - recording.started
        payload = {
            "start_time": self.ctx.stamp(recording.started),
            "recording_url": RECORDING_HOST + recording.uuid,
            "size": int(seconds * _BYTES_PER_SECOND.get(recording.format, 4000)),
            "recording_uuid": recording.uuid,
            "end_time": self.ctx.stamp(),
            "conversation_uuid": self.ctx.trace.conversation_uuid,
            "timestamp": self.ctx.stamp(),
        }
        self.ctx.post("caller", "record", payload, recording.target)

    # -- connect, conversation, transfer ------------------------------------------------

    def _connect(self, action: Connect) -> Reply:
        endpoint = action.endpoint[0]
        kind = str(endpoint.type)
        to = _endpoint_address(endpoint)
        from_ = action.from_ or self.ctx.trace.to
        if action.randomFromNumber and self.ctx.linked_numbers:
            from_ = self.ctx.linked_numbers[0]
        target = self._target(action.eventUrl, action.eventMethod)
        leg = Leg(
            "callee",
            self.ctx.new_id("call"),
            from_,
            to,
            "outbound",
            target,
            "maybe_ncco" if action.awaits_ncco else "nothing",
        )
        sync = " (synchronous)" if action.awaits_ncco else ""
        self._act("connect", f"dialling {kind} {to} from {from_}{sync}")
        for status in ("started", "ringing"):
            reply = self.ctx.leg_event(leg, status)
            if reply is not None:
                return self._end_connect(leg, reply)
        timeout = float(action.timeout or 60)
        ring = 0.0 if kind == "websocket" else RING_SECONDS
        if not self.ctx.script.answer_callee or ring > timeout:
            self.ctx.advance(timeout)
            self._act("connect", f"{to} did not answer within {timeout:g} s")
            for status, extra in (("timeout", {}), ("unanswered", {"detail": "timeout"})):
                reply = self.ctx.leg_event(leg, status, **extra)
                if reply is not None:
                    return reply
            return None
        self.ctx.advance(ring)
        leg.answered_at = self.ctx.now
        reply = self.ctx.leg_event(
            leg, "answered", start_time=self.ctx.stamp(), rate=None, network=None
        )
        if reply is not None:
            return self._end_connect(leg, reply)
        talk = min(self.ctx.script.hold_seconds, float(action.limit or 7200))
        self._act("connect", f"{to} answered; they talk for {talk:g} s, then {to} hangs up")
        self.ctx.advance(talk)
        return self.ctx.completed(leg, by="user")

    def _end_connect(self, leg: Leg, reply: list[Any]) -> Reply:
        """A synchronous connect's event answered with an NCCO: hang the dialled leg up."""
        if leg.answered_at is not None:
            leg.expect = "nothing"  # its last event cannot replace the NCCO a second time
            self.ctx.completed(leg, by="platform")
        return reply

    def _conversation(self, action: Conversation) -> Reply:
        hold = self.ctx.script.hold_seconds
        self._act("conversation", f"joined conversation {action.name!r}")
        if action.record:
            self.recordings.append(
                _Recording(
                    self.ctx.new_id("recording"),
                    self.ctx.now,
                    "mp3",
                    self._target(action.eventUrl, action.eventMethod),
                )
            )
        self.ctx.advance(hold)
        raise CallOver("user", f"the caller left conversation {action.name!r} after {hold:g} s")

    def _transfer(self, action: Transfer) -> Reply:
        self._act("transfer", f"moved to conversation {action.conversationId}")
        payload = {
            "conversation_uuid_from": self.ctx.trace.conversation_uuid,
            "conversation_uuid_to": action.conversationId,
            "status": "transfer",
            "uuid": self.ctx.caller.uuid,
            "timestamp": self.ctx.stamp(),
        }
        self.ctx.post("caller", "transfer", payload, self.ctx.event)
        raise CallOver(
            "platform",
            f"the call moved to conversation {action.conversationId}; its NCCO is not simulated",
        )


def _endpoint_address(endpoint: Any) -> str:
    """What a connect endpoint dials, as text: number, user, URI or extension."""
    for key in ("number", "user", "uri", "extension"):
        value = getattr(endpoint, key, None)
        if value:
            domain = getattr(endpoint, "domain", None)
            return f"{value}@{domain}" if key == "user" and domain else str(value)
    return str(endpoint.type)
