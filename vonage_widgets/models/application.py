"""Application API v2 bodies as pydantic models: the one source of truth for shape and limits.

Every name, enum and range the Application API documents lives here, once, as a field
constraint [api-notes §1.5]; the catalog (``models.catalog``), the form, the tables and the
sandbox read them from these classes. Field names are the wire names.

Output policy (why bodies round-trip exactly): nothing is default-filled on output. A field
absent from the input stays absent in ``to_api()`` / ``to_dict()``; what Vonage assumes for an
absent field is recorded on the field (``ApiDefault``), read with ``model.effective(name)`` and
shown by the catalog (the form pre-fills from there). ``null`` on a known field counts as
absent. Unknown capabilities and unknown fields at every level are kept verbatim and written
back: the official SDK drops them, and an update would then silently delete them. ``video``,
``meetings`` and ``network_apis`` are kept verbatim too, after a check against the spec's
rules for them (``models.extra_capabilities``).
"""

# No ``from __future__ import annotations``: see ``vonage_widgets.models`` (import time).

import re
import unicodedata
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

import pydantic
from pydantic import AfterValidator, Field, ModelWrapValidatorHandler, SecretStr, model_validator
from pydantic_core import PydanticCustomError

from vonage_widgets.models._errors import combined_error, validate_model
from vonage_widgets.models._wire import (
    ApiDefault,
    OptionalWireModel,
    Unit,
    WireModel,
    built,
    drop_known_nulls,
)

__all__ = [
    "ADDRESS_RULE",
    "NAME_MAX_LENGTH",
    "AnswerWebhook",
    "Application",
    "ApplicationPage",
    "Capabilities",
    "EventWebhook",
    "FallbackAnswerWebhook",
    "HttpMethod",
    "Keys",
    "MessagesCapability",
    "MessagesInboundWebhook",
    "MessagesStatusWebhook",
    "MessagesVersion",
    "MessagesWebhooks",
    "Privacy",
    "RtcCapability",
    "RtcEventWebhook",
    "RtcWebhooks",
    "VbcCapability",
    "VerifyCapability",
    "VerifyStatusWebhook",
    "VerifyVersion",
    "VerifyWebhooks",
    "VoiceCapability",
    "VoiceRegion",
    "VoiceWebhooks",
    "Webhook",
    "validate_application",
    "validate_application_page",
]

HttpMethod = Literal["GET", "POST"]
"""HTTP methods a GET-or-POST webhook accepts [api-notes §1.5.1]."""

VoiceRegion = Literal["na-east", "na-west", "eu-east", "eu-west", "apac-sng", "apac-australia"]
"""Regions that can handle an application's inbound voice traffic [api-notes §1.5.1]."""

MessagesVersion = Literal["v0.1", "v1"]
"""Messages webhook formats: ``v1`` (current, the API's default) or the older ``v0.1``."""

VerifyVersion = Literal["v2"]
"""Verify capability version: only ``v2`` is documented [api-notes §1.5.3]; Vonage sets it."""

NAME_MAX_LENGTH = 255
"""Longest application name accepted. The spec sets no limit [api-notes §1.4]; 255 is a
generous cap (a common database column size) that no real name reaches, and it keeps a
runaway paste from becoming a 1 MB request."""

ADDRESS_RULE = "must be an absolute http or https URL with a host, like https://example.com/answer"
"""The message for a webhook address that is not an absolute http(s) URL."""

# The fields of ExtraCapabilities (a test checks), known without importing its module.
_EXTRA_NAMES = frozenset({"video", "meetings", "network_apis"})

_UNSET_ADDRESS = ""  # how Vonage writes the address of a fallback that is not configured


# Whitespace (exactly what str.isspace() calls space) or a C0 control character anywhere: one
# regex scan is ~6x faster than a per-character loop, and this runs for every webhook read.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f]")

