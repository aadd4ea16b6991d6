"""Turn whatever the user's code returns into NCCO JSON, and say what is wrong with it.

An NCCO may be given as a list of action dicts, a list of action models, or an ``Ncco``
builder; the server always answers plain JSON, and (with ``validate=True``) checks it with
the same :func:`vonage_widgets.models.ncco.validate_ncco` the builder and the sandbox use, so the
server, the widgets and the simulator never disagree on what a valid NCCO is.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco import Ncco, validate_ncco

__all__ = ["is_ncco_value", "ncco_problems", "to_wire"]


def is_ncco_value(value: Any) -> bool:
    """An NCCO itself (list, tuple or ``Ncco``), as opposed to a function that makes one."""
    return isinstance(value, list | tuple | Ncco) or not callable(value)


def to_wire(ncco: Any) -> Any:
    """A fresh JSON value (never shared with the caller's objects) for an NCCO in any form.

    Raises ``TypeError``/``ValueError`` for something that cannot be serialised as JSON.
    """
    # json.loads reads only the text json.dumps just made from the user's own value, not
    # JSON from outside; what it lets through (NaN, say) the NCCO rules refuse afterwards.
    return json.loads(json.dumps(_plain(ncco)))


def _plain(value: Any) -> Any:
    if isinstance(value, Ncco):
        return value.to_list()
    if isinstance(value, BaseModel):  # one action model: the keys it was given, as Ncco does
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def ncco_problems(ncco: Any) -> list[FieldError]:
    """Every broken NCCO rule, with paths like ``1.eventUrl``; empty when the NCCO is valid."""
    return validate_ncco(ncco)
