"""Turn whatever the user's code returns into NCCO JSON, and say what is wrong with it.

An NCCO may be given as a list of action dicts, a list of action models, or an ``Ncco``
builder; the server always answers plain JSON, and (with ``validate=True``) checks it with
the same :func:`vonage_widgets.models.validate_ncco` the builder and the sandbox use, so the
server, the widgets and the simulator never disagree on what a valid NCCO is.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models.ncco import validate_ncco

__all__ = ["ncco_problems", "to_wire"]


def to_wire(ncco: Any) -> Any:
    """A fresh JSON value (never shared with the caller's objects) for an NCCO in any form.

    Raises ``TypeError``/``ValueError`` for something that cannot be serialised as JSON.
    """
    return json.loads(json.dumps(_plain(ncco)))


def _plain(value: Any) -> Any:
    for method in ("to_wire", "to_list"):  # our models and the Ncco builder
        convert = getattr(value, method, None)
        if callable(convert):
            return _plain(convert())
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def ncco_problems(ncco: Any) -> list[FieldError]:
    """Every broken NCCO rule, with paths like ``1.eventUrl``; empty when the NCCO is valid."""
    try:
        result = validate_ncco(ncco)
    except ValidationError as exc:
        return list(exc.errors)
    if isinstance(result, list) and all(isinstance(item, FieldError) for item in result):
        return result
    return []
