"""What each capability offers, read from the models: for forms, tables and the sandbox.

Nothing here types a limit, enum or default: every number and choice below is read by
introspecting the pydantic models in :mod:`vonage_widgets.models.application` (field
constraints, ``Literal`` choices, ``ApiDefault`` markers, field titles and descriptions). Change
a model and the catalog follows. ``CAPABILITIES`` lists the capabilities the package models, in
the order a form shows them; ``EXTRA_CAPABILITIES`` describes video, meetings and network_apis,
which the models check against the spec but keep as JSON. Other unknown capabilities are kept
by the models and not described here.

``EXTRA_CAPABILITIES`` is built on first use (module ``__getattr__``, PEP 562): it is the only
thing here that needs the extra capabilities' models, and neither the form nor the tables
read it, so importing the catalog does not load them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models._wire import (
    api_default,
    field_bounds,
    field_unit,
    literal_choices,
    member_types,
    model_in,
)
from vonage_widgets.models.application import Capabilities, Privacy

__all__ = [
    "CAPABILITIES",
    "EXTRA_CAPABILITIES",
    "PRIVACY_SETTINGS",
    "CapabilitySpec",
    "Range",
    "SettingKind",
    "SettingSpec",
    "WebhookSpec",
    "capability",
    "capability_names",
    "webhook_spec",
]

SettingKind = Literal["bool", "int", "enum", "str"]
"""How a form shows a setting: a checkbox, a number box, a dropdown or a text box."""


@dataclass(frozen=True, slots=True)
class Range:
    """An inclusive range of whole numbers and the API's default when the field is absent."""

    minimum: int
    maximum: int
    default: int | None
    unit: str | None = None

    def __contains__(self, value: object) -> bool:
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and self.minimum <= value <= self.maximum
        )


@dataclass(frozen=True, slots=True)
class WebhookSpec:
    """One webhook of a capability: allowed methods, default method, timeout ranges."""

    name: str
    description: str
    methods: tuple[str, ...]
    default_method: str | None
    connect_timeout: Range | None
    socket_timeout: Range | None
    title: str = ""
    model: type[BaseModel] = BaseModel


@dataclass(frozen=True, slots=True)
class SettingSpec:
    """One non-webhook setting of a capability (or of ``privacy``)."""

    name: str
    kind: SettingKind
    choices: tuple[str, ...]
    minimum: int | None
    maximum: int | None
    default: Any
    description: str
    title: str = ""
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class CapabilitySpec:
    """One capability: what it is for, its webhooks and its settings."""

    name: str
    title: str
    description: str
    webhooks: tuple[WebhookSpec, ...]
    settings: tuple[SettingSpec, ...]
    model: type[BaseModel] = BaseModel

    def webhook(self, name: str) -> WebhookSpec:
        """The webhook called ``name``; raises ValidationError naming the ones that exist."""
        for spec in self.webhooks:
            if spec.name == name:
                return spec
        known = ", ".join(w.name for w in self.webhooks) or "none"
        raise ValidationError(
            [
                FieldError(
                    f"capabilities.{self.name}.webhooks.{name}",
                    f"is not a webhook of {self.name}; its webhooks: {known}",
                )
            ],
            subject="webhook name",
        )

    def setting(self, name: str) -> SettingSpec:
        """The setting called ``name``; raises ValidationError naming the ones that exist."""
        for spec in self.settings:
            if spec.name == name:
                return spec
        known = ", ".join(s.name for s in self.settings) or "none"
        raise ValidationError(
            [
                FieldError(
                    f"capabilities.{self.name}.{name}",
                    f"is not a setting of {self.name}; its settings: {known}",
                )
            ],
            subject="setting name",
        )


def _range(info: FieldInfo) -> Range | None:
    low, high = field_bounds(info)
    if low is None or high is None:
        return None
    return Range(low, high, api_default(info), field_unit(info))


def _kind(info: FieldInfo, choices: tuple[str, ...]) -> SettingKind:
    if choices:
        return "enum"
    members = member_types(info.annotation)
    if bool in members:
        return "bool"
    if int in members:
        return "int"
    return "str"


def _setting(name: str, info: FieldInfo) -> SettingSpec:
    choices = literal_choices(info.annotation)
    low, high = field_bounds(info)
    return SettingSpec(
        name=name,
        kind=_kind(info, choices),
        choices=choices,
        minimum=low,
        maximum=high,
        default=api_default(info),
        description=info.description or "",
        title=info.title or name,
        unit=field_unit(info),
    )


