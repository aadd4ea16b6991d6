"""The NCCO actions the caller hears and answers: ``talk``, ``stream`` and ``input``.

These three share the bargeIn rule (a talk or stream with ``bargeIn: true`` must lead to an
input) checked in ``validate`` [api-notes §5.1].
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

import re
from typing import Annotated, ClassVar, Literal

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco.base import Action
from vonage_widgets.models.ncco.speech import Dtmf, Speech
from vonage_widgets.models.ncco.types import (
    Bounds,
    EventMethod,
    ItemCount,
    LanguageTag,
    NonEmptyStr,
    Number,
    Opt,
    UrlList,
)

__all__ = ["TALK_TEXT_MAX", "TTS_LANGUAGES", "Input", "Stream", "Talk"]

TALK_TEXT_MAX = 1500
"""Talk text limit, not counting SSML tags [api-notes §5.6]."""
_TTS_WORDS = (
    "ar ca-ES cmn-CN cmn-TW cs-CZ cy-GB da-DK de-DE el-GR en-AU en-GB en-GB-WLS en-IN "
    "en-US en-ZA es-ES es-MX es-US eu-ES fi-FI fil-PH fr-CA fr-FR he-IL hi-IN hu-HU id-ID "
    "is-IS it-IT ja-JP ko-KR nb-NO nl-NL no-NO pl-PL pt-BR pt-PT ro-RO ru-RU sk-SK sv-SE "
    "th-TH tr-TR uk-UA vi-VN yue-CN"
)
TTS_LANGUAGES = frozenset(_TTS_WORDS.split())
"""Text-to-speech languages of [api-notes §5.6]."""

_SSML_TAG = re.compile(r"<[^<>]*>")


class Talk(Action):
    """Speak text to the call with text-to-speech [api-notes §5.6]."""

    WHAT: ClassVar[str] = "the talk action"

    action: Literal["talk"] = "talk"
    text: NonEmptyStr
    bargeIn: Opt[bool] = None
    loop: Opt[Annotated[int, Bounds(0)]] = None  # 0 = forever
    level: Opt[Annotated[Number, Bounds(-1, 1)]] = None
    language: Opt[LanguageTag] = None
    style: Opt[Annotated[int, Bounds(0)]] = None
    premium: Opt[bool] = None
    voiceName: Opt[str] = None  # deprecated [api-notes §5.1, §5.6]

    @property
    def is_synchronous(self) -> bool:
        """bargeIn lets the next actions run while speaking [api-notes §5.1]."""
        return self.bargeIn is not True

    @property
    def spoken_length(self) -> int:
        """Characters that count towards the 1500 limit: the text without SSML tags."""
        return len(_SSML_TAG.sub("", self.text))

    def rule_errors(self) -> list[FieldError]:
        """Text length without SSML tags [api-notes §5.6]."""
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
    """Play an audio file (MP3 or 16-bit WAV) to the call [api-notes §5.7]."""

    WHAT: ClassVar[str] = "the stream action"

    action: Literal["stream"] = "stream"
    streamUrl: Annotated[UrlList, ItemCount(1, 1, "must hold exactly one audio URL")]
    level: Opt[Annotated[Number, Bounds(-1, 1)]] = None
    bargeIn: Opt[bool] = None
    loop: Opt[Annotated[int, Bounds(0)]] = None

    @property
    def is_synchronous(self) -> bool:
        """bargeIn lets the next actions run while playing [api-notes §5.1]."""
        return self.bargeIn is not True


class Input(Action):
    """Collect DTMF digits and/or speech; the result is posted to ``eventUrl`` [api-notes §5.8]."""

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
        """No repeated types; asynchronous mode: DTMF only, empty settings [api-notes §5.8]."""
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
                warnings.append(
                    FieldError(kind, f"is ignored because type does not include {kind}")
                )
        return warnings