# The shape nearly every real address has: lower-case http(s), a plain ASCII host, a port of at
# most 4 digits, then anything without space or control characters. Every string this matches
# passes the full check below (tests/test_models_fast_paths.py checks it on generated strings),
# so it may skip urlsplit and its .port/.hostname parsing, ~3x the cost of the rest of a webhook.
_PLAIN_HTTP_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,4})?(?:[/?#][^\s\x00-\x1f]*)?")


def _check_address(value: str) -> str:
    """Accept only absolute http(s) URLs with a host: Vonage must be able to call them."""
    if _PLAIN_HTTP_URL.fullmatch(value) is not None:
        return value
    return _check_address_fully(value)


def _check_address_fully(value: str) -> str:
    """The full address rule (what :func:`_check_address` applies to every unusual address)."""
    if _SPACE_OR_CONTROL.search(value) is not None:
        raise PydanticCustomError("webhook_address", ADDRESS_RULE)
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a non-numeric port
    except ValueError:
        raise PydanticCustomError("webhook_address", ADDRESS_RULE) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PydanticCustomError("webhook_address", ADDRESS_RULE)
    return value


# Characters a name must not carry: C0/C1 controls (NUL, BEL, ...) and the bidirectional
# overrides and isolates that make a name display differently from what it is (U+202A-U+202E,
# U+2066-U+2069; the "Trojan Source" trick). Names are shown in tables, forms and the CLI.
_NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Any printable ASCII character other than space: a name holding one is neither blank nor
# invisible, so the per-character Unicode check below (~3 us per name, run for every
# application a listing reads) is needed only for names without one.
_VISIBLE_ASCII = re.compile("[!-~]")


def _check_name(value: str) -> str:
    plainly_visible = _VISIBLE_ASCII.search(value) is not None
    if not plainly_visible and not value.strip():
        raise PydanticCustomError("blank_name", "must not be empty or only spaces")
    if _NAME_FORBIDDEN.search(value):
        raise PydanticCustomError(
            "name_characters", "must not contain control or text-direction characters"
        )
    # Zero-width and other format characters (category Cf) alone show as an empty name.
    if not plainly_visible and all(
        unicodedata.category(c) in ("Cf", "Zs", "Zl", "Zp") or c.isspace() for c in value
    ):
        raise PydanticCustomError("blank_name", "must contain a visible character")
    return value


def _check_address_or_unset(value: str) -> str:
    return value if value == _UNSET_ADDRESS else _check_address(value)


def _read_old_timeout_name(data: Any) -> Any:
    """``connection_timeout`` (before spec 2.4.1) read as ``connect_timeout``, key order kept."""
    if type(data) is not dict and not isinstance(data, Mapping):
        return data
    if "connection_timeout" not in data:
        return data
    if data.get("connect_timeout") is None:  # rename in place, keeping key order
        return {("connect_timeout" if k == "connection_timeout" else k): v for k, v in data.items()}
    if data["connect_timeout"] == data["connection_timeout"]:
        return {k: v for k, v in data.items() if k != "connection_timeout"}
    return data  # both names, two values: reported by Webhook._no_conflicting_old_name


WebhookAddress = Annotated[str, AfterValidator(_check_address)]

# Why an empty fallback address is accepted, and only there [api-notes §1.7]:
# Vonage's 2021 docs show GET responses with "fallback_answer_url": {"address": "",
# "http_method": "GET"} for an application without a fallback, and tell people to PUT the
# document they got back. So "" is read, kept and written back exactly as sent, and
# validate_application accepts it in request bodies too: it is the one check for both
# directions, and a PUT of what a GET returned must pass. The other webhooks keep refusing ""
# (no source shows Vonage sending it; an empty answer_url is a mistake worth naming), and
# only "" exactly means "unset", not spaces. Readers test Webhook.configured, not the text.
FallbackAddress = Annotated[str, AfterValidator(_check_address_or_unset)]

Milliseconds = Annotated[int | None, Unit("milliseconds")]

# Voice webhook timeouts and their defaults [api-notes §1.5.1].
VoiceConnectTimeout = Annotated[
    int | None, Field(ge=300, le=1000), ApiDefault(1000), Unit("milliseconds")
]
AnswerSocketTimeout = Annotated[
    int | None, Field(ge=1000, le=5000), ApiDefault(5000), Unit("milliseconds")
]
EventSocketTimeout = Annotated[
    int | None, Field(ge=1000, le=10000), ApiDefault(10000), Unit("milliseconds")
]

_CONNECT_TIMEOUT_HELP = (
    "How long Vonage waits to connect to your server before it tries once more, in milliseconds."
)
_SOCKET_TIMEOUT_HELP = (
    "How long Vonage waits for your server's response before it tries once more, in milliseconds."
)
_SIGNED_CALLBACKS_HELP = (
    "Sign webhook requests with a JWT so your server can check they come from Vonage."
)


class Webhook(WireModel):
    """A URL Vonage calls, and how: ``address`` plus ``http_method`` (and voice timeouts).

    The base accepts GET or POST and whole-number timeouts; each concrete webhook below
    narrows that to its documented rules. ``connection_timeout`` (the field's name before
    spec 2.4.1 [api-notes §1.5.1]) is read as ``connect_timeout`` and written under the new name.
    """

    address: WebhookAddress = Field(description="The URL Vonage calls.")
    http_method: HttpMethod | None = Field(None, description="The HTTP method Vonage uses.")
    connect_timeout: Milliseconds = Field(None, description=_CONNECT_TIMEOUT_HELP)
    socket_timeout: Milliseconds = Field(None, description=_SOCKET_TIMEOUT_HELP)

    @property
    def configured(self) -> bool:
        """Whether Vonage has an address to call (``False`` for an unset fallback, ``""``)."""
        return self.address != _UNSET_ADDRESS

    @model_validator(mode="before")
    @classmethod
    def _null_means_absent(cls, data: Any) -> Any:
        # Replaces WireModel's pre-pass so a webhook costs one Python call, not two: read the
        # old timeout name first, then drop nulls (the order the two passes always had).
        # The usual webhook (a dict with no old name and no null) returns at once: a listing
        # reads two webhooks per application, and the two calls below cost ~40% of this.
        if type(data) is dict and "connection_timeout" not in data and None not in data.values():
            return data
        return drop_known_nulls(cls, _read_old_timeout_name(data))

    @model_validator(mode="after")
    def _no_conflicting_old_name(self) -> "Webhook":
        if "connection_timeout" in (self.__pydantic_extra__ or {}):
            raise PydanticCustomError(
                "timeout_name_conflict",
                "is the old name of connect_timeout and disagrees with it: "
                "send only connect_timeout",
                {"field": "connection_timeout"},
            )
        return self


class AnswerWebhook(Webhook):
    """Voice ``answer_url``: GET or POST; voice timeout limits with a short socket timeout."""

    http_method: Annotated[HttpMethod | None, ApiDefault("GET")] = Field(
        None, description="The HTTP method Vonage uses."
    )
    connect_timeout: VoiceConnectTimeout = Field(None, description=_CONNECT_TIMEOUT_HELP)
    socket_timeout: AnswerSocketTimeout = Field(None, description=_SOCKET_TIMEOUT_HELP)


class FallbackAnswerWebhook(AnswerWebhook):
    """Voice ``fallback_answer_url``: the same rules as the answer webhook [api-notes §1.5.1].

    One exception: an empty ``address`` is accepted and means "no fallback configured", the
    way Vonage itself has written it (see ``FallbackAddress``; test :attr:`configured`).
    """

    address: FallbackAddress = Field(
        description="The URL Vonage calls; empty (as Vonage writes it) means not configured."
    )


class EventWebhook(Webhook):
    """Voice ``event_url``: GET or POST; voice timeout limits with a longer socket timeout."""

    http_method: Annotated[HttpMethod | None, ApiDefault("POST")] = Field(
        None, description="The HTTP method Vonage uses."
    )
    connect_timeout: VoiceConnectTimeout = Field(None, description=_CONNECT_TIMEOUT_HELP)
    socket_timeout: EventSocketTimeout = Field(None, description=_SOCKET_TIMEOUT_HELP)


class RtcEventWebhook(Webhook):
    """RTC ``event_url``: GET or POST (default POST); no documented timeouts."""

    http_method: Annotated[HttpMethod | None, ApiDefault("POST")] = Field(
        None, description="The HTTP method Vonage uses."
    )


class _PostOnlyWebhook(Webhook):
    """A webhook the API only calls with POST [api-notes §1.5.2]."""

    http_method: Annotated[Literal["POST"] | None, ApiDefault("POST")] = Field(
        None, description="Always POST for this webhook."
    )


class MessagesInboundWebhook(_PostOnlyWebhook):
    """Messages ``inbound_url``: POST only."""


class MessagesStatusWebhook(_PostOnlyWebhook):
    """Messages ``status_url``: POST only."""


class VerifyStatusWebhook(_PostOnlyWebhook):
    """Verify ``status_url``: POST only."""


class VoiceWebhooks(OptionalWireModel):
    """The voice capability's webhooks. Unset webhooks are simply absent."""

    answer_url: AnswerWebhook | None = Field(
        None,
        title="Answer URL",
        description="Vonage requests this when a call is placed or received; "
        "it must return an NCCO.",
    )
    fallback_answer_url: FallbackAnswerWebhook | None = Field(
        None,
        title="Fallback answer URL",
        description="Requested instead when the answer URL is unreachable or returns an HTTP "
        "error; it must return an NCCO too.",
    )
    event_url: EventWebhook | None = Field(
        None,
        title="Event URL",
        description="Vonage sends call status events (ringing, answered, completed, ...) here.",
    )


class VoiceCapability(OptionalWireModel):
    """``capabilities.voice``: webhooks and call settings [api-notes §1.5.1]."""

    webhooks: VoiceWebhooks | None = None
    signed_callbacks: Annotated[bool | None, ApiDefault(True)] = Field(
        None, title="Signed callbacks", description=_SIGNED_CALLBACKS_HELP
    )
    # Spec 2.4.1 (1-9000, default 48) wins over the Node/Java/.NET doc comments (0-744): it is
    # the current published spec, the Python SDK enforces it, and its recorded bodies hold 9000.
    conversations_ttl: Annotated[
        int | None, Field(ge=1, le=9000), ApiDefault(48), Unit("hours")
    ] = Field(
        None,
        title="Conversations TTL",
        description="How long a named conversation stays active after it is created, in hours.",
    )
    leg_persistence_time: Annotated[int | None, Field(ge=1, le=31), ApiDefault(2), Unit("days")] = (
        Field(
            None,
            title="Leg persistence time",
            description="How many days Vonage keeps the records of call legs.",
        )
    )
    region: VoiceRegion | None = Field(
        None,
        title="Region",
        description="The region that handles inbound, programmable SIP and SIP connect calls "
        "(a call sent to a regional endpoint uses that endpoint's region instead).",
    )


class MessagesWebhooks(OptionalWireModel):
    """The messages capability's webhooks (both POST only)."""

    inbound_url: MessagesInboundWebhook | None = Field(
        None, title="Inbound URL", description="Vonage forwards inbound messages here."
    )
    status_url: MessagesStatusWebhook | None = Field(
        None,
        title="Status URL",
        description="Vonage sends message status updates (submitted, delivered, read, ...) here.",
    )


class MessagesCapability(OptionalWireModel):
    """``capabilities.messages``: webhooks, webhook format version, inbound media auth."""

    webhooks: MessagesWebhooks | None = None
    version: Annotated[MessagesVersion | None, ApiDefault("v1")] = Field(
        None,
        title="Version",
        description="The webhook format Vonage uses: v1 (the default) or the older v0.1.",
    )
    authenticate_inbound_media: bool | None = Field(
        None,
        title="Authenticate inbound media",
        description="Require authentication to download media attached to inbound messages.",
    )


class RtcWebhooks(OptionalWireModel):
    """The RTC capability's webhooks."""

    event_url: RtcEventWebhook | None = Field(
        None,
        title="Event URL",
        description="Vonage sends Client SDK conversation events here.",
    )


class RtcCapability(OptionalWireModel):
    """``capabilities.rtc``: the Client SDK's event webhook and signing."""

    webhooks: RtcWebhooks | None = None
    signed_callbacks: Annotated[bool | None, ApiDefault(True)] = Field(
        None, title="Signed callbacks", description=_SIGNED_CALLBACKS_HELP
    )


class VbcCapability(OptionalWireModel):
    """``capabilities.vbc``: always an empty object; its presence switches the feature on."""


class VerifyWebhooks(OptionalWireModel):
    """The Verify capability's webhooks."""

    status_url: VerifyStatusWebhook | None = Field(
        None,
        title="Status URL",
        description="Vonage sends verification status updates here.",
    )


class VerifyCapability(OptionalWireModel):
    """``capabilities.verify`` (Verify v2): a POST-only status webhook."""

    webhooks: VerifyWebhooks | None = None
    version: VerifyVersion | None = Field(
        None,
        title="Version",
        description="The Verify API version. Vonage sets it (v2); leave it unset on create and "
        "update.",
    )


class Capabilities(OptionalWireModel):
    """The products an application uses, one key each. Unknown products are kept verbatim."""

    voice: VoiceCapability | None = Field(
        None,
        title="Voice",
        description="Make and receive phone calls: Vonage asks your answer URL what to do "
        "(an NCCO) and reports call progress to your event URL.",
    )
    messages: MessagesCapability | None = Field(
        None,
        title="Messages",
        description="Send and receive SMS, MMS, WhatsApp, Viber and Messenger messages; inbound "
        "messages and delivery status arrive at your webhooks.",
    )
    rtc: RtcCapability | None = Field(
        None,
        title="RTC (Client SDK)",
        description="In-app voice and chat with the Vonage Client SDK; conversation events are "
        "sent to your event URL.",
    )
    verify: VerifyCapability | None = Field(
        None,
        title="Verify",
        description="Verify v2: check a user's phone number or email with a one-time code; "
        "status updates are sent to your status URL.",
    )
    vbc: VbcCapability | None = Field(
        None,
        title="VBC",
        description="Vonage Business Communications number programmability: enables "
        "zero-rated calls. Has no settings.",
    )

    # video, meetings and network_apis: checked by ExtraCapabilities, kept as the JSON sent
    # (models.extra_capabilities says why). Error messages look their rules up here. Loaded
    # on first use: most applications have none of the three.
    @classmethod
    def _checked_extras(cls) -> type[OptionalWireModel]:
        from vonage_widgets.models.extra_capabilities import ExtraCapabilities

        return ExtraCapabilities

    @model_validator(mode="wrap")
    @classmethod
    def _check_extra_capabilities(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        if type(data) is not dict and not isinstance(data, Mapping):
            return handler(data)  # pydantic says "must be a JSON object"
        if _EXTRA_NAMES.isdisjoint(data):
            return handler(data)  # the usual case: one set test, no second model
        extra = {name: data[name] for name in _EXTRA_NAMES.intersection(data)}
        try:  # the validator itself: model_validate's Python wrapper doubled this check's cost
            checker = built(cls._checked_extras()).__pydantic_validator__
            checker.validate_python(extra, by_alias=True, by_name=False)
        except pydantic.ValidationError as exc:
            problems = exc.errors()
        else:
            return handler(data)
        try:  # report the other capabilities' problems too, first, as pydantic orders them
            handler(data)
        except pydantic.ValidationError as exc:
            problems = exc.errors() + problems
        raise combined_error(cls.__name__, problems)


class Keys(OptionalWireModel):
    """The application's key pair. Only ``public_key`` is ever sent or shown.

    ``private_key`` arrives once, in the response to a create that let Vonage generate the
    pair [api-notes §1.6]. It is a ``SecretStr``: not in repr, ``to_api()`` or ``to_dict()``;
    read it with ``keys.private_key.get_secret_value()`` and save it at once.
    """

    public_key: str | None = Field(None, description="The public key, as PEM text.")
    private_key: SecretStr | None = Field(
        None, exclude=True, repr=False, description="Returned once, on create."
    )


class Privacy(OptionalWireModel):
    """Privacy settings."""

    improve_ai: Annotated[bool | None, ApiDefault(True)] = Field(
        None,
        title="Improve AI",
        description="Let Vonage store and use your content to improve its AI-based services.",
    )


class Application(WireModel):
    """One Vonage application: a request body (POST/PUT) or a response body (with ``id``).

    Read with :meth:`from_api` (or :func:`validate_application`), write with :meth:`to_api`
    (request) or :meth:`to_dict` (response shape). See the module docstring for what is kept
    verbatim and why nothing is default-filled.
    """

    id: str | None = Field(None, description="Set by Vonage; responses only.")
    name: Annotated[str, Field(max_length=NAME_MAX_LENGTH), AfterValidator(_check_name)] = Field(
        description="A friendly name; need not be unique."
    )
    capabilities: Capabilities | None = None
    keys: Keys | None = None
    privacy: Privacy | None = None
    links: dict[str, Any] | None = Field(None, alias="_links", description="HAL links.")

    @classmethod
    def from_api(cls, data: object) -> "Application":
        """Read a request or response body; raises ValidationError listing every problem."""
        return validate_application(data)

    def to_api(self) -> dict[str, Any]:
        """The request body for POST/PUT: no ``id``, no ``_links``, no private key, no nulls.

        ``keys`` is left out when nothing but a private key was in it.
        """
        body = self.to_wire()
        body.pop("id", None)
        body.pop("_links", None)
        if body.get("keys") == {} and self.keys is not None and self.keys.private_key is not None:
            del body["keys"]
        return body

    def to_dict(self, *, include_private_key: bool = False) -> dict[str, Any]:
        """The response shape (``id``, ``_links`` and all). Never a private key, unless asked.

        ``include_private_key=True`` exists for the sandbox's create response, the one place
        the API itself shows the key; nothing that displays or logs a body should pass it.
        """
        return self.to_wire(include_private=include_private_key)

    def link(self, rel: str = "self") -> str | None:
        """The ``href`` of a HAL link (``self`` by default), if the body had one."""
        target = (self.links or {}).get(rel)
        href = target.get("href") if isinstance(target, Mapping) else None
        return href if isinstance(href, str) else None


class _Embedded(OptionalWireModel):
    """The HAL ``_embedded`` object of a list response."""

    applications: list[Application] | None = None


class ApplicationPage(WireModel):
    """One page of ``GET /v2/applications`` (a HAL body) [api-notes §1.3].

    ``applications`` reads ``_embedded.applications``; Python code may also pass
    ``applications=[...]`` to the constructor. ``links`` is the HAL ``_links`` object
    (``self``, ``first``, ``last``, and ``next``/``prev`` when they apply).
    """

    page: int = Field(ge=0, description="This page's number, from 1.")
    page_size: int = Field(ge=0, description="Items per page.")
    total_items: int = Field(ge=0, description="Applications in the account.")
    total_pages: int = Field(ge=0, description="Pages at this page size.")
    embedded: _Embedded | None = Field(None, alias="_embedded")
    links: dict[str, Any] | None = Field(None, alias="_links", description="HAL links.")

    @model_validator(mode="before")
    @classmethod
    def _embed_applications(cls, data: Any) -> Any:
        # Lets Python code pass ``applications=[...]``. A body always has ``_embedded``
        # (the official SDK requires it), so a stray top-level "applications" key in a body
        # that has ``_embedded`` stays an unknown key.
        if isinstance(data, Mapping) and "applications" in data and "_embedded" not in data:
            rest = {k: v for k, v in data.items() if k != "applications"}
            return {**rest, "_embedded": {"applications": data["applications"]}}
        return data

    @property
    def applications(self) -> list[Application]:
        """The applications on this page (empty when the body had none)."""
        if self.embedded is None or self.embedded.applications is None:
            return []
        return self.embedded.applications

    @property
    def next_page(self) -> int | None:
        """The next page number, or ``None`` on the last page."""
        return self.page + 1 if self.page < self.total_pages else None

    @classmethod
    def from_api(cls, data: object) -> "ApplicationPage":
        """Read a list response body; raises ValidationError listing every problem."""
        return validate_application_page(data)

    def to_dict(self) -> dict[str, Any]:
        """The HAL list body, without private keys."""
        return self.to_wire()


def validate_application(data: object) -> Application:
    """Check any JSON value as an application body; the one check forms and sandbox share.

    Returns the :class:`Application`, or raises :class:`~vonage_widgets.errors.ValidationError`
    listing every broken rule, each with its dotted wire-name path and a plain-words message
    (``""`` as the path when ``data`` is not an object). An ``Application`` is re-checked too.
    Safe to call from many threads; no state is shared between calls.
    """
    if isinstance(data, Application):
        data = data.to_dict(include_private_key=True)
    return validate_model(Application, data, subject="application")


def validate_application_page(data: object) -> ApplicationPage:
    """Check a list response body; raises ValidationError like :func:`validate_application`."""
    return validate_model(ApplicationPage, data, subject="application list")
