"""One model per NCCO action of the NCCO reference [DOC-NCCO], with its limits and rules.

Field names are the JSON keys (``from`` is ``from_`` in Python). Every class says, as class
metadata, whether Vonage waits for it before running the next action (``synchronous``,
[DOC-NCCO 5.1]) and whether its webhook reply may be a new NCCO (``expects_ncco_reply``,
[DOC-WH]); the instance properties refine that for options that change it (``bargeIn``,
record stop conditions, ``eventType: synchronous``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AliasChoices, Field

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco_base import (
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
    WireModel,
    method_warning,
)
from vonage_widgets.models.ncco_endpoints import E164, Endpoint
from vonage_widgets.models.ncco_speech import Dtmf, Speech

__all__ = [
    "ACTIONS",
    "TALK_TEXT_MAX",
    "TTS_LANGUAGES",
    "WAIT_MAX",
    "WAIT_MIN",
    "Action",
    "AdvancedMachineDetection",
    "Connect",
    "Conversation",
    "Input",
    "Notify",
    "Record",
    "Stream",
    "Talk",
    "Transcription",
    "Transfer",
    "Wait",
]

TALK_TEXT_MAX = 1500
"""Talk text limit, not counting SSML tags [DOC-NCCO 5.6]."""
WAIT_MIN, WAIT_MAX, WAIT_DEFAULT = 0.1, 7200.0, 10.0
"""Wait timeout: values outside 0.1–7200 s are clamped, default 10 s [DOC-NCCO 5.10]."""

TTS_LANGUAGES = frozenset(
    "ar ca-ES cmn-CN cmn-TW cs-CZ cy-GB da-DK de-DE el-GR en-AU en-GB en-GB-WLS en-IN en-US "
    "en-ZA es-ES es-MX es-US eu-ES fi-FI fil-PH fr-CA fr-FR he-IL hi-IN hu-HU id-ID is-IS it-IT "
    "ja-JP ko-KR nb-NO nl-NL no-NO pl-PL pt-BR pt-PT ro-RO ru-RU sk-SK sv-SE th-TH tr-TR uk-UA "
    "vi-VN yue-CN".split()
)
"""Text-to-speech languages of [PY enums.py][SPEC-VOICE-1.10.0] (section 5.6)."""

_SSML_TAG = re.compile(r"<[^<>]*>")
Key = Annotated[str, Matches(r"[0-9*#]", "must be one key: 0-9, * or #")]
LegUuids = list[str]


class Action(WireModel):
    """Base of every NCCO action: metadata used by the validator and the call simulator."""

    DISCRIMINATOR: ClassVar[str | None] = "action"
    synchronous: ClassVar[bool] = True
    """Whether Vonage waits for this action to finish before the next one [DOC-NCCO 5.1]."""
    expects_ncco_reply: ClassVar[bool] = False
    """Whether the webhook this action calls may answer with an NCCO [DOC-NCCO][DOC-WH]."""
    terminal: ClassVar[bool] = False
    """Whether no later action of this NCCO can run after it."""

    @property
    def name(self) -> str:
        """The ``action`` value, e.g. ``"talk"``."""
        return str(getattr(self, "action"))  # noqa: B009  # declared by each subclass

    @property
    def is_synchronous(self) -> bool:
        """Whether this instance, with its options, blocks the next action."""
        return self.synchronous

    @property
    def awaits_ncco(self) -> bool:
        """Whether this instance's webhook reply may replace the rest of the NCCO."""
        return self.expects_ncco_reply

    def rule_warnings(self) -> list[FieldError]:
        """Non-documented eventMethod values, for actions that have one."""
        return method_warning(getattr(self, "eventMethod", None), "eventMethod")


class Transcription(WireModel):
    """Transcription of a recording: ``{}`` means defaults [DOC-NCCO 5.2]."""

    WHAT: ClassVar[str] = "transcription"

    language: Opt[LanguageTag] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None
    sentimentAnalysis: Opt[bool] = None


class Record(Action):
    """Record the call or part of it; the recording URL goes to ``eventUrl`` [DOC-NCCO 5.2]."""

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
        """A stop condition makes the recording block until it is met [DOC-NCCO 5.1]."""
        return any(v is not None for v in (self.endOnSilence, self.timeOut, self.endOnKey))

    def rule_errors(self) -> list[FieldError]:
        """``channels`` needs ``split: conversation`` [DOC-NCCO 5.2] (the SDK adds it; we report)."""
        if self.channels is not None and self.split is None:
            return [FieldError("channels", "requires split: conversation")]
        return []


class Conversation(Action):
    """Join a named conversation (conference) [DOC-NCCO 5.3]."""

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
        """mute vs canSpeak, and transcription needs record [DOC-NCCO 5.3]."""
        errors = _mute_rule(self.mute, self.canSpeak)
        if self.transcription is not None and self.record is not True:
            errors.append(FieldError("transcription", "requires record: true"))
        return errors


class AdvancedMachineDetection(WireModel):
    """Advanced answering-machine detection; overrides ``machineDetection`` [DOC-NCCO 5.4]."""

    WHAT: ClassVar[str] = "advancedMachineDetection"

    behavior: Opt[Literal["continue", "hangup"]] = None
    mode: Opt[Literal["default", "detect", "detect_beep"]] = None
    beep_timeout: Opt[Annotated[int, Bounds(45, 120, "seconds")]] = None  # [PY common.py]


class Connect(Action):
    """Dial one endpoint and join it to the call [DOC-NCCO 5.4]."""

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