def _webhook(name: str, info: FieldInfo) -> WebhookSpec:
    model = model_in(info.annotation)
    # Every webhook field holds a model; anything else is a bug in the models. The modelled
    # capabilities' webhooks are Webhook subclasses; the extra ones (video: address and
    # active, no method) have only what the spec gives them.
    assert model is not None, name
    fields = model.model_fields
    method = fields.get("http_method")
    connect, socket = fields.get("connect_timeout"), fields.get("socket_timeout")
    return WebhookSpec(
        name=name,
        description=info.description or "",
        methods=literal_choices(method.annotation) if method is not None else (),
        default_method=api_default(method) if method is not None else None,
        connect_timeout=_range(connect) if connect is not None else None,
        socket_timeout=_range(socket) if socket is not None else None,
        title=info.title or name,
        model=model,
    )


def _settings(model: type[BaseModel], prefix: str = "") -> Iterator[SettingSpec]:
    """The settings of ``model``; a nested object's (video ``storage``) by dotted name."""
    for name, info in model.model_fields.items():
        if not prefix and name == "webhooks":
            continue
        nested = model_in(info.annotation)
        if nested is None:
            yield _setting(prefix + name, info)
        else:
            yield from _settings(nested, f"{prefix}{name}.")


def _capability(name: str, info: FieldInfo) -> CapabilitySpec:
    model = model_in(info.annotation)
    assert model is not None, name  # every Capabilities field holds a model
    webhooks: tuple[WebhookSpec, ...] = ()
    hooks_field = model.model_fields.get("webhooks")
    if hooks_field is not None:
        container = model_in(hooks_field.annotation)
        assert container is not None, name
        webhooks = tuple(_webhook(n, f) for n, f in container.model_fields.items())
    settings = tuple(_settings(model))
    return CapabilitySpec(
        name=name,
        title=info.title or name,
        description=info.description or "",
        webhooks=webhooks,
        settings=settings,
        model=model,
    )


CAPABILITIES: tuple[CapabilitySpec, ...] = tuple(
    _capability(n, f) for n, f in Capabilities.model_fields.items()
)
"""Every modelled capability, in the models' order (voice, messages, rtc, verify, vbc)."""

EXTRA_CAPABILITIES: tuple[CapabilitySpec, ...]  # built on first use: see __getattr__
"""video, meetings and network_apis: checked against the spec, kept as JSON by the models.

Separate from :data:`CAPABILITIES` on purpose: the form shows a section and the tables a
column per entry of ``CAPABILITIES``, and neither can edit or lay out these yet (video's
settings are nested, its webhooks have no method). Read them here for documentation and
checks; :func:`capability` looks up ``CAPABILITIES`` only.
"""

_EXTRA_LOCK = threading.Lock()  # threads reading it first at once all get the same tuple

PRIVACY_SETTINGS: tuple[SettingSpec, ...] = tuple(
    _setting(n, f) for n, f in Privacy.model_fields.items()
)
"""The ``privacy`` object's settings (``improve_ai``)."""

_BY_NAME = {spec.name: spec for spec in CAPABILITIES}


def capability_names() -> tuple[str, ...]:
    """The names of the modelled capabilities, in catalog order."""
    return tuple(_BY_NAME)


def capability(name: str) -> CapabilitySpec:
    """The catalog entry for one capability; raises ValidationError for an unknown name."""
    spec = _BY_NAME.get(name)
    if spec is None:
        raise ValidationError(
            [
                FieldError(
                    f"capabilities.{name}",
                    "is not a capability this package describes; known: " + ", ".join(_BY_NAME),
                )
            ],
            subject="capability name",
        )
    return spec


def webhook_spec(capability_name: str, webhook: str) -> WebhookSpec:
    """The catalog entry for one webhook, e.g. ``webhook_spec("voice", "answer_url")``."""
    return capability(capability_name).webhook(webhook)


if not TYPE_CHECKING:  # hidden from type checkers, which then still flag a misspelt name

    def __getattr__(name: str) -> Any:
        """Build :data:`EXTRA_CAPABILITIES` on first use (loading its models), then keep it."""
        if name != "EXTRA_CAPABILITIES":
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        with _EXTRA_LOCK:
            if name not in globals():
                from vonage_widgets.models.extra_capabilities import ExtraCapabilities

                fields = ExtraCapabilities.model_fields
                globals()[name] = tuple(_capability(n, f) for n, f in fields.items())
        return globals()[name]
