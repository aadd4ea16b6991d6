"""A check every widget test can run: each dropdown shows one of its options.

ipywidgets reads a dropdown value of ``None`` as "nothing selected" (``index`` is ``None``)
and the browser then draws an empty box, even when an option's value is ``None``. So a
dropdown is only right when its index points at an option and its value is that option's.
"""

from __future__ import annotations

import ipywidgets as ipw

from tests.widgets_helpers import walk

__all__ = ["blank_dropdowns", "dropdowns"]


def dropdowns(root: ipw.Widget) -> list[ipw.Dropdown]:
    """Every Dropdown under ``root`` (children of boxes, accordions ...)."""
    return [widget for widget in walk(root) if isinstance(widget, ipw.Dropdown)]


def blank_dropdowns(root: ipw.Widget) -> list[str]:
    """A line for each Dropdown under ``root`` that a browser would show empty."""
    found: list[str] = []
    for dropdown in dropdowns(root):
        values = [_value(option) for option in dropdown.options]
        index = dropdown.index
        shown = (
            index is not None
            and dropdown.value is not None
            and 0 <= index < len(values)
            and values[index] == dropdown.value
        )
        if not shown:
            found.append(
                f"{dropdown.description or 'dropdown'}: value={dropdown.value!r} "
                f"index={index!r} options={values[:5]!r}"
            )
    return found


def _value(option: object) -> object:
    """An option's value: ``(label, value)`` pairs, or the option itself (as ipywidgets)."""
    if isinstance(option, tuple | list) and len(option) == 2:
        return option[1]
    return option
