"""NCCOs (Call Control Objects): parse, validate, build and emit them without losing a key.

An NCCO is the JSON array an answer webhook returns to tell Vonage what to do with a call
[api-notes §5]. :func:`parse_ncco` turns one into an :class:`Ncco` of typed actions;
:meth:`Ncco.to_list` gives back exactly the JSON that came in. :func:`validate_ncco` lists
every broken rule with its path (:func:`check_ncco` adds warnings), and :class:`Ncco`
doubles as a fluent builder::

    Ncco().talk("Hello").connect_phone("447700900001", from_="447700900000").build()

This package is the public face; the pieces live in ``types`` (field limits), ``limits``
(whole-NCCO size limits, no models), ``base`` (lossless base models), ``endpoints``,
``speech``, ``prompts`` and ``actions`` (the models), ``validate`` (the rules), ``builder``
and ``templates``. The names below load on first use (PEP 562), like those of
:mod:`vonage_widgets.models`: importing ``limits`` alone (the sandbox does) loads no model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vonage_widgets._lazy import lazy_attributes

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these load on first use
    from vonage_widgets.models.ncco.actions import (
        ACTIONS,
        WAIT_MAX,
        WAIT_MIN,
        AdvancedMachineDetection,
        Connect,
        Conversation,
        Notify,
        Record,
        Transcription,
        Transfer,
        Wait,
    )
    from vonage_widgets.models.ncco.base import Action
    from vonage_widgets.models.ncco.builder import Ncco, parse_ncco
    from vonage_widgets.models.ncco.endpoints import (
        ENDPOINT_TYPES,
        WEBSOCKET_CONTENT_TYPES,
        AppEndpoint,
        Endpoint,
        OnAnswer,
        PhoneEndpoint,
        SipEndpoint,
        VbcEndpoint,
        WebsocketAuthorization,
        WebsocketEndpoint,
    )
    from vonage_widgets.models.ncco.prompts import TALK_TEXT_MAX, TTS_LANGUAGES, Input, Stream, Talk
    from vonage_widgets.models.ncco.speech import DTMF_DEFAULTS, SPEECH_DEFAULTS, Dtmf, Speech
    from vonage_widgets.models.ncco.templates import forward_to_phone, ivr_menu, voicemail
    from vonage_widgets.models.ncco.types import Bounds, field_bounds
    from vonage_widgets.models.ncco.validate import (
        MAX_NCCO_ACTIONS,
        MAX_NCCO_BYTES,
        NccoCheck,
        check_ncco,
        validate_ncco,
    )

_LAZY: dict[str, str] = {
    "ACTIONS": "actions",
    "WAIT_MAX": "actions",
    "WAIT_MIN": "actions",
    "AdvancedMachineDetection": "actions",
    "Connect": "actions",
    "Conversation": "actions",
    "Notify": "actions",
    "Record": "actions",
    "Transcription": "actions",
    "Transfer": "actions",
    "Wait": "actions",
    "Action": "base",
    "Ncco": "builder",
    "parse_ncco": "builder",
    "ENDPOINT_TYPES": "endpoints",
    "WEBSOCKET_CONTENT_TYPES": "endpoints",
    "AppEndpoint": "endpoints",
    "Endpoint": "endpoints",
    "OnAnswer": "endpoints",
    "PhoneEndpoint": "endpoints",
    "SipEndpoint": "endpoints",
    "VbcEndpoint": "endpoints",
    "WebsocketAuthorization": "endpoints",
    "WebsocketEndpoint": "endpoints",
    "TALK_TEXT_MAX": "prompts",
    "TTS_LANGUAGES": "prompts",
    "Input": "prompts",
    "Stream": "prompts",
    "Talk": "prompts",
    "DTMF_DEFAULTS": "speech",
    "SPEECH_DEFAULTS": "speech",
    "Dtmf": "speech",
    "Speech": "speech",
    "forward_to_phone": "templates",
    "ivr_menu": "templates",
    "voicemail": "templates",
    "Bounds": "types",
    "field_bounds": "types",
    "MAX_NCCO_ACTIONS": "validate",
    "MAX_NCCO_BYTES": "validate",
    "NccoCheck": "validate",
    "check_ncco": "validate",
    "validate_ncco": "validate",
}
"""Re-exported name -> the submodule of this package that defines it, loaded on first use."""

__all__ = [
    "ACTIONS",
    "DTMF_DEFAULTS",
    "ENDPOINT_TYPES",
    "MAX_NCCO_ACTIONS",
    "MAX_NCCO_BYTES",
    "SPEECH_DEFAULTS",
    "TALK_TEXT_MAX",
    "TTS_LANGUAGES",
    "WAIT_MAX",
    "WAIT_MIN",
    "WEBSOCKET_CONTENT_TYPES",
    "Action",
    "AdvancedMachineDetection",
    "AppEndpoint",
    "Bounds",
    "Connect",
    "Conversation",
    "Dtmf",
    "Endpoint",
    "Input",
    "Ncco",
    "NccoCheck",
    "Notify",
    "OnAnswer",
    "PhoneEndpoint",
    "Record",
    "SipEndpoint",
    "Speech",
    "Stream",
    "Talk",
    "Transcription",
    "Transfer",
    "VbcEndpoint",
    "Wait",
    "WebsocketAuthorization",
    "WebsocketEndpoint",
    "check_ncco",
    "field_bounds",
    "forward_to_phone",
    "ivr_menu",
    "parse_ncco",
    "validate_ncco",
    "voicemail",
]

# Loads a lazy name (or submodule) on first use, then keeps it here; dir() lists them all.
__getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals(), __all__)
