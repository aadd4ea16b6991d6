"""Jupyter widgets: views over the models and the client (no API logic of their own).

Each widget gets a client passed in and puts its results in trait values and attributes, so
notebooks and tests drive it through plain methods, ``.value`` and ``.click()``.

The NCCO builder (``NccoBuilder``, ``NccoTemplate``, ``TEMPLATES``) loads on first use, through
module ``__getattr__`` (PEP 562): it needs the NCCO models, most of the package's own import
time, and most sessions never build a call flow. Its third-party modules (ipywidgets,
traitlets, pydantic) load here all the same, with the other widgets; only
``pydantic.functional_serializers``, which just the NCCO models use, waits for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vonage_widgets._lazy import lazy_attributes
from vonage_widgets.widgets.application_form import (
    NEW_APPLICATION,
    NEW_APPLICATION_VALUE,
    ApplicationForm,
)
from vonage_widgets.widgets.number_linker import LinkerClient, NumberLinker

if TYPE_CHECKING:  # for type checkers and IDEs; at run time these load on first use
    from vonage_widgets.widgets.ncco_builder import TEMPLATES, NccoBuilder, NccoTemplate

_LAZY: dict[str, str] = {
    "TEMPLATES": "ncco_builder",
    "NccoBuilder": "ncco_builder",
    "NccoTemplate": "ncco_builder",
}
"""Re-exported name -> the submodule of this package that defines it, loaded on first use."""


__all__ = [
    "NEW_APPLICATION",
    "NEW_APPLICATION_VALUE",
    "TEMPLATES",
    "ApplicationForm",
    "LinkerClient",
    "NccoBuilder",
    "NccoTemplate",
    "NumberLinker",
]


if not TYPE_CHECKING:  # hidden from type checkers, which then still flag a misspelt name
    __getattr__, __dir__ = lazy_attributes(__name__, _LAZY, globals(), __all__)
