"""The base every API model shares: wire names, strict JSON types, lossless extras.

Private to ``vonage_widgets.models``. Three jobs:

- :class:`WireModel` and :class:`OptionalWireModel` (for models whose fields are all
  optional), pydantic bases with the rules every API body follows here: strict types (JSON
  ``true`` is not ``1``, ``"5"`` is not ``5``), unknown fields kept verbatim, and ``null`` on
  a known field read as "absent" (the API has no use for an explicit null, and treating it
  as absent keeps ``to_api()`` free of ``None``). Validators are built on first use
  (:func:`built`).
- Field markers (:class:`ApiDefault`, :class:`Unit`) that record, once, what the API assumes
  when a field is absent and what unit a number is in. The catalog and error messages read
  them; nothing else retypes them.
- :func:`field_bounds` / :func:`literal_choices`: read a field's limits back from its
  pydantic metadata, so limits are typed in exactly one place (the field constraint).
"""

# No ``from __future__ import annotations``: see ``vonage_widgets.models`` (import time).

import threading
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import (
    Annotated,
    Any,
    ClassVar,
    Literal,
    NoReturn,
    TypeVar,
    Union,
    get_args,
    get_origin,
)

import annotated_types
from pydantic import BaseModel, ConfigDict, SecretStr, model_validator
from pydantic.fields import FieldInfo

M = TypeVar("M", bound=BaseModel)

__all__ = [
    "ApiDefault",
    "OptionalWireModel",
    "Unit",
    "WireModel",
    "api_default",
    "built",
    "compact",
    "drop_known_nulls",
    "field_bounds",
    "field_unit",
    "literal_choices",
    "member_types",
    "model_in",
    "plain_json",
    "wire_name",
]


@dataclass(frozen=True, slots=True)
class ApiDefault:
    """Field marker: the value Vonage uses when the field is absent (never filled in on output)."""

    value: Any


@dataclass(frozen=True, slots=True)
class Unit:
    """Field marker: the unit a number is counted in, named in error messages and the catalog."""

    name: str


