"""API models: the one source of truth for the shape and limits of Vonage API bodies.

The application models load with the package; everything else re-exported here (the catalog,
the numbers and problem-details models, the NCCO models, the video/meetings/network_apis
models) loads on first use, through module ``__getattr__`` (PEP 562). The NCCO models alone
were most of this package's import time, and most sessions never build a call flow or list
numbers. ``from vonage_widgets.models import Ncco`` and ``vonage_widgets.models.ncco`` work
exactly as if they were imported here.

Import time, because every notebook pays it: the modules that define pydantic models do not
use ``from __future__ import annotations`` (pydantic would compile and evaluate each string
annotation at class creation, again for every subclass: most of their import time), and the
models build their validators on first use (``defer_build``; see ``_wire.built``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from vonage_widgets.models.application import (
    ADDRESS_RULE,
    NAME_MAX_LENGTH,
    AnswerWebhook,
    Application,
    ApplicationPage,
    Capabilities,
    EventWebhook,
    FallbackAnswerWebhook,
    HttpMethod,
    Keys,
    MessagesCapability,
    MessagesInboundWebhook,
    MessagesStatusWebhook,
    MessagesVersion,
    MessagesWebhooks,
    Privacy,
    RtcCapability,
    RtcEventWebhook,
    RtcWebhooks,
    VbcCapability,
    VerifyCapability,
    VerifyStatusWebhook,
    VerifyVersion,
    VerifyWebhooks,
    VoiceCapability,
    VoiceRegion,
    VoiceWebhooks,
    Webhook,
    validate_application,
    validate_application_page,
)

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these load on first use
    from vonage_widgets.models import ncco
    from vonage_widgets.models.catalog import (
        CAPABILITIES,
        EXTRA_CAPABILITIES,
        PRIVACY_SETTINGS,
        CapabilitySpec,
        Range,
        SettingKind,
        SettingSpec,
        WebhookSpec,
        capability,
        capability_names,
        webhook_spec,
    )
    from vonage_widgets.models.extra_capabilities import (
        ExtraCapabilities,
        MeetingsCapability,
        MeetingsWebhook,
        MeetingsWebhooks,
        NetworkApisCapability,
        VideoCapability,
        VideoStorage,
        VideoWebhook,
        VideoWebhooks,
        without_extra_capability_nulls,
    )
    from vonage_widgets.models.ncco import (
        Ncco,
        NccoCheck,
        check_ncco,
        forward_to_phone,
        ivr_menu,
        parse_ncco,
        validate_ncco,
        voicemail,
    )
    from vonage_widgets.models.numbers import (
        COUNTRY_RULE,
        MSISDN_RULE,
        AvailableNumber,
        AvailableNumbersPage,
        Limitation,
        NumbersPage,
        NumbersStatus,
        OwnedNumber,
        validate_country,
        validate_msisdn,
        validate_numbers_page,
    )
    from vonage_widgets.models.problem import (
        LIST_VALIDATION_TYPE,
        PAYLOAD_VALIDATION_TYPE,
        InvalidParameter,
        ProblemDetails,
    )

_LAZY: dict[str, str] = {
    "CAPABILITIES": "catalog",
    "EXTRA_CAPABILITIES": "catalog",
    "PRIVACY_SETTINGS": "catalog",
    "CapabilitySpec": "catalog",
    "Range": "catalog",
    "SettingKind": "catalog",
    "SettingSpec": "catalog",
    "WebhookSpec": "catalog",
    "capability": "catalog",
    "capability_names": "catalog",
    "webhook_spec": "catalog",
    "ExtraCapabilities": "extra_capabilities",
    "MeetingsCapability": "extra_capabilities",
    "MeetingsWebhook": "extra_capabilities",
    "MeetingsWebhooks": "extra_capabilities",
    "NetworkApisCapability": "extra_capabilities",
    "VideoCapability": "extra_capabilities",
    "VideoStorage": "extra_capabilities",
    "VideoWebhook": "extra_capabilities",
    "VideoWebhooks": "extra_capabilities",
    "without_extra_capability_nulls": "extra_capabilities",
    "Ncco": "ncco",
    "NccoCheck": "ncco",
    "check_ncco": "ncco",
    "forward_to_phone": "ncco",
    "ivr_menu": "ncco",
    "parse_ncco": "ncco",
    "validate_ncco": "ncco",
    "voicemail": "ncco",
    "COUNTRY_RULE": "numbers",
    "MSISDN_RULE": "numbers",
    "AvailableNumber": "numbers",
    "AvailableNumbersPage": "numbers",
    "Limitation": "numbers",
    "NumbersPage": "numbers",
    "NumbersStatus": "numbers",
    "OwnedNumber": "numbers",
    "validate_country": "numbers",
    "validate_msisdn": "numbers",
    "validate_numbers_page": "numbers",
    "LIST_VALIDATION_TYPE": "problem",
    "PAYLOAD_VALIDATION_TYPE": "problem",
    "InvalidParameter": "problem",
    "ProblemDetails": "problem",
}
"""Re-exported name -> the submodule of this package that defines it, loaded on first use."""

_SUBMODULES = frozenset(_LAZY.values())

__all__ = [
    "ADDRESS_RULE",
    "CAPABILITIES",
    "COUNTRY_RULE",
    "EXTRA_CAPABILITIES",
    "LIST_VALIDATION_TYPE",
    "MSISDN_RULE",
    "NAME_MAX_LENGTH",
    "PAYLOAD_VALIDATION_TYPE",
    "PRIVACY_SETTINGS",
    "AnswerWebhook",
    "Application",
    "ApplicationPage",
    "AvailableNumber",
    "AvailableNumbersPage",
    "Capabilities",
    "CapabilitySpec",
    "EventWebhook",
    "ExtraCapabilities",
    "FallbackAnswerWebhook",
    "HttpMethod",
    "InvalidParameter",
    "Keys",
    "Limitation",
    "MeetingsCapability",
    "MeetingsWebhook",
    "MeetingsWebhooks",
    "MessagesCapability",
    "MessagesInboundWebhook",
    "MessagesStatusWebhook",
    "MessagesVersion",
    "MessagesWebhooks",
    "Ncco",
    "NccoCheck",
    "NetworkApisCapability",
    "NumbersPage",
    "NumbersStatus",
    "OwnedNumber",
    "Privacy",
    "ProblemDetails",
    "Range",
    "RtcCapability",
    "RtcEventWebhook",
    "RtcWebhooks",
    "SettingKind",
    "SettingSpec",
    "VbcCapability",
    "VerifyCapability",
    "VerifyStatusWebhook",
    "VerifyVersion",
    "VerifyWebhooks",
    "VideoCapability",
    "VideoStorage",
    "VideoWebhook",
    "VideoWebhooks",
    "VoiceCapability",
    "VoiceRegion",
    "VoiceWebhooks",
    "Webhook",
    "WebhookSpec",
    "capability",
    "capability_names",
    "check_ncco",
    "forward_to_phone",
    "ivr_menu",
    "ncco",
    "parse_ncco",
    "validate_application",
    "validate_application_page",
    "validate_country",
    "validate_msisdn",
    "validate_ncco",
    "validate_numbers_page",
    "voicemail",
    "webhook_spec",
    "without_extra_capability_nulls",
]


def __getattr__(name: str) -> Any:
    """Load a lazily re-exported name (or submodule) on first use, then keep it here."""
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")  # also sets it on this package
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # the next lookup is an ordinary one
    return value


def __dir__() -> list[str]:
    """Every public name, the ones not loaded yet included."""
    return sorted({*globals(), *__all__})
