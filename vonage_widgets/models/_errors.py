"""Turn pydantic's error list into :class:`FieldError` items a person can act on.

Private to ``vonage_widgets.models``. Each pydantic error becomes one ``FieldError`` whose
path is the dotted wire-name path (``capabilities.voice.webhooks.answer_url.socket_timeout``)
and whose message names the rule in plain words ("must be between 1000 and 5000
(milliseconds)"). Limits in messages are read from the model's own field constraints, so a
message can never disagree with the check. Pydantic's links to its docs never leak through.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models._wire import (
    built,
    field_bounds,
    field_unit,
    literal_choices,
    model_in,
    wire_name,
)

__all__ = ["NOT_AN_OBJECT", "combined_error", "field_errors", "validate_model"]

M = TypeVar("M", bound=BaseModel)

NOT_AN_OBJECT = "must be a JSON object"

# Rules whose wording does not depend on the field.
_PLAIN_MESSAGES: dict[str, str] = {
    "missing": "is required",
    "model_type": NOT_AN_OBJECT,
    "model_attributes_type": NOT_AN_OBJECT,
    "dict_type": NOT_AN_OBJECT,
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "string_too_short": "must not be empty",
}
_RANGE_TYPES = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


@lru_cache(maxsize=1024)
def _field_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> FieldInfo | None:
    """The field a pydantic ``loc`` points at, walking the model tree by wire names."""
    model: type[BaseModel] | None = root
    info: FieldInfo | None = None
    for part in loc:
        if isinstance(part, int):  # a list index: stay on the item model
            continue
        if model is None:
            return None
        info = next(
            (f for n, f in model.model_fields.items() if part in (n, wire_name(n, f))), None
        )
        if info is None:  # an unknown key, unless the model checks it with another model
            checked = getattr(model, "_checked_extras", None)
            info = checked().model_fields.get(str(part)) if checked is not None else None
        if info is None:
            return None
        model = model_in(info.annotation)
    return info


def _range_message(info: FieldInfo | None, error: Mapping[str, Any]) -> str:
    low, high = field_bounds(info) if info is not None else (None, None)
    if low is None and high is None:  # not a field we know: use pydantic's bound
        ctx = error.get("ctx", {})
        low = ctx.get("ge", ctx.get("gt"))
        high = ctx.get("le", ctx.get("lt"))
    unit = field_unit(info) if info is not None else None
    suffix = f" ({unit})" if unit else ""
    if low is not None and high is not None:
        return f"must be between {low} and {high}{suffix}"
    if low is not None:
        return f"must be at least {low}{suffix}"
    return f"must be at most {high}{suffix}"


def _choice_message(info: FieldInfo | None, field: str, error: Mapping[str, Any]) -> str:
    choices = literal_choices(info.annotation) if info is not None else ()
    if not choices:
        return f"must be {error.get('ctx', {}).get('expected', 'one of the allowed values')}"
    if len(choices) == 1 and field == "http_method":
        return f"must be {choices[0]}: this webhook only accepts {choices[0]}"
    if len(choices) == 1:
        return f"must be {choices[0]}"
    return "must be one of: " + ", ".join(choices)


def _message(error: Mapping[str, Any], info: FieldInfo | None, field: str) -> str:
    kind = error["type"]
    if kind in _PLAIN_MESSAGES:
        return _PLAIN_MESSAGES[kind]
    if kind in _RANGE_TYPES:
        return _range_message(info, error)
    if kind in ("literal_error", "enum"):
        return _choice_message(info, field, error)
    if kind == "string_too_long":
        return f"must be at most {error.get('ctx', {}).get('max_length')} characters"
    # Our own PydanticCustomError messages are already phrased as rules; anything else is
    # pydantic's wording ("Input should be ...") made to read like ours.
    text = str(error.get("msg", "is invalid"))
    return text[:1].lower() + text[1:]


def field_errors(
    exc: pydantic.ValidationError, root: type[BaseModel], prefix: Sequence[str | int] = ()
) -> list[FieldError]:
    """One FieldError per broken rule in ``exc``, in pydantic's order, duplicates dropped."""
    out: list[FieldError] = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = tuple(error["loc"])
        extra_field = (error.get("ctx") or {}).get("field")
        if isinstance(extra_field, str):  # a model-level check that blames one of its keys
            loc = (*loc, extra_field)
        info = _field_at(root, loc) if loc else None
        field = str(loc[-1]) if loc else ""
        path = ".".join(str(p) for p in (*prefix, *loc))
        item = FieldError(path, _message(error, info, field))
        if item not in out:
            out.append(item)
    return out


def combined_error(title: str, errors: Sequence[ErrorDetails]) -> pydantic.ValidationError:
    """One pydantic error holding ``errors`` (from several validations), for a validator to raise.

    Each keeps its type, message, context and location (pydantic prefixes the location of
    the model being validated), so :func:`field_errors` reads it like any other.
    """
    return pydantic.ValidationError.from_exception_data(
        title,
        [
            InitErrorDetails(
                type=PydanticCustomError(e["type"], e["msg"], e.get("ctx")),
                loc=e["loc"],
                input=e["input"],
            )
            for e in errors
        ],
        hide_input=True,
    )


def validate_model(model: type[M], data: object, *, subject: str) -> M:
    """Validate a JSON value as ``model``, raising our ValidationError listing every problem."""
    if not isinstance(data, Mapping):
        raise ValidationError([FieldError("", NOT_AN_OBJECT)], subject=subject)
    try:
        # Wire names only: an unknown key equal to a Python field name stays unknown.
        body = data if isinstance(data, dict) else dict(data)
        return built(model).model_validate(body, by_alias=True, by_name=False)
    except pydantic.ValidationError as exc:
        raise ValidationError(field_errors(exc, model), subject=subject) from None