def _mask_secret_fields(value: Any) -> Any:
    """``value`` with every string under a key naming a secret shown as ``'***'``.

    Unknown capabilities are kept as plain JSON, and some carry secrets (video webhooks have
    a ``secret``); reprs must not show them. Only reprs use this: bodies stay verbatim.
    """
    if isinstance(value, dict):
        return {
            key: "***"
            if isinstance(item, str) and "secret" in str(key).lower()
            else _mask_secret_fields(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_mask_secret_fields(item) for item in value]
    return value


class _WireBase(BaseModel):
    """What every API body shares: config, wire-name bookkeeping, output (see ``WireModel``)."""

    def __repr_args__(self) -> Any:
        for name, value in super().__repr_args__():
            yield name, _mask_secret_fields(value)

    model_config = ConfigDict(
        strict=True,  # JSON types as JSON means them: true is not 1, "5" is not 5
        extra="allow",  # unknown fields kept: the official SDK drops them, we must not
        # Python code may use field names (``links=``); bodies are read by wire name only
        # (``validate_model`` passes ``by_name=False``), so an unknown key that happens to
        # equal a Python name (``links``) stays an unknown key instead of filling ``_links``.
        validate_by_name=True,
        validate_by_alias=True,
        hide_input_in_errors=True,  # a rejected value may be a secret: never echo it
        revalidate_instances="never",
        # Validators are built on first use, not at import: most of ``import
        # vonage_widgets.models`` was pydantic building validators (and loading its schema
        # machinery) for models a session may never use. First use pays for the one model
        # it needs (~40 ms for an application, the nested models included); see built().
        defer_build=True,
    )

    _wire_names: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._wire_names = frozenset(wire_name(n, f) for n, f in cls.model_fields.items())

    def to_wire(self, *, include_private: bool = False) -> dict[str, Any]:
        """This model as a JSON-ready dict with wire names (the rule: see :class:`WireModel`).

        Fields marked ``exclude=True`` (private keys) appear only with ``include_private``.
        """
        out: dict[str, Any] = {}
        fields_set = self.model_fields_set
        for name, info in type(self).model_fields.items():
            if info.exclude and not include_private:
                continue
            value = getattr(self, name)
            if value is None:
                continue
            if name not in fields_set and value == info.get_default(call_default_factory=True):
                continue
            out[wire_name(name, info)] = _to_json(value, include_private)
        for key, value in (self.__pydantic_extra__ or {}).items():
            out[key] = plain_json(value)
        return out

    # Kept models (``compact``) share their field-name set and empty extras with others:
    # unshare them before pydantic changes either in place.
    def __setattr__(self, name: str, value: Any) -> None:
        _unshare(self)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        _unshare(self)
        super().__delattr__(name)

    def effective(self, name: str) -> Any:
        """The value Vonage works with: the field's value, or the API default when absent."""
        value = getattr(self, name)
        return api_default(type(self).model_fields[name]) if value is None else value


class _SharedNames(set[str]):
    """A model's set of given field names, shared by every kept model that gave the same.

    pydantic keeps one ``set`` per model instance (216 bytes at least, 728 from 5 names):
    a third of what a listed application weighs. Read-only, so one model cannot change
    another's; a copy (``model_copy``, ``copy``, pickling) is a plain set again.
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a shared set of field names is read-only (unshare the model first)")

    add = discard = remove = pop = clear = update = _read_only
    difference_update = intersection_update = symmetric_difference_update = _read_only
    __ior__ = __iand__ = __isub__ = __ixor__ = _read_only

    def __copy__(self) -> set[str]:
        return set(self)

    def __deepcopy__(self, memo: Any) -> set[str]:
        return set(self)

    def __reduce__(self) -> tuple[type[set[str]], tuple[list[str]]]:
        return set, (list(self),)


class _NoExtras(dict[str, Any]):
    """The empty ``__pydantic_extra__`` every kept model without unknown fields shares (an
    empty dict is 64 bytes per model). Read-only; copies are plain dicts."""

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("shared empty extras are read-only (unshare the model first)")

    __setitem__ = __delitem__ = __ior__ = _read_only
    update = pop = popitem = setdefault = clear = _read_only

    def __copy__(self) -> dict[str, Any]:
        return {}

    def __deepcopy__(self, memo: Any) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[()]]:
        return dict, ()


_NO_EXTRAS = _NoExtras()
_SHARED_NAMES: dict[frozenset[str], _SharedNames] = {}
_MAX_SHARED_NAMES = 4096  # distinct name sets kept; real bodies have a few dozen


def _unshare(model: "_WireBase") -> None:
    names = model.__pydantic_fields_set__
    if type(names) is _SharedNames:
        object.__setattr__(model, "__pydantic_fields_set__", set(names))
    if model.__pydantic_extra__ is _NO_EXTRAS:
        object.__setattr__(model, "__pydantic_extra__", {})


def compact(model: M) -> M:
    """``model`` (and every model inside it), made lighter to keep: returns ``model``.

    Each model's set of given field names becomes one shared read-only set per distinct
    set, and an empty ``__pydantic_extra__`` the one shared empty mapping. No field,
    unknown field or validation is dropped: the model reads, compares, dumps, copies and
    pickles as before, and unshares itself before a field is set or deleted. About 40% of
    an application kept in a list (``ApplicationsApi.list_all``).
    """
    shared_names, no_extras, set_slot = _SHARED_NAMES, _NO_EXTRAS, object.__setattr__
    stack: list[Any] = [model]
    while stack:
        item = stack.pop()
        if not isinstance(item, _WireBase):
            continue  # only our models know to unshare before a change
        names = item.__pydantic_fields_set__
        if type(names) is set:
            key = frozenset(names)
            shared = shared_names.get(key)
            if shared is None and len(shared_names) < _MAX_SHARED_NAMES:
                shared = shared_names.setdefault(key, _SharedNames(names))
            if shared is not None:
                set_slot(item, "__pydantic_fields_set__", shared)
        if item.__pydantic_extra__ == {} and type(item.__pydantic_extra__) is dict:
            set_slot(item, "__pydantic_extra__", no_extras)
        for value in item.__dict__.values():
            if value is None or type(value) is str:
                continue  # most fields: skip the class checks
            if type(value) is list:
                stack.extend(value)
            else:
                stack.append(value)  # dropped above unless it is one of our models
    return model


_BUILD_LOCK = threading.Lock()


def built(model: type[M]) -> type[M]:
    """``model`` with its validator built: the first use of a deferred model, done once.

    Under a lock because the first uses often come at once from several threads (the client
    parses list pages on worker threads, the sandbox serves requests on a thread pool), and
    older pydantic 2 releases could validate with the parent class's validator while another
    thread was still building the model's own (pydantic#11849).
    """
    if not model.__pydantic_complete__:
        with _BUILD_LOCK:
            if not model.__pydantic_complete__:
                model.model_rebuild()
    return model


def drop_known_nulls(model: type[_WireBase], data: Any) -> Any:
    """``data`` without the ``null`` values of ``model``'s known fields (extras keep theirs)."""
    # ``type(...) is dict`` first: JSON gives dicts, and the ABC check costs more than the rest.
    if (type(data) is not dict and not isinstance(data, Mapping)) or None not in data.values():
        return data  # the usual case: no null at all, nothing to look up
    names = model._wire_names
    if any(data[k] is None for k in names.intersection(data)):
        return {k: v for k, v in data.items() if v is not None or k not in names}
    return data


class WireModel(_WireBase):
    """Base for API bodies: wire names as field names, strict JSON types, extras kept verbatim.

    An explicit ``null`` on a known field reads as "absent": a before-validator drops it, so a
    required field reports "is required" and a defaulted one takes its default. Models whose
    fields all accept ``None`` derive from :class:`OptionalWireModel` instead, which needs no
    such pass.

    Output rule (``to_wire``): a known field is written when it holds a value (not ``None``)
    and was given or changed; API defaults are never invented, so a body read and written
    back is the same body. Unknown fields follow, unchanged.
    """

    @model_validator(mode="before")
    @classmethod
    def _null_means_absent(cls, data: Any) -> Any:
        return drop_known_nulls(cls, data)


class OptionalWireModel(_WireBase):
    """The base for API bodies whose known fields all accept ``None`` (every field optional).

    Everything as :class:`WireModel`, but ``null`` needs no before-validator: pydantic reads
    it as ``None``, which is never written, so the body reads and writes the same. Skipping that
    Python call matters: most of an application's nested objects are of this kind, and a
    listing reads thousands of them. A field that refuses ``None`` is a TypeError at class
    definition, so a model cannot silently lose the "null means absent" rule.
    """

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        refusing = [n for n, f in cls.model_fields.items() if not _accepts_none(f.annotation)]
        if refusing:
            raise TypeError(f"{cls.__name__}: fields {refusing} refuse null; use WireModel")


def _accepts_none(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _accepts_none(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return type(None) in get_args(annotation)
    return annotation is Any or annotation is type(None)


def _to_json(value: Any, include_private: bool) -> Any:
    if isinstance(value, _WireBase):
        return value.to_wire(include_private=include_private)
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list | tuple):
        return [_to_json(v, include_private) for v in value]
    if isinstance(value, Mapping):
        return {k: _to_json(v, include_private) for k, v in value.items()}
    return value


def plain_json(value: Any) -> Any:
    """A deep copy of a JSON value, so output never shares lists or dicts with the model."""
    if isinstance(value, Mapping):
        return {k: plain_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(v) for v in value]
    return value


def wire_name(name: str, info: FieldInfo) -> str:
    """The name a field has on the wire (its alias, or its own name)."""
    alias = info.serialization_alias or info.alias
    return alias if isinstance(alias, str) else name


def field_bounds(info: FieldInfo) -> tuple[int | None, int | None]:
    """A number field's inclusive (minimum, maximum), read from its pydantic constraints."""
    low: int | None = None
    high: int | None = None
    for item in info.metadata:
        if isinstance(item, annotated_types.Ge):
            low = typing.cast(int, item.ge)
        elif isinstance(item, annotated_types.Gt):
            low = typing.cast(int, item.gt) + 1
        elif isinstance(item, annotated_types.Le):
            high = typing.cast(int, item.le)
        elif isinstance(item, annotated_types.Lt):
            high = typing.cast(int, item.lt) - 1
        elif isinstance(item, annotated_types.Interval):
            low = typing.cast("int | None", item.ge)
            high = typing.cast("int | None", item.le)
    return low, high


def field_unit(info: FieldInfo) -> str | None:
    """The unit a number field is counted in, if the model says."""
    return next((m.name for m in info.metadata if isinstance(m, Unit)), None)


def api_default(info: FieldInfo) -> Any:
    """What Vonage assumes when the field is absent (``None`` when nothing is documented)."""
    return next((m.value for m in info.metadata if isinstance(m, ApiDefault)), None)


def member_types(annotation: Any) -> list[Any]:
    """The member types of an annotation, with ``Annotated``, ``None`` and unions peeled off."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return member_types(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [t for a in get_args(annotation) if a is not type(None) for t in member_types(a)]
    return [annotation]


def literal_choices(annotation: Any) -> tuple[str, ...]:
    """The allowed values of a ``Literal`` field (empty when the field is not an enum)."""
    choices: list[str] = []
    for member in member_types(annotation):
        if get_origin(member) is Literal:
            choices.extend(str(v) for v in get_args(member))
    return tuple(choices)


def model_in(annotation: Any) -> type[BaseModel] | None:
    """The model class a field holds, directly or as list items; ``None`` for plain values."""
    for member in member_types(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            return member
        if get_origin(member) in (list, tuple):
            inner = model_in(get_args(member)[0]) if get_args(member) else None
            if inner is not None:
                return inner
    return None
