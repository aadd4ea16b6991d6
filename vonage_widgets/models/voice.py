"""Voice API call bodies (``/v1/calls``): names, choices and limits [api-notes §3.5].

The subset the sandbox serves and the workbook sends: create a call (:class:`CreateCall`),
modify one (:class:`UpdateCall`), and the list filters (:class:`CallFilters`). Limits are
typed once here, as field constraints, and read back by error messages; the sandbox, the
workbook and the CLI validate with these models and nothing else.

Rules beyond the spec's schemas, from its prose: ``from`` and ``random_from_number: true``
are mutually exclusive and one is required; a create holds exactly one of ``ncco`` and
``answer_url``. ``to`` must hold at least one endpoint (the spec gives no ``minItems``; an
empty list cannot be called).
"""

# No ``from __future__ import annotations``: see ``vonage_widgets.models`` (import time).

import re
from typing import Annotated, Any, Literal

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models._errors import NOT_AN_OBJECT, field_errors

__all__ = [
    "CALL_STATUSES",
    "LIST_PAGE_SIZE_DEFAULT",
    "LIST_PAGE_SIZE_MAX",
    "UPDATE_ACTIONS",
    "AdvancedMachineDetection",
    "AppEndpoint",
    "CallFilters",
    "CreateCall",
    "PhoneEndpoint",
    "PhoneFrom",
    "SipEndpoint",
    "UpdateCall",
    "VbcEndpoint",
    "WebsocketEndpoint",
    "validate_call_filters",
    "validate_create_call",
    "validate_update_call",
]

CALL_STATUSES: tuple[str, ...] = (
    "started",
    "ringing",
    "answered",
    "machine",
    "completed",
    "busy",
    "cancelled",
    "failed",
    "rejected",
    "timeout",
    "unanswered",
)
"""Call states, the ``status`` filter of ``GET /v1/calls`` [api-notes §3.5]."""
UPDATE_ACTIONS: tuple[str, ...] = (
    "transfer",
    "hangup",
    "mute",
    "unmute",
    "earmuff",
    "unearmuff",
)
"""The ``action`` values of ``PUT /v1/calls/{uuid}``."""
LIST_PAGE_SIZE_MAX = 100
"""Largest ``page_size`` of ``GET /v1/calls``."""
LIST_PAGE_SIZE_DEFAULT = 10
"""``page_size`` when absent."""

_CONFIG = ConfigDict(extra="forbid", strict=True, populate_by_name=False)
_E164 = re.compile(r"\d{7,15}")
_URL = re.compile(r"https?://[^\s/?#]+\S*")
URL_MAX_LENGTH = 2000
"""Longest webhook URL accepted (the spec gives none; this is the common browser limit)."""
E164_RULE = "must be 7 to 15 digits, E.164 without '+', like 447700900000"
URL_RULE = "must be an absolute http:// or https:// URL"


def _e164(value: str) -> str:
    if not _E164.fullmatch(value):
        raise PydanticCustomError("e164", E164_RULE)
    return value


def _url(value: str) -> str:
    if len(value) > URL_MAX_LENGTH or not _URL.fullmatch(value):
        raise PydanticCustomError("url", URL_RULE + f" of at most {URL_MAX_LENGTH} characters")
    return value


Method = Literal["GET", "POST"]
Url = Annotated[str, AfterValidator(_url)]


class _Body(BaseModel):
    model_config = _CONFIG


class PhoneEndpoint(_Body):
    """A PSTN number to call."""

    type: Literal["phone"]
    number: Annotated[str, AfterValidator(_e164)]
    dtmf_answer: str | None = Field(None, alias="dtmfAnswer", max_length=100)
    shaken: str | None = Field(None, max_length=4000)


class SipEndpoint(_Body):
    """A SIP URI to call."""

    type: Literal["sip"]
    uri: Annotated[str, Field(min_length=1, max_length=50)]
    headers: dict[str, Any] | None = None
    standard_headers: dict[str, Any] | None = None


class WebsocketEndpoint(_Body):
    """A WebSocket to stream the call's audio to."""

    type: Literal["websocket"]
    uri: Annotated[str, Field(min_length=1, max_length=2000)]
    content_type: Literal["audio/l16;rate=8000", "audio/l16;rate=16000", "audio/l16;rate=24000"] = (
        Field(alias="content-type")
    )
    headers: dict[str, Any] | None = None
    authorization: dict[str, Any] | None = None


class VbcEndpoint(_Body):
    """A Vonage Business Communications extension."""

    type: Literal["vbc"]
    extension: Annotated[str, Field(min_length=1, max_length=50)]


class AppEndpoint(_Body):
    """A Client SDK user."""

    type: Literal["app"]
    user: Annotated[str, Field(min_length=1, max_length=200)]


Endpoint = Annotated[
    PhoneEndpoint | SipEndpoint | WebsocketEndpoint | VbcEndpoint | AppEndpoint,
    Field(discriminator="type"),
]


class PhoneFrom(_Body):
    """The caller id: a number (E.164, or a SIP URI per the spec's prose)."""

    type: Literal["phone"]
    number: Annotated[str, Field(min_length=1, max_length=50)]


class AdvancedMachineDetection(_Body):
    """Advanced machine detection settings (beta, chargeable at Vonage)."""

    behavior: Literal["continue", "hangup"] | None = None
    mode: Literal["default", "detect", "detect_beep"] | None = None
    beep_timeout: Annotated[int, Field(ge=30, le=120)] | None = None


