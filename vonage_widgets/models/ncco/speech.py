"""Settings objects of the ``input`` action: DTMF and speech recognition [api-notes §5.8].

Defaults are documented here (and in :data:`DTMF_DEFAULTS`, :data:`SPEECH_DEFAULTS`) but never
written into the JSON: a key that was not given stays absent, so Vonage applies its own default.
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from typing import Annotated, Any, ClassVar

from vonage_widgets.models.ncco.base import NccoWireModel
from vonage_widgets.models.ncco.types import (
    Bounds,
    ItemCount,
    LanguageTag,
    Number,
    Opt,
)

__all__ = ["DTMF_DEFAULTS", "SPEECH_DEFAULTS", "Dtmf", "Speech"]

DTMF_DEFAULTS: dict[str, Any] = {"timeOut": 3, "maxDigits": 4, "submitOnHash": False}
"""What Vonage uses for a DTMF key that is left out [api-notes §5.8]."""

SPEECH_DEFAULTS: dict[str, Any] = {
    "endOnSilence": 2.0,
    "language": "en-US",
    "startTimeout": 10,
    "maxDuration": 60,
    "saveAudio": False,
    "sensitivity": 90,
}
"""What Vonage uses for a speech key that is left out [api-notes §5.8]."""


class Dtmf(NccoWireModel):
    """How digits are collected: when to submit and how many [api-notes §5.8]."""

    WHAT: ClassVar[str] = "the dtmf settings"

    # Docs: "max 10"; [api-notes §5.8] allows 0-10.
    timeOut: Opt[Annotated[int, Bounds(0, 10, "seconds")]] = None
    maxDigits: Opt[Annotated[int, Bounds(1, 20, "digits")]] = None
    submitOnHash: Opt[bool] = None


class Speech(NccoWireModel):
    """How speech is recognised [api-notes §5.8]."""

    WHAT: ClassVar[str] = "the speech settings"

    # One leg UUID: the leg to listen to (default: the first leg that joined).
    uuid: Opt[Annotated[list[str], ItemCount(1, 1, "must hold exactly one leg UUID")]] = None
    endOnSilence: Opt[Annotated[Number, Bounds(0.4, 10, "seconds")]] = None
    language: Opt[LanguageTag] = None
    context: Opt[list[str]] = None
    startTimeout: Opt[Annotated[int, Bounds(1, 60, "seconds")]] = None
    maxDuration: Opt[Annotated[int, Bounds(1, 60, "seconds")]] = None
    saveAudio: Opt[bool] = None
    # Docs describe 10 (low) to 100 (max); [api-notes §5.8] allows 0-100.
    sensitivity: Opt[Annotated[int, Bounds(0, 100)]] = None
