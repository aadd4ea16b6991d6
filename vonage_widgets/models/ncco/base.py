"""The wire-faithful base of every NCCO object, and of every action.

NCCO actions come from users' JSON and go back to Vonage as JSON, so every model keeps
exactly the keys it was given (unknown ones too, and in the same order) and emits nothing it
was not given: no defaults are added on the way out.
"""

# No ``from __future__ import annotations`` in a module of pydantic models: pydantic would
# evaluate every string annotation at import, again for each subclass (see ``models``).

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco.types import method_warning

__all__ = ["WIRE_CONTEXT", "Action", "NccoWireModel"]

WIRE_CONTEXT: dict[str, bool] = {"wire": True}
"""Validation context meaning "this dict is JSON from the wire": Python field names such as
``from_`` are then reported as unknown keys instead of being accepted silently."""


class NccoWireModel(BaseModel):
    """Base of every NCCO object: lossless, strict JSON types, wire names as field names.

    - Unknown keys are kept (``extra="allow"``) so nothing is lost; the validator reports them.
    - Types are strict: ``"45"`` is not a number and ``1`` is not ``true``.
    - Output holds exactly the keys that were given, in their original order.
    - Validators are built on first use, not at import (``defer_build``), as for the
      application models: building them was most of the cost of importing the NCCO models,
      which every widget and the sandbox import but a session may never use. The places that
      validate JSON, possibly from several threads at once, build through :func:`built`.
    """

    model_config = ConfigDict(strict=True, extra="allow", populate_by_name=True, defer_build=True)

    DISCRIMINATOR: ClassVar[str | None] = None
    """The key that names the kind (``action`` or ``type``): always emitted."""
    KEY_HINTS: ClassVar[dict[str, str]] = {}
    """Messages for specific unknown keys (old spellings, common mix-ups)."""
    KEY_RENAMES: ClassVar[dict[str, str]] = {}
    """Accepted old spellings and the key they are emitted as."""

    _wire_keys: tuple[str, ...] = PrivateAttr(default=())
    _python_names: tuple[str, ...] = PrivateAttr(default=())

    def model_post_init(self, context: Any, /) -> None:
        """Mark the discriminator as given, so built objects emit it too."""
        if self.DISCRIMINATOR is not None:
            self.__pydantic_fields_set__.add(self.DISCRIMINATOR)

    @model_validator(mode="wrap")
    @classmethod
    def _remember_keys(
        cls, data: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> Any:
        model = handler(data)
        if isinstance(data, dict) and isinstance(model, NccoWireModel):
            model._wire_keys = tuple(str(k) for k in data)
            if info.context and info.context.get("wire"):
                model._python_names = tuple(k for k in data if k in cls._python_only_names())
        return model

    @classmethod
    def _python_only_names(cls) -> frozenset[str]:
        return frozenset(
            name for name, f in cls.model_fields.items() if f.alias and f.alias != name
        )

    @classmethod
    def _alias_by_name(cls) -> dict[str, str]:
        return {name: f.alias for name, f in cls.model_fields.items() if f.alias}

    @classmethod
    def wire_keys(cls) -> tuple[str, ...]:
        """Every key this object understands on the wire (aliases, not Python names)."""
        return tuple(f.alias or name for name, f in cls.model_fields.items()) + tuple(
            cls.KEY_RENAMES
        )

    @model_serializer(mode="wrap")
    def _in_wire_order(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        out: dict[str, Any] = handler(self)
        renames = {**self._alias_by_name(), **self.KEY_RENAMES}
        order = [renames.get(k, k) for k in self._wire_keys]
        if self.DISCRIMINATOR is not None and self.DISCRIMINATOR not in order:
            order.insert(0, self.DISCRIMINATOR)  # built in Python: lead with the kind
        ordered = {k: out[k] for k in order if k in out}
        ordered.update((k, v) for k, v in out.items() if k not in ordered)
        return ordered

    WHAT: ClassVar[str] = "this object"
    """How messages name this object, e.g. ``the talk action``."""

    def unknown_keys(self, prefix: str = "") -> Iterator[FieldError]:
        """Every key, here and in nested objects, that this model does not know."""
        for key in [*(self.model_extra or {}), *self._python_names]:
            yield self.unknown_key(prefix, key)
        for name, info in type(self).model_fields.items():
            wire = info.alias or name
            value = getattr(self, name)
            if isinstance(value, NccoWireModel):
                yield from value.unknown_keys(_join(prefix, wire))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, NccoWireModel):
                        yield from item.unknown_keys(_join(prefix, f"{wire}.{i}"))

    @classmethod
    def unknown_key(cls, prefix: str, key: str) -> FieldError:
        """The error for one unknown ``key``, with a hint when a known key is close."""
        hint = cls.KEY_HINTS.get(key) or _did_you_mean(key, cls.wire_keys())
        return FieldError(_join(prefix, key), f"is not a key of {cls.WHAT}{hint}")

    def rule_errors(self) -> list[FieldError]:
        """Cross-field rules this object breaks (paths relative to the object)."""
        return []

    def rule_warnings(self) -> list[FieldError]:
        """Things that are allowed but probably not what was meant (relative paths)."""
        return []


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    lowered = {k.lower(): k for k in known}
    if key.lower() in lowered:
        return f"; did you mean '{lowered[key.lower()]}'? (keys are case-sensitive)"
    if key.rstrip("_") in known:
        return f"; did you mean '{key.rstrip('_')}'? (use the JSON name)"
    import difflib  # only error hints need it: loaded on the first unknown key

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


class Action(NccoWireModel):
    """Base of every NCCO action: metadata used by the validator and the call simulator."""

    DISCRIMINATOR: ClassVar[str | None] = "action"
    synchronous: ClassVar[bool] = True
    """Whether Vonage waits for this action to finish before the next one [api-notes §5.1]."""
    expects_ncco_reply: ClassVar[bool] = False
    """Whether the webhook this action calls may answer with an NCCO [api-notes §3.3]."""
    terminal: ClassVar[bool] = False
    """Whether no later action of this NCCO can run after it."""

    @property
    def kind(self) -> str:
        """The ``action`` value, e.g. ``"talk"``."""
        return str(getattr(self, "action"))  # noqa: B009  # declared by each subclass

    @property
    def is_synchronous(self) -> bool:
        """Whether this instance, with its options, blocks the next action."""
        return self.synchronous

    @property
    def awaits_ncco(self) -> bool:
        """Whether this instance's webhook reply may replace the rest of the NCCO."""
        return self.expects_ncco_reply

    def rule_warnings(self) -> list[FieldError]:
        """Non-documented eventMethod values, for actions that have one."""
        return method_warning(getattr(self, "eventMethod", None), "eventMethod")