class Talk(Action):
    """Speak text to the call with text-to-speech [DOC-NCCO 5.6]."""

    WHAT: ClassVar[str] = "the talk action"

    action: Literal["talk"] = "talk"
    text: NonEmptyStr
    bargeIn: Opt[bool] = None
    loop: Opt[Annotated[int, Bounds(0)]] = None  # 0 = forever
    level: Opt[Annotated[Number, Bounds(-1, 1)]] = None
    language: Opt[LanguageTag] = None
    style: Opt[Annotated[int, Bounds(0)]] = None
    premium: Opt[bool] = None
    voiceName: Opt[str] = None  # deprecated [SPEC-NCCO-SCHEMA][SPEC-VOICE-1.10.0]

    @property
    def is_synchronous(self) -> bool:
        """bargeIn lets the next actions run while speaking [DOC-NCCO 5.1]."""
        return self.bargeIn is not True

    @property
    def spoken_length(self) -> int:
        """Characters that count towards the 1500 limit: the text without SSML tags."""
        return len(_SSML_TAG.sub("", self.text))

    def rule_errors(self) -> list[FieldError]:
        """Text length without SSML tags [DOC-NCCO 5.6]."""
        if self.spoken_length > TALK_TEXT_MAX:
            return [
                FieldError(
                    "text",
                    f"must be at most {TALK_TEXT_MAX} characters, not counting SSML tags "
                    f"(it has {self.spoken_length})",
                )
            ]
        return []

    def rule_warnings(self) -> list[FieldError]:
        """Deprecated voiceName, SSML outside <speak>, languages not in the TTS list."""
        warnings: list[FieldError] = []
        if self.voiceName is not None:
            warnings.append(FieldError("voiceName", "is deprecated; use language and style"))
        stripped = self.text.strip()
        if _SSML_TAG.search(stripped) and not stripped.startswith("<speak>"):
            warnings.append(
                FieldError("text", "has tags but is not wrapped in <speak>: SSML is not applied")
            )
        if self.language is not None and self.language not in TTS_LANGUAGES:
            warnings.append(FieldError("language", "is not a documented text-to-speech language"))
        return warnings


class Stream(Action):
    """Play an audio file (MP3 or 16-bit WAV) to the call [DOC-NCCO 5.7]."""

    WHAT: ClassVar[str] = "the stream action"

    action: Literal["stream"] = "stream"
    streamUrl: Annotated[UrlList, ItemCount(1, 1, "must hold exactly one audio URL")]
    level: Opt[Annotated[Number, Bounds(-1, 1)]] = None
    bargeIn: Opt[bool] = None
    loop: Opt[Annotated[int, Bounds(0)]] = None

    @property
    def is_synchronous(self) -> bool:
        """bargeIn lets the next actions run while playing [DOC-NCCO 5.1]."""
        return self.bargeIn is not True


class Input(Action):
    """Collect DTMF digits and/or speech; the result is posted to ``eventUrl`` [DOC-NCCO 5.8]."""

    WHAT: ClassVar[str] = "the input action"
    expects_ncco_reply: ClassVar[bool] = True

    action: Literal["input"] = "input"
    type: Annotated[
        list[Literal["dtmf", "speech"]],
        ItemCount(1, 2, 'must be ["dtmf"], ["speech"] or ["dtmf", "speech"]'),
    ]
    dtmf: Opt[Dtmf] = None
    speech: Opt[Speech] = None
    mode: Opt[Literal["synchronous", "asynchronous"]] = None
    eventUrl: Opt[UrlList] = None
    eventMethod: Opt[EventMethod] = None

    @property
    def awaits_ncco(self) -> bool:
        """Asynchronous DTMF sends digits one by one; only synchronous input returns an NCCO."""
        return self.mode != "asynchronous"

    def rule_errors(self) -> list[FieldError]:
        """No repeated types; asynchronous mode is DTMF only with empty settings [DOC-NCCO 5.8]."""
        errors: list[FieldError] = []
        if len(set(self.type)) != len(self.type):
            errors.append(FieldError("type", "must not repeat a type"))
        if self.mode == "asynchronous":
            if self.type != ["dtmf"]:
                errors.append(FieldError("type", 'must be ["dtmf"] when mode is asynchronous'))
            if self.dtmf is not None and self.dtmf.model_dump(exclude_unset=True):
                errors.append(FieldError("dtmf", "must be empty when mode is asynchronous"))
        return errors

    def rule_warnings(self) -> list[FieldError]:
        """Settings for an input type that is not collected are ignored."""
        warnings = super().rule_warnings()
        for kind in ("dtmf", "speech"):
            if getattr(self, kind) is not None and kind not in self.type:
                warnings.append(FieldError(kind, f"is ignored because type does not include {kind}"))
        return warnings


class Notify(Action):
    """Post a custom payload to ``eventUrl``; the reply may be a new NCCO [DOC-NCCO 5.9]."""

    WHAT: ClassVar[str] = "the notify action"
    expects_ncco_reply: ClassVar[bool] = True

    action: Literal["notify"] = "notify"
    payload: dict[str, Any]
    eventUrl: UrlList
    eventMethod: Opt[EventMethod] = None


class Wait(Action):
    """Pause the NCCO for ``timeout`` seconds [DOC-NCCO 5.10].

    The value is kept as given; Vonage clamps it to 0.1–7200, which :attr:`effective_timeout`
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
        """A timeout outside the range is clamped, not rejected [DOC-NCCO 5.10]."""
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
    """Move every leg into another existing conversation; ends this NCCO [DOC-NCCO 5.11].

    ``conversation_id`` (the doc table's spelling) is accepted and emitted as
    ``conversationId``, the key the SDKs send (reference section 5.11, open question 9).
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
        """mute vs canSpeak, as for conversation [DOC-NCCO 5.11]."""
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
"""Action classes by their ``action`` value, in the reference's order."""

