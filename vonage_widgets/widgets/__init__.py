"""Jupyter widgets: views over the models and the client (no API logic of their own).

Each widget gets a client passed in and puts its results in trait values and attributes, so
notebooks and tests drive it through plain methods, ``.value`` and ``.click()``.
"""

from __future__ import annotations

from vonage_widgets.widgets.application_form import (
    NEW_APPLICATION,
    NEW_APPLICATION_VALUE,
    ApplicationForm,
)
from vonage_widgets.widgets.ncco_builder import TEMPLATES, NccoBuilder, NccoTemplate
from vonage_widgets.widgets.number_linker import LinkerClient, NumberLinker

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
