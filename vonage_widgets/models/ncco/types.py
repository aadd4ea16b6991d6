"""Field types of the NCCO models: the limits and formats each key must respect.

Limits live here, in the types (:class:`Bounds`, :class:`Matches`, :class:`ItemCount`), so
the validator, the builder and any form read them from one place. Messages are plain
sentences naming the rule, because they are shown beside the offending field as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    GetCoreSchemaHandler,
    PlainValidator,
)
from pydantic_core import PydanticCustomError, core_schema

from vonage_widgets.errors import FieldError

__all__ = [
    "DOCUMENTED_METHODS",
    "Bounds",
    "EventMethod",
    "HttpUrl",
    "ItemCount",
    "LanguageTag",
    "Matches",
    "NonEmptyStr",
    "Number",
    "Opt",
    "UrlList",
    "UrlOrUrls",
    "field_bounds",
    "is_http_url",
    "method_warning",
]

T = TypeVar("T")


def _reject_null(value: T | None) -> T:
    if value is None:
        raise PydanticCustomError("null", "must not be null; leave the key out to use the default")
    return value


Opt = Annotated[T | None, AfterValidator(_reject_null)]
"""An optional key: absent is fine, but an explicit JSON ``null`` is reported."""


def _custom(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _fmt(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True, slots=True)
class Bounds:
    """An inclusive numeric range; ``maximum=None`` means no upper limit."""

    minimum: float
    maximum: float | None = None
    unit: str = ""

    @property
    def rule(self) -> str:
        """The range in words, as used in messages."""
        unit = f" {self.unit}" if self.unit else ""
        if self.maximum is None:
            return f"must be {_fmt(self.minimum)}{unit} or more"
        return f"must be between {_fmt(self.minimum)} and {_fmt(self.maximum)}{unit}"

    def check(self, value: float) -> float:
        """Return ``value`` if it lies in the range, else raise the rule's error."""
        too_big = self.maximum is not None and value > self.maximum
        if value < self.minimum or too_big:
            raise _custom("range", self.rule)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


@dataclass(frozen=True, slots=True)
class Matches:
    """A string that must match ``pattern`` completely; ``message`` says what is expected."""

    pattern: str
    message: str

    def check(self, value: str) -> str:
        """Return ``value`` if it matches, else raise with the rule's message."""
        if re.fullmatch(self.pattern, value) is None:
            raise _custom("pattern", self.message)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


@dataclass(frozen=True, slots=True)
class ItemCount:
    """How many items an array may hold; ``message`` names the rule."""

    minimum: int
    maximum: int | None
    message: str

    def check(self, value: list[Any]) -> list[Any]:
        """Return ``value`` if its length is allowed, else raise with the rule's message."""
        if len(value) < self.minimum or (self.maximum is not None and len(value) > self.maximum):
            raise _custom("item_count", self.message)
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))


def field_bounds(model: type[BaseModel], field: str) -> Bounds | None:
    """The :class:`Bounds` declared on ``model.field`` (for forms and docs), if any."""
    info = model.model_fields[field]
    for item in _walk_metadata(info.annotation, info.metadata):
        if isinstance(item, Bounds):
            return item
    return None


def _walk_metadata(annotation: Any, metadata: list[Any]) -> Iterator[Any]:
    yield from metadata
    yield from getattr(annotation, "__metadata__", ())
    for arg in getattr(annotation, "__args__", ()):
        yield from _walk_metadata(arg, [])


def _number(value: object) -> int | float:
    # bool is an int subclass and JSON true must not pass as 1; NaN/inf are not JSON.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _custom("number_type", "must be a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise _custom("number_type", "must be a finite number")
    return value


Number = Annotated[int | float, PlainValidator(_number)]
"""A JSON number kept as given: ``1`` stays an int and ``1.0`` a float, so round trips are exact."""


def is_http_url(value: str) -> bool:
    """True for an absolute ``http://`` or ``https://`` URL with a host and no spaces."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https") and bool(parts.hostname) and not re.search(r"\s", value)
    )


def _http_url(value: str) -> str:
    if not is_http_url(value):
        raise _custom("url", "must be an absolute http:// or https:// URL")
    return value


HttpUrl = Annotated[str, AfterValidator(_http_url)]
"""An absolute http(s) URL (webhooks and audio files must be reachable by Vonage)."""


def _not_a_string(value: object) -> object:
    # The most common NCCO mistake: "eventUrl": "https://..." instead of a one-item array.
    if isinstance(value, str):
        raise _custom("url_list", "must be an array of URLs, even for one URL")
    return value


def _url_or_urls(value: object) -> str | list[str]:
    # The docs type connect's ringbackTone as one URL, the Python SDK as a list: keep either
    # as given [api-notes §5.4].
    if isinstance(value, str) and is_http_url(value):
        return value
    if (
        isinstance(value, list)
        and value
        and all(isinstance(v, str) and is_http_url(v) for v in value)
    ):
        return value
    raise _custom("url", "must be an absolute http(s) URL or an array of them")


UrlOrUrls = Annotated[str | list[str], PlainValidator(_url_or_urls)]
"""One URL or an array of URLs, kept in the form given."""

UrlList = Annotated[
    list[HttpUrl],
    BeforeValidator(_not_a_string),
    ItemCount(1, None, "must hold at least one URL"),
]
"""``eventUrl`` and friends: always a JSON array of absolute http(s) URLs [api-notes §5.1]."""


def _non_empty(value: str) -> str:
    if not value.strip():
        raise _custom("empty", "must not be empty")
    return value


NonEmptyStr = Annotated[str, AfterValidator(_non_empty)]
"""A required name or identifier: blank strings are reported."""

LanguageTag = Annotated[
    str,
    Matches(
        r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*",
        "must be a BCP-47 language tag such as en-US or en-GB",
    ),
]
"""A BCP-47 language code (TTS and speech recognition languages) [api-notes §5.6]."""

EventMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
"""``eventMethod``: default POST [api-notes §5.1]. Only GET and POST are documented
[api-notes §5.1]; the SDK sends any method, so other HTTP methods only draw a warning."""

DOCUMENTED_METHODS = ("GET", "POST")


def method_warning(method: str | None, path: str) -> list[FieldError]:
    """Warn about an eventMethod other than the documented GET and POST."""
    if method is None or method in DOCUMENTED_METHODS:
        return []
    return [FieldError(path, f"{method} is not documented for NCCO webhooks; use GET or POST")]
