"""NCCOs (Call Control Objects): parse, validate, build and emit them without losing a key.

An NCCO is the JSON array an answer webhook returns to tell Vonage what to do with a call
[api-notes §5]. :func:`parse_ncco` turns one into an :class:`Ncco` of typed actions;
:meth:`Ncco.to_list` gives back exactly the JSON that came in. :func:`validate_ncco` lists
every broken rule with its path (:func:`check_ncco` adds warnings), and :class:`Ncco`
doubles as a fluent builder::

    Ncco().talk("Hello").connect_phone("447700900001", from_="447700900000").build()

This module is the public face; the pieces live in ``ncco_types`` (field limits),
``ncco_limits`` (whole-NCCO size limits, no models), ``ncco_base`` (lossless base models),
``ncco_endpoints``, ``ncco_speech``, ``ncco_prompts`` and ``ncco_actions`` (the models),
``ncco_validate`` (the rules), ``ncco_builder`` and ``ncco_templates``.
"""

from __future__ import annotations

from vonage_widgets.models.ncco_actions import (
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
from vonage_widgets.models.ncco_base import Action
from vonage_widgets.models.ncco_builder import Ncco, parse_ncco
from vonage_widgets.models.ncco_endpoints import (
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
from vonage_widgets.models.ncco_prompts import TALK_TEXT_MAX, TTS_LANGUAGES, Input, Stream, Talk
from vonage_widgets.models.ncco_speech import DTMF_DEFAULTS, SPEECH_DEFAULTS, Dtmf, Speech
from vonage_widgets.models.ncco_templates import forward_to_phone, ivr_menu, voicemail
from vonage_widgets.models.ncco_types import Bounds, field_bounds
from vonage_widgets.models.ncco_validate import (
    MAX_NCCO_ACTIONS,
    MAX_NCCO_BYTES,
    NccoCheck,
    check_ncco,
    validate_ncco,
)

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
