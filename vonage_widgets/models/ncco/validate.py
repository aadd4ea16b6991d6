"""Whole-NCCO validation: every broken rule, with the dotted path of the field that breaks it.

One function (:func:`check_ncco`) serves the parser, the builder, the sandbox and the editor,
so they always agree. It looks at three levels:

1. the document: a non-empty JSON array within the size limits of ``limits``;
2. each action: an object with a known ``action``, field types/ranges/enums (from the
   models), cross-field rules (``rule_errors``), and unknown keys (kept by the parser, but
   reported here so typos like ``bargein`` surface);
3. the sequence: the bargeIn rule, and actions after a ``transfer`` (unreachable: a warning).

Errors break a documented rule. Warnings are allowed but probably unintended (a clamped
``wait``, a deprecated key, an unreachable action).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pydantic
from pydantic_core import ErrorDetails

from vonage_widgets._json import lone_surrogate_errors
from vonage_widgets.errors import FieldError
from vonage_widgets.models._wire import built
from vonage_widgets.models.ncco.actions import ACTIONS
from vonage_widgets.models.ncco.base import WIRE_CONTEXT, Action
from vonage_widgets.models.ncco.endpoints import ENDPOINT_TYPES
from vonage_widgets.models.ncco.limits import MAX_NCCO_ACTIONS, MAX_NCCO_BYTES

__all__ = [
    "MAX_NCCO_ACTIONS",
    "MAX_NCCO_BYTES",
    "NccoCheck",
    "check_ncco",
    "translate_error",
    "validate_ncco",
]

BARGE_IN_ACTIONS = ("talk", "stream")


@dataclass(slots=True)
class NccoCheck:
    """The outcome of checking one NCCO.

    ``actions`` has one entry per item: the typed action, or ``None`` where the item could not
    be typed (not an object, unknown action, wrong field types). ``errors`` break rules;
    ``warnings`` do not stop the NCCO but deserve a look.
    """

    actions: list[Action | None] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    warnings: list[FieldError] = field(default_factory=list)
    typed: bool = True
    """False when the document or some action could not be turned into typed models."""

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors


def validate_ncco(data: object) -> list[FieldError]:
    """Every rule ``data`` (any JSON value) breaks as an NCCO; empty when it is valid."""
    return check_ncco(data).errors


def check_ncco(data: object) -> NccoCheck:
    """Check ``data`` (any JSON value) as an NCCO: typed actions, errors and warnings."""
    result = NccoCheck()
    if not isinstance(data, list):
        hint = " (wrap a single action in [ ])" if isinstance(data, dict) else ""
        result.errors.append(FieldError("", f"must be a JSON array of actions{hint}"))
        result.typed = False
        return result
    if not data:
        result.errors.append(FieldError("", "must hold at least one action"))
    _check_size(data, result)
    for index, item in enumerate(data):
        result.actions.append(_check_action(index, item, result))
    _check_barge_in(data, result)
    _check_after_transfer(data, result)
    # A key or action name with a lone surrogate ends up in paths and messages: escape it
    # there, so the errors can be printed, logged and sent as JSON.
    result.errors = [_printable(e) for e in result.errors]
    result.warnings = [_printable(e) for e in result.warnings]
    return result


def _check_size(data: list[Any], result: NccoCheck) -> None:
    if len(data) > MAX_NCCO_ACTIONS:
        result.errors.append(
            FieldError("", f"must hold at most {MAX_NCCO_ACTIONS} actions (it has {len(data)})")
        )
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        result.errors.append(
            FieldError("", "must contain only JSON values (objects, arrays, strings, numbers)")
        )
        return
    except RecursionError:
        result.errors.append(FieldError("", "is nested too deeply to be encoded as JSON"))
        return
    # A lone surrogate ("\ud800") is a valid Python str but no Unicode text: it cannot be
    # sent as UTF-8. Counted as 3 bytes, like Python's surrogatepass, for the size rule.
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_NCCO_BYTES:
        result.errors.append(
            FieldError("", f"must be at most {MAX_NCCO_BYTES} bytes of JSON (it has {size})")
        )
    if not text.isascii():
        result.errors += lone_surrogate_errors(data)


def _printable(error: FieldError) -> FieldError:
    if error.path.isascii() and error.message.isascii():
        return error  # the common case: nothing to escape
    path = error.path.encode("utf-8", "backslashreplace").decode("utf-8")
    message = error.message.encode("utf-8", "backslashreplace").decode("utf-8")
    return FieldError(path, message)


def _check_action(index: int, item: object, result: NccoCheck) -> Action | None:
    where = str(index)
    if not isinstance(item, dict):
        result.errors.append(FieldError(where, "must be an object with an 'action' key"))
        result.typed = False
        return None
    name = item.get("action")
    cls = ACTIONS.get(name) if isinstance(name, str) else None
    if cls is None:
        result.errors.append(FieldError(f"{where}.action", _unknown_action_message(name)))
        result.typed = False
        return None
    try:
        action = built(cls).model_validate(item, context=WIRE_CONTEXT)
    except pydantic.ValidationError as exc:
        result.errors += [translate_error(where, error) for error in exc.errors()]
        result.errors += _top_level_unknown_keys(where, cls, item)
        result.typed = False
        return None
    result.errors += action.unknown_keys(where)
    result.errors += [FieldError(f"{where}.{e.path}", e.message) for e in action.rule_errors()]
    result.warnings += [FieldError(f"{where}.{e.path}", e.message) for e in action.rule_warnings()]
    return action


def _unknown_action_message(name: object) -> str:
    known = ", ".join(ACTIONS)
    if name is None:
        return f"is required: one of {known}"
    if not isinstance(name, str):
        return f"must be a string naming the action: one of {known}"
    import difflib  # only error hints need it: loaded on the first unknown action

    close = difflib.get_close_matches(name.lower(), list(ACTIONS), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"'{name}' is not a known action (known: {known}){hint}"


def _top_level_unknown_keys(
    where: str, cls: type[Action], item: dict[str, Any]
) -> list[FieldError]:
    known = set(cls.wire_keys())
    return [cls.unknown_key(where, str(key)) for key in item if key not in known]


_TYPE_MESSAGES = {
    "missing": "is required",
    "string_type": "must be a string",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be an array",
    "dict_type": "must be an object",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
}


def translate_error(where: str, error: ErrorDetails) -> FieldError:
    """A pydantic error as a FieldError with the wire path and a plain message."""
    loc = _wire_loc(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "literal_error":
        message = f"must be one of {ctx.get('expected', '')}"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        loc = (*loc, "type")
        message = f"must be one of {', '.join(ENDPOINT_TYPES)}"
        if kind == "union_tag_not_found":
            message = f"is required: one of {', '.join(ENDPOINT_TYPES)}"
    else:
        message = _TYPE_MESSAGES.get(kind, error["msg"])
        if kind.endswith("_type") and error.get("input", "") is None:
            message += ", not null"
    return FieldError(".".join([where, *map(str, loc)]), message)


def _wire_loc(loc: Sequence[int | str]) -> tuple[int | str, ...]:
    # A tagged union puts the tag in the location ("endpoint.0.phone.number"): drop it.
    out: list[int | str] = []
    for i, part in enumerate(loc):
        if part in ENDPOINT_TYPES and i >= 1 and isinstance(loc[i - 1], int):
            continue
        out.append(part)
    return tuple(out)


def _check_barge_in(data: list[Any], result: NccoCheck) -> None:
    """bargeIn: after talk/stream actions with bargeIn true, the next other action is an input.

    Once one talk or stream has ``bargeIn: true`` the rule holds until an input is reached,
    whatever later talk/stream actions say [api-notes §5.1].
    """
    pending: int | None = None
    for index, item in enumerate(data):
        name = item.get("action") if isinstance(item, dict) else None
        if name in BARGE_IN_ACTIONS:
            if pending is None and isinstance(item, dict) and item.get("bargeIn") is True:
                pending = index
            continue
        if pending is not None and name != "input":
            result.errors.append(
                FieldError(
                    f"{pending}.bargeIn",
                    "is true, so the next action after the talk/stream actions must be an "
                    f"input, but action {index} is {name!r}",
                )
            )
        pending = None
    if pending is not None:
        result.errors.append(
            FieldError(
                f"{pending}.bargeIn",
                "is true, so an input action must follow the talk/stream actions, "
                "but the NCCO ends without one",
            )
        )


def _check_after_transfer(data: list[Any], result: NccoCheck) -> None:
    """Transfer is terminal: later actions never run [api-notes §5.11]."""
    for index, item in enumerate(data):
        if isinstance(item, dict) and item.get("action") == "transfer":
            if index + 1 < len(data):
                result.warnings.append(
                    FieldError(
                        str(index + 1),
                        f"is unreachable: the transfer at action {index} ends this NCCO",
                    )
                )
            return
