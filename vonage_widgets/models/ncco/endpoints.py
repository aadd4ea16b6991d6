"""Endpoints a ``connect`` action can dial: phone, app, websocket, sip and vbc [api-notes §5.5].

Each model keeps the wire names as field names (``content-type`` is the one key that is not a
Python name; use ``content_type`` in Python). Which endpoint an object is comes from its
``type`` key; :data:`Endpoint` is the tagged union the ``connect`` action holds.
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import Field

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco.base import NccoWireModel
from vonage_widgets.models.ncco.types import (
    HttpUrl,
    Matches,
    NonEmptyStr,
    Opt,
)

__all__ = [
    "E164",
    "ENDPOINT_TYPES",
    "WEBSOCKET_CONTENT_TYPES",
    "AppEndpoint",
    "Endpoint",
    "OnAnswer",
    "PhoneEndpoint",
    "SipEndpoint",
    "VbcEndpoint",
    "WebsocketAuthorization",
    "WebsocketEndpoint",
]

E164 = Annotated[
    str,
    # E.164 without '+', the Python SDK's PhoneNumber pattern [api-notes §5.5].
    Matches(r"[1-9]\d{6,14}", "must be an E.164 number: 7 to 15 digits, no '+' or leading 0"),
]
"""A phone number as the NCCO wants it, e.g. ``447700900000``."""

DtmfDigits = Annotated[
    str,
    # The Python SDK's Dtmf pattern; 'p' is a 500 ms pause [api-notes §5.5].
    Matches(r"[0-9#*p]+", "must be DTMF digits: 0-9, *, # and p (a 500 ms pause)"),
]

WebsocketUri = Annotated[
    str, Matches(r"wss?://[^\s/]+\S*", "must be a ws:// or wss:// URI with a host")
]
SipUri = Annotated[
    str,
    # The Python SDK's SipUri pattern [api-notes §5.5]; TLS/SRTP are ';transport=tls' and
    # ';media=srtp' parameters.
    Matches(
        r"sips?:\+?[\w|:.\-@;,=%&]+",
        "must be a sip: or sips: URI such as sip:rebekka@sip.example.com",
    ),
]

WebsocketContentType = Literal[
    "audio/l16;rate=8000", "audio/l16;rate=16000", "audio/l16;rate=24000"
]
WEBSOCKET_CONTENT_TYPES: tuple[str, ...] = get_args(WebsocketContentType)
"""Audio formats a websocket endpoint can stream; 24 kHz from [api-notes §5.5]."""

USER_TO_USER_MAX = 256
"""``standardHeaders["User-to-User"]`` length limit [api-notes §5.5]."""


class OnAnswer(NccoWireModel):
    """An NCCO run on the callee before they join (``url``), with an optional ringback."""

    WHAT: ClassVar[str] = "the onAnswer settings"
    KEY_HINTS: ClassVar[dict[str, str]] = {}

    url: HttpUrl
    ringbackTone: Opt[HttpUrl] = None
    ringback: Opt[HttpUrl] = None
    """Older name of ``ringbackTone``, still accepted [api-notes §5.5]."""


class PhoneEndpoint(NccoWireModel):
    """A PSTN number [api-notes §5.5]."""

    DISCRIMINATOR: ClassVar[str | None] = "type"
    WHAT: ClassVar[str] = "a phone endpoint"

    type: Literal["phone"] = "phone"
    number: E164
    dtmfAnswer: Opt[DtmfDigits] = None
    onAnswer: Opt[OnAnswer] = None
    shaken: Opt[NonEmptyStr] = None
    """STIR/SHAKEN Identity header content (by request only)."""


class AppEndpoint(NccoWireModel):
    """A Client SDK user of this application [api-notes §5.5]."""

    DISCRIMINATOR: ClassVar[str | None] = "type"
    WHAT: ClassVar[str] = "an app endpoint"

    type: Literal["app"] = "app"
    user: NonEmptyStr


class WebsocketAuthorization(NccoWireModel):
    """How the websocket handshake's Authorization header is set [api-notes §5.5]."""

    WHAT: ClassVar[str] = "the websocket authorization"

    type: Literal["vonage", "custom"]
    value: Opt[str] = None

    def rule_errors(self) -> list[FieldError]:
        """``custom`` sends ``value`` verbatim, so it needs one."""
        if self.type == "custom" and not self.value:
            return [FieldError("value", "is required when type is custom")]
        return []