class CreateCall(_Body):
    """The body of ``POST /v1/calls``."""

    to: Annotated[list[Endpoint], Field(min_length=1, max_length=10)]
    from_: PhoneFrom | None = Field(None, alias="from")
    random_from_number: bool | None = None
    ncco: Annotated[list[Any], Field(min_length=1)] | None = None
    answer_url: Annotated[list[Url], Field(min_length=1, max_length=1)] | None = None
    answer_method: Method | None = None
    event_url: Annotated[list[Url], Field(min_length=1, max_length=1)] | None = None
    event_method: Method | None = None
    machine_detection: Literal["continue", "hangup"] | None = None
    advanced_machine_detection: AdvancedMachineDetection | None = None
    length_timer: Annotated[int, Field(ge=1, le=86400)] | None = None
    ringing_timer: Annotated[int, Field(ge=1, le=120)] | None = None

    @model_validator(mode="after")
    def _one_of_each(self) -> "CreateCall":
        if self.from_ is not None and self.random_from_number:
            raise PydanticCustomError(
                "exclusive",
                "must not be given with random_from_number: true (use one or the other)",
                {"field": "from"},
            )
        if self.from_ is None and not self.random_from_number:
            raise PydanticCustomError(
                "missing_from",
                "is required unless random_from_number is true",
                {"field": "from"},
            )
        if (self.ncco is None) == (self.answer_url is None):
            raise PydanticCustomError(
                "one_of",
                "give exactly one of ncco (the call's NCCO) and answer_url (where to fetch it)",
                {"field": "ncco"},
            )
        return self


class TransferDestination(_Body):
    """Where a transfer goes: an NCCO, or a URL that returns one."""

    type: Literal["ncco"]
    ncco: Annotated[list[Any], Field(min_length=1)] | None = None
    url: Annotated[list[Url], Field(min_length=1, max_length=1)] | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "TransferDestination":
        if (self.ncco is None) == (self.url is None):
            raise PydanticCustomError(
                "one_of", "give exactly one of ncco and url", {"field": "ncco"}
            )
        return self


class UpdateCall(_Body):
    """The body of ``PUT /v1/calls/{uuid}``."""

    action: Literal["transfer", "hangup", "mute", "unmute", "earmuff", "unearmuff"]
    destination: TransferDestination | None = None

    @model_validator(mode="after")
    def _destination(self) -> "UpdateCall":
        if self.action == "transfer" and self.destination is None:
            raise PydanticCustomError(
                "missing", "is required for a transfer", {"field": "destination"}
            )
        if self.action != "transfer" and self.destination is not None:
            raise PydanticCustomError(
                "unexpected", "is only allowed with action transfer", {"field": "destination"}
            )
        return self


class CallFilters(_Body):
    """The query of ``GET /v1/calls``."""

    model_config = ConfigDict(extra="forbid", strict=False)

    status: Literal[CALL_STATUSES] | None = None  # type: ignore[valid-type]
    date_start: pydantic.AwareDatetime | None = None
    date_end: pydantic.AwareDatetime | None = None
    page_size: Annotated[int, Field(ge=1, le=LIST_PAGE_SIZE_MAX)] = LIST_PAGE_SIZE_DEFAULT
    record_index: Annotated[int, Field(ge=0, le=2**62)] = 0
    order: Literal["asc", "desc"] = "asc"
    conversation_uuid: Annotated[str, Field(min_length=1, max_length=100)] | None = None


def _validate(model: type[BaseModel], data: object, subject: str) -> Any:
    if not isinstance(data, dict):
        raise ValidationError([FieldError("", NOT_AN_OBJECT)], subject=subject)
    try:
        return model.model_validate(data, by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        errors = [_plain(e) for e in field_errors(exc, model)]
        raise ValidationError(errors, subject=subject) from None


_TAGS = re.compile(r"^(to\.\d+)\.(phone|sip|websocket|vbc|app)(?=\.|$)")


def _plain(error: FieldError) -> FieldError:
    """Drop the union tag pydantic puts in a path (``to.0.phone.number``); plain words."""
    path = _TAGS.sub(r"\1", error.path)
    message = error.message
    if message == "extra inputs are not permitted":
        message = "is not a field of this request"
    elif message.startswith("input tag"):
        message = "type must be one of: phone, sip, websocket, vbc, app"
    elif message.startswith("list should have at least 1 item"):
        message = "must hold at least one item"
    return FieldError(path, message)


def validate_create_call(data: object) -> CreateCall:
    """A ``POST /v1/calls`` body as :class:`CreateCall`; ValidationError names each bad field.

    The NCCO's own actions are checked separately (``models.ncco.check_ncco``)."""
    result: CreateCall = _validate(CreateCall, data, "call")
    return result


def validate_update_call(data: object) -> UpdateCall:
    """A ``PUT /v1/calls/{uuid}`` body as :class:`UpdateCall`."""
    result: UpdateCall = _validate(UpdateCall, data, "call update")
    return result


def validate_call_filters(query: dict[str, str]) -> CallFilters:
    """The ``GET /v1/calls`` query string as :class:`CallFilters`."""
    result: CallFilters = _validate(CallFilters, query, "call list")
    return result
