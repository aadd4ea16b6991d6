"""The NCCO actions that route and control the call, and the registry of all actions.

``record``, ``conversation``, ``connect``, ``notify``, ``wait`` and ``transfer`` live here;
``talk``, ``stream`` and ``input`` (what the caller hears and answers) in ``prompts``.
Field names are the JSON keys (``from`` is ``from_`` in Python) [api-notes §5].
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, Field

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco.base import Action, NccoWireModel
from vonage_widgets.models.ncco.endpoints import E164, Endpoint
from vonage_widgets.models.ncco.prompts import Input, Stream, Talk
from vonage_widgets.models.ncco.types import (
    Bounds,
    EventMethod,
    ItemCount,
    LanguageTag,
    Matches,
    NonEmptyStr,
    Number,
    Opt,
    UrlList,
    UrlOrUrls,
)

__all__ = [
    "ACTIONS",
    "WAIT_DEFAULT",
    "WAIT_MAX",
    "WAIT_MIN",
    "AdvancedMachineDetection",
    "Connect",
    "Conversation",
    "Notify",
    "Record",
    "Transcription",
    "Transfer",
    "Wait",
]

WAIT_MIN, WAIT_MAX, WAIT_DEFAULT = 0.1, 7200.0, 10.0
"""Wait timeout: values outside 0.1-7200 s are clamped, default 10 s [api-notes §5.10]."""

Key = Annotated[str, Matches(r"[0-9*#]", "must be one key: 0-9, * or #")]
LegUuids = list[str]


class Transcription(NccoWireModel):
    """Transcription of a recording: ``{}`` means defaults [api-notes §5.2]."""

    WHAT: ClassVar[str] = "the transcription settings"

    language: Opt[LanguageTag] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None
    sentimentAnalysis: Opt[bool] = None


class Record(Action):
    """Record the call or part of it; the recording URL goes to ``eventUrl`` [api-notes §5.2]."""

    WHAT: ClassVar[str] = "the record action"
    synchronous: ClassVar[bool] = False  # unless a stop condition is set

    action: Literal["record"] = "record"
    format: Opt[Literal["mp3", "wav", "ogg"]] = None
    split: Opt[Literal["conversation"]] = None
    channels: Opt[Annotated[int, Bounds(1, 32, "channels")]] = None
    endOnSilence: Opt[Annotated[int, Bounds(3, 10, "seconds")]] = None
    endOnKey: Opt[Key] = None
    timeOut: Opt[Annotated[int, Bounds(3, 7200, "seconds")]] = None
    beepStart: Opt[bool] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None
    transcription: Opt[Transcription] = None

    @property
    def is_synchronous(self) -> bool:
        """A stop condition makes the recording block until it is met [api-notes §5.1]."""
        return any(v is not None for v in (self.endOnSilence, self.timeOut, self.endOnKey))

    def rule_errors(self) -> list[FieldError]:
        """``channels`` needs ``split: conversation`` (the SDK adds it) [api-notes §5.2]."""
        if self.channels is not None and self.split is None:
            return [FieldError("channels", "requires split: conversation")]
        return []


class Conversation(Action):
    """Join a named conversation (conference) [api-notes §5.3]."""

    WHAT: ClassVar[str] = "the conversation action"

    action: Literal["conversation"] = "conversation"
    name: NonEmptyStr
    musicOnHoldUrl: Opt[UrlList] = None
    startOnEnter: Opt[bool] = None
    endOnExit: Opt[bool] = None
    record: Opt[bool] = None
    canSpeak: Opt[LegUuids] = None
    canHear: Opt[LegUuids] = None
    mute: Opt[bool] = None
    transcription: Opt[Transcription] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None

    def rule_errors(self) -> list[FieldError]:
        """mute vs canSpeak, and transcription needs record [api-notes §5.3]."""
        errors = _mute_rule(self.mute, self.canSpeak)
        if self.transcription is not None and self.record is not True:
            errors.append(FieldError("transcription", "requires record: true"))
        return errors


class AdvancedMachineDetection(NccoWireModel):
    """Advanced answering-machine detection; overrides ``machineDetection`` [api-notes §5.4]."""

    WHAT: ClassVar[str] = "the advancedMachineDetection settings"

    behavior: Opt[Literal["continue", "hangup"]] = None
    mode: Opt[Literal["default", "detect", "detect_beep"]] = None
    beep_timeout: Opt[Annotated[int, Bounds(45, 120, "seconds")]] = None  # [api-notes §5.4]


class Connect(Action):
    """Dial one endpoint and join it to the call [api-notes §5.4]."""

    WHAT: ClassVar[str] = "the connect action"

    action: Literal["connect"] = "connect"
    endpoint: Annotated[list[Endpoint], ItemCount(1, 1, "must hold exactly one endpoint")]
    from_: Opt[E164] = Field(default=None, alias="from")
    randomFromNumber: Opt[bool] = None
    eventType: Opt[Literal["synchronous"]] = None
    timeout: Opt[Annotated[int, Bounds(1, 120, "seconds")]] = None
    limit: Opt[Annotated[int, Bounds(1, 7200, "seconds")]] = None
    machineDetection: Opt[Literal["continue", "hangup"]] = None
    advancedMachineDetection: Opt[AdvancedMachineDetection] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None
    ringbackTone: Opt[UrlOrUrls] = None

    @property
    def awaits_ncco(self) -> bool:
        """With ``eventType: synchronous`` the call-state events may return an NCCO."""
        return self.eventType == "synchronous"

    def rule_errors(self) -> list[FieldError]:
        """``randomFromNumber`` excludes ``from``; each endpoint's own rules."""
        errors: list[FieldError] = []
        if self.randomFromNumber is True and self.from_ is not None:
            errors.append(FieldError("randomFromNumber", "cannot be combined with from"))
        for i, endpoint in enumerate(self.endpoint):
            errors += [
                FieldError(f"endpoint.{i}.{e.path}", e.message) for e in endpoint.rule_errors()
            ]
        return errors