class WebsocketEndpoint(NccoWireModel):
    """A websocket that receives and sends raw audio [api-notes §5.5]."""

    DISCRIMINATOR: ClassVar[str | None] = "type"
    WHAT: ClassVar[str] = "a websocket endpoint"
    KEY_HINTS: ClassVar[dict[str, str]] = {
        "contentType": "; the JSON key is 'content-type' (with a hyphen)",
        "content_type": "; the JSON key is 'content-type' (with a hyphen)",
    }

    type: Literal["websocket"] = "websocket"
    uri: WebsocketUri
    # Required by [api-notes §5.5] EndpointWebsocket; the hyphen is the wire name.
    content_type: WebsocketContentType = Field(alias="content-type")
    headers: Opt[dict[str, Any]] = None
    authorization: Opt[WebsocketAuthorization] = None

    def rule_errors(self) -> list[FieldError]:
        """Rules of the nested authorization object."""
        if self.authorization is None:
            return []
        return [
            FieldError(f"authorization.{e.path}", e.message)
            for e in self.authorization.rule_errors()
        ]


class SipEndpoint(NccoWireModel):
    """A SIP URI, or a user at a SIP trunk ``domain`` [api-notes §5.5]."""

    DISCRIMINATOR: ClassVar[str | None] = "type"
    WHAT: ClassVar[str] = "a sip endpoint"
    KEY_HINTS: ClassVar[dict[str, str]] = {
        "standard_headers": "; in an NCCO the key is 'standardHeaders'",
    }

    type: Literal["sip"] = "sip"
    uri: Opt[SipUri] = None
    user: Opt[NonEmptyStr] = None
    domain: Opt[NonEmptyStr] = None
    headers: Opt[dict[str, Any]] = None
    standardHeaders: Opt[dict[str, str]] = None

    def rule_errors(self) -> list[FieldError]:
        """Exactly one addressing style; User-to-User within its length limit."""
        errors: list[FieldError] = []
        by_user = self.user is not None or self.domain is not None
        if self.uri is not None and by_user:
            errors.append(FieldError("uri", "give either uri or user and domain, not both"))
        elif self.uri is None and not by_user:
            errors.append(FieldError("uri", "is required (or give user and domain instead)"))
        elif self.uri is None:
            for key in ("user", "domain"):
                if getattr(self, key) is None:
                    errors.append(FieldError(key, "is required when addressing by user and domain"))
        u2u = (self.standardHeaders or {}).get("User-to-User")
        if u2u is not None and len(u2u) > USER_TO_USER_MAX:
            errors.append(
                FieldError(
                    "standardHeaders.User-to-User",
                    f"must be at most {USER_TO_USER_MAX} characters",
                )
            )
        return errors


class VbcEndpoint(NccoWireModel):
    """A Vonage Business Communications extension [api-notes §5.5]."""

    DISCRIMINATOR: ClassVar[str | None] = "type"
    WHAT: ClassVar[str] = "a vbc endpoint"

    type: Literal["vbc"] = "vbc"
    extension: NonEmptyStr


Endpoint = Annotated[
    PhoneEndpoint | AppEndpoint | WebsocketEndpoint | SipEndpoint | VbcEndpoint,
    Field(discriminator="type"),
]
"""Any endpoint, chosen by its ``type`` key."""

ENDPOINT_TYPES: dict[str, type[NccoWireModel]] = {
    "phone": PhoneEndpoint,
    "app": AppEndpoint,
    "websocket": WebsocketEndpoint,
    "sip": SipEndpoint,
    "vbc": VbcEndpoint,
}
"""Endpoint classes by their ``type`` value."""
