"""Numbers API bodies (rest.nexmo.com) and the two identifiers it is keyed by.

Field names are the wire names, camelCase included (``moHttpUrl``, ``voiceCallbackType``), so
a body reads and writes back unchanged; unknown fields are kept verbatim [api-notes §2.2].
:func:`validate_msisdn` and :func:`validate_country` are the single rules for phone numbers
and country codes, used by the models, the forms, the client and the sandbox alike.
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models._errors import validate_model
from vonage_widgets.models._wire import WireModel

__all__ = [
    "COUNTRY_RULE",
    "MSISDN_RULE",
    "AvailableNumber",
    "AvailableNumbersPage",
    "Limitation",
    "NumbersPage",
    "NumbersStatus",
    "OwnedNumber",
    "validate_country",
    "validate_msisdn",
    "validate_numbers_page",
]

# E.164: a country code (never starting with 0) and at most 15 digits in all; 7 is the
# shortest full international number in use. Written without the "+" [api-notes §2.2].
_MSISDN = re.compile(r"[1-9][0-9]{6,14}")
_COUNTRY = re.compile(r"[A-Z]{2}")

MSISDN_RULE = (
    "must be a phone number in E.164 format without '+': 7 to 15 digits, "
    "the first one 1-9, like 447700900000"
)
"""The message for a malformed phone number."""

COUNTRY_RULE = "must be a two-letter ISO 3166-1 alpha-2 country code, like GB or US"
"""The message for a malformed country code."""


def _msisdn_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    digits = value.strip()
    digits = digits.removeprefix("+")  # "+44..." is the same number, written for people
    return digits if _MSISDN.fullmatch(digits) else None


def _country_or_none(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    code = value.strip().upper()
    return code if _COUNTRY.fullmatch(code) else None


def validate_msisdn(value: object, *, field: str = "msisdn") -> str:
    """A phone number as the Numbers API writes it: E.164 digits, no ``+``.

    Surrounding spaces and a leading ``+`` are removed; anything else that is not 7-15
    digits starting 1-9 raises ValidationError at ``field`` with the rule in the message.
    """
    number = _msisdn_or_none(value)
    if number is None:
        message = MSISDN_RULE if isinstance(value, str) else "must be a string of digits"
        raise ValidationError([FieldError(field, message)], subject="phone number")
    return number


def validate_country(value: object, *, field: str = "country") -> str:
    """An ISO 3166-1 alpha-2 code in upper case (``gb`` becomes ``GB``).

    Checks the form (two letters), not whether the code is assigned; raises ValidationError
    at ``field`` otherwise.
    """
    code = _country_or_none(value)
    if code is None:
        message = COUNTRY_RULE if isinstance(value, str) else "must be a string"
        raise ValidationError([FieldError(field, message)], subject="country code")
    return code


def _msisdn_field(value: str) -> str:
    number = _msisdn_or_none(value)
    if number is None:
        raise PydanticCustomError("msisdn", MSISDN_RULE)
    return number


def _country_field(value: str) -> str:
    code = _country_or_none(value)
    if code is None:
        raise PydanticCustomError("country", COUNTRY_RULE)
    return code


Msisdn = Annotated[str, AfterValidator(_msisdn_field)]
Country = Annotated[str, AfterValidator(_country_field)]


class Limitation(WireModel):
    """A restriction on one feature of a number, e.g. SMS outbound only domestic."""

    feature: Literal["MMS", "SMS", "VOICE"]
    type: Literal["INBOUND", "OUTBOUND"]
    reach: Literal["DOMESTIC", "INTERNATIONAL"]


class OwnedNumber(WireModel):
    """A number the account rents, as ``GET /account/numbers`` lists it [api-notes §2.2].

    Linked to an application when ``app_id`` is set (listings then also show
    ``voiceCallbackType: app`` and ``voiceCallbackValue: <app id>``).
    """

    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code.")
    msisdn: Msisdn = Field(description="The number, E.164 without '+'.")
    type: str | None = Field(None, description="landline, landline-toll-free or mobile-lvn.")
    features: list[str] | None = Field(None, description="SMS, VOICE and/or MMS.")
    app_id: str | None = Field(None, description="The linked application's id.")
    moHttpUrl: str | None = Field(None, description="Inbound SMS webhook.")
    voiceCallbackType: str | None = Field(None, description="sip, tel or app.")
    voiceCallbackValue: str | None = Field(None, description="SIP URI, number or app id.")
    messagesCallbackType: str | None = Field(None, description="Always app (deprecated).")
    messagesCallbackValue: str | None = Field(None, description="An app id (deprecated).")
    limitations: list[Limitation] | None = None

    ROUTING_FIELDS: ClassVar[tuple[str, ...]] = (
        "app_id",
        "moHttpUrl",
        "moSmppSysType",
        "voiceCallbackType",
        "voiceCallbackValue",
        "voiceStatusCallback",
        "messagesCallbackType",
        "messagesCallbackValue",
    )
    """The form fields of ``POST /number/update`` besides country and msisdn [api-notes §2.3]."""

    KEPT_SETTINGS: ClassVar[tuple[str, ...]] = ("moHttpUrl", "moSmppSysType", "voiceStatusCallback")
    """Settings :meth:`routing_form` carries over unchanged, whatever happens to the link."""

    FORWARDING_TYPES: ClassVar[tuple[str, ...]] = ("sip", "tel")
    """Voice callback types that route calls away from any application (and win over it)."""

    def to_dict(self) -> dict[str, Any]:
        """The number as the API lists it."""
        return self.to_wire()

    @property
    def linked_application_id(self) -> str | None:
        """The id of the application this number is linked to, or ``None``.

        ``app_id`` is the link [api-notes §2.3]; numbers linked the older way show it only as
        ``voiceCallbackValue`` / ``messagesCallbackValue`` with the type ``app``.
        """
        if self.app_id:
            return self.app_id
        if self.voiceCallbackType == "app" and self.voiceCallbackValue:
            return self.voiceCallbackValue
        if self.messagesCallbackType == "app" and self.messagesCallbackValue:
            return self.messagesCallbackValue
        return None

    def routing_form(self, *, app_id: str | None = None) -> dict[str, str]:
        """The ``/number/update`` routing fields that keep this number's settings.

        ``/number/update`` replaces a number's routing as a whole ([api-notes §2.3]: the
        CLI's unlink re-sends the other settings; the sandbox does the same), so a change to
        the link must re-send everything else or it is wiped. Kept: :attr:`KEPT_SETTINGS`
        (``moSmppSysType`` and ``voiceStatusCallback`` are read from the unknown fields the
        listing carries) and a ``sip``/``tel`` voice callback. Replaced by ``app_id`` (or
        dropped when it is ``None``, which unlinks): the old ``app_id`` and the ``app``-typed
        voice/messages callbacks, older spellings of the same link.
        """
        data = self.to_wire()
        form = {name: str(data[name]) for name in self.KEPT_SETTINGS if data.get(name)}
        if self.voiceCallbackType in self.FORWARDING_TYPES and self.voiceCallbackValue:
            form["voiceCallbackType"] = self.voiceCallbackType
            form["voiceCallbackValue"] = self.voiceCallbackValue
        if app_id is not None:
            form["app_id"] = app_id
        return form


class NumbersPage(WireModel):
    """One page of owned numbers. ``count`` counts every match, not just this page.

    The API leaves ``numbers`` out when there are none; it then reads as ``[]`` and stays
    out of :meth:`to_dict`, so the body round-trips.
    """

    count: int = Field(0, ge=0, description="Numbers matching the filter, on all pages.")
    numbers: list[OwnedNumber] = Field(default_factory=list)

    @classmethod
    def from_api(cls, data: object) -> "NumbersPage":
        """Read a ``GET /account/numbers`` body; raises ValidationError listing every problem."""
        return validate_numbers_page(data)

    def to_dict(self) -> dict[str, Any]:
        """The body as the API sends it."""
        return self.to_wire()


class AvailableNumber(WireModel):
    """A number offered by ``GET /number/search``; prices are strings in euros."""

    country: Country | None = None
    msisdn: Msisdn
    type: str | None = None
    cost: str | None = Field(None, description="Monthly rental, euros.")
    initialPrice: str | None = Field(None, description="Set-up fee, euros.")
    features: list[str] | None = None
    limitations: list[Limitation] | None = None


class AvailableNumbersPage(WireModel):
    """One page of ``GET /number/search``."""

    count: int = Field(0, ge=0)
    numbers: list[AvailableNumber] = Field(default_factory=list)

    @classmethod
    def from_api(cls, data: object) -> "AvailableNumbersPage":
        """Read a search body; raises ValidationError listing every problem."""
        return validate_model(cls, data, subject="number search result")

    def to_dict(self) -> dict[str, Any]:
        """The body as the API sends it."""
        return self.to_wire()


class NumbersStatus(WireModel):
    """The result body of ``/number/update``, ``/buy`` and ``/cancel`` (legacy, not RFC 7807).

    ``error-code`` is ``"200"`` on success, a string either way.
    """

    error_code: str = Field(alias="error-code")
    error_code_label: str = Field("", alias="error-code-label")

    @property
    def ok(self) -> bool:
        """Whether the operation succeeded (``error-code`` is ``"200"``)."""
        return self.error_code == "200"

    @classmethod
    def from_api(cls, data: object) -> "NumbersStatus":
        """Read a status body; raises ValidationError listing every problem."""
        return validate_model(cls, data, subject="numbers status")

    def to_dict(self) -> dict[str, Any]:
        """The body as the API sends it."""
        return self.to_wire()


def validate_numbers_page(data: object) -> NumbersPage:
    """Check a ``GET /account/numbers`` body; raises ValidationError with wire-name paths."""
    return validate_model(NumbersPage, data, subject="owned numbers")