class Notify(Action):
    """Post a custom payload to ``eventUrl``; the reply may be a new NCCO [api-notes §5.9]."""

    WHAT: ClassVar[str] = "the notify action"
    expects_ncco_reply: ClassVar[bool] = True

    action: Literal["notify"] = "notify"
    payload: dict[str, Any]
    eventUrl: UrlList
    eventMethod: Opt[EventMethod] = None


class Wait(Action):
    """Pause the NCCO for ``timeout`` seconds [api-notes §5.10].

    The value is kept as given; Vonage clamps it to 0.1-7200, which :attr:`effective_timeout`
    shows and the validator reports as a warning.
    """

    WHAT: ClassVar[str] = "the wait action"

    action: Literal["wait"] = "wait"
    timeout: Opt[Number] = None

    @property
    def effective_timeout(self) -> float:
        """The pause Vonage actually makes: the default, or the value clamped to the range."""
        if self.timeout is None:
            return WAIT_DEFAULT
        return min(max(float(self.timeout), WAIT_MIN), WAIT_MAX)

    def rule_warnings(self) -> list[FieldError]:
        """A timeout outside the range is clamped, not rejected [api-notes §5.10]."""
        if self.timeout is not None and self.effective_timeout != self.timeout:
            return [
                FieldError(
                    "timeout",
                    f"is outside {WAIT_MIN:g}-{WAIT_MAX:g} seconds; Vonage waits "
                    f"{self.effective_timeout:g} seconds instead",
                )
            ]
        return []


class Transfer(Action):
    """Move every leg into another existing conversation; ends this NCCO [api-notes §5.11].

    ``conversation_id`` (the doc table's spelling) is accepted and emitted as
    ``conversationId``, the key the SDKs send [api-notes §5.11].
    """

    WHAT: ClassVar[str] = "the transfer action"
    terminal: ClassVar[bool] = True
    KEY_RENAMES: ClassVar[dict[str, str]] = {"conversation_id": "conversationId"}
    KEY_HINTS: ClassVar[dict[str, str]] = {
        "conversation_id": "; give the target once, as conversationId",
    }

    action: Literal["transfer"] = "transfer"
    conversationId: NonEmptyStr = Field(
        validation_alias=AliasChoices("conversationId", "conversation_id")
    )
    canHear: Opt[LegUuids] = None
    canSpeak: Opt[LegUuids] = None
    mute: Opt[bool] = None

    def rule_errors(self) -> list[FieldError]:
        """mute vs canSpeak, as for conversation [api-notes §5.11]."""
        return _mute_rule(self.mute, self.canSpeak)

    def rule_warnings(self) -> list[FieldError]:
        """The old spelling is rewritten on output."""
        if "conversation_id" in self._wire_keys and "conversationId" not in self._wire_keys:
            return [FieldError("conversation_id", "is sent as conversationId")]
        return []


def _mute_rule(mute: bool | None, can_speak: list[str] | None) -> list[FieldError]:
    if mute is True and can_speak is not None:
        return [FieldError("mute", "cannot be used together with canSpeak")]
    return []


ACTIONS: dict[str, type[Action]] = {
    cls.model_fields["action"].default: cls
    for cls in (Record, Conversation, Connect, Talk, Stream, Input, Notify, Wait, Transfer)
}
"""Action classes by their ``action`` value, in the order of [api-notes §5]."""
