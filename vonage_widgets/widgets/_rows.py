"""Field rows: one input with its label, the message beside it and help text under it.

Private to :mod:`vonage_widgets.widgets`. A row knows the wire path of the field it edits, how
to show a wire value (``show``), how to read the typed value back as a wire value (``read``)
and whether the person changed it since the last ``mark_pristine`` (``changed``). The form
uses ``changed`` to overlay only what the person edited onto a loaded application, so fields
they never touched keep their exact wire value, or stay absent.

Why numbers are typed into text boxes: a clamping number box would silently turn 200 into
300, hiding the rule; a text box lets the model's own check name the rule beside the field,
and an empty box means "absent" (Vonage's default, shown as the placeholder).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Sequence
from typing import Any, Final

import ipywidgets as ipw
import traitlets

from vonage_widgets._json import MAX_INT_DIGITS

__all__ = [
    "ABSENT",
    "NOT_SET_VALUE",
    "BoolRow",
    "ChoiceRow",
    "FieldRow",
    "IntRow",
    "MessageSlot",
    "TextRow",
    "WholeNumberText",
    "help_html",
    "message_html",
]

LABEL_WIDTH: Final = "200px"
_HELP_STYLE = "color:#5f6368;font-size:0.85em;line-height:1.3"
_ERROR_STYLE = "color:#b00020"
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


class _Absent:
    """The value of a field that is not in the document (Vonage then uses its default)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Final = _Absent()
"""Sentinel: the field is not in the document."""


def message_html(messages: Sequence[str]) -> str:
    """Error messages as the HTML shown beside a field (empty when there are none)."""
    if not messages:
        return ""
    text = "; ".join(html.escape(m, quote=False) for m in messages)
    return f'<span style="{_ERROR_STYLE}">✗ {text}</span>'


def help_html(text: str, *, indent: bool = True) -> str:
    """Help text in the small grey style used under fields and section titles."""
    margin = f"margin-left:{LABEL_WIDTH};" if indent else ""
    return f'<div style="{_HELP_STYLE};{margin}">{html.escape(text, quote=False)}</div>'


NOT_SET_VALUE: Final = ""
"""The value of a dropdown's "not set" option. Not ``None``: a dropdown whose value is
``None`` has no selected index, and the browser then shows an empty box, not the label."""


class WholeNumberText(ipw.Text):  # type: ignore[misc]
    """A text box for a whole number, carrying its allowed range as ``min``/``max`` traits.

    The range is what the model accepts (read from the catalog); the box does not clamp, so an
    out-of-range entry reaches the model's check and its message appears beside the field.
    ``placeholder`` shows the API's default, which applies while the box is empty.
    """

    min = traitlets.Int(None, allow_none=True, help="Smallest value the API accepts.")
    max = traitlets.Int(None, allow_none=True, help="Largest value the API accepts.")


class FieldRow:
    """One field: label, input (``control``), message beside it, help text under it."""

    def __init__(self, path: str, title: str, control: ipw.ValueWidget, help_text: str) -> None:
        self.path = path
        self.title = title
        self.control = control
        self.message = ipw.HTML(layout=ipw.Layout(flex="1 1 auto", margin="0 0 0 8px"))
        self.label = ipw.HTML(
            f"<b>{html.escape(title, quote=False)}</b>",
            layout=ipw.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH),
        )
        self.help = ipw.HTML(help_html(help_text)) if help_text else None
        control.layout.flex = "0 0 auto"  # a long message beside it must not squeeze the input
        self._pristine: Any = control.value

    @functools.cached_property
    def widget(self) -> ipw.VBox:
        """The usual layout: label, input and message on a line, help text under it.

        Built on first use, so a caller composing its own layout from ``label``,
        ``control``, ``message`` and ``help`` makes no unused boxes.
        """
        line = ipw.HBox(
            [self.label, self.control, self.message], layout=ipw.Layout(align_items="center")
        )
        parts: list[ipw.Widget] = [line] if self.help is None else [line, self.help]
        return ipw.VBox(parts, layout=ipw.Layout(margin="2px 0"))

    @property
    def key(self) -> str:
        """The field's own wire name (the last part of its path)."""
        return self.path.rsplit(".", 1)[-1]

    @property
    def changed(self) -> bool:
        """Whether the input differs from what the last ``show`` + ``mark_pristine`` put there."""
        return bool(self.control.value != self._pristine)

    def mark_pristine(self) -> None:
        """Remember the input's current value as the unchanged state."""
        self._pristine = self.control.value

    def set_messages(self, messages: Sequence[str]) -> None:
        """Show these error messages beside the field (none clears it)."""
        self.message.value = message_html(messages)

    def read(self) -> Any:
        """The input as a wire value, or ``ABSENT`` when it leaves the field unset."""
        raise NotImplementedError

    def show(self, value: Any) -> None:
        """Put a wire value (or ``ABSENT``) into the input."""
        raise NotImplementedError


class TextRow(FieldRow):
    """A free-text field (name, webhook address). Empty means absent unless ``keep_empty``."""

    def __init__(
        self,
        path: str,
        title: str,
        help_text: str,
        *,
        placeholder: str = "",
        strip: bool = False,
        keep_empty: bool = False,
        width: str = "360px",
    ) -> None:
        control = ipw.Text(
            placeholder=placeholder, continuous_update=True, layout=ipw.Layout(width=width)
        )
        self._strip = strip
        self._keep_empty = keep_empty
        super().__init__(path, title, control, help_text)

    def read(self) -> Any:
        text = str(self.control.value)
        if self._strip:
            # A pasted URL often brings a trailing newline or space; it is never meant.
            text = text.strip()
        if not text and not self._keep_empty:
            return ABSENT
        return text

    def show(self, value: Any) -> None:
        self.control.value = "" if value is ABSENT else str(value)


class IntRow(FieldRow):
    """A whole number typed as text; empty is absent, the placeholder shows the API default.

    Text that is not a whole number is passed on unchanged, so the model names the rule
    ("must be a whole number") exactly as the API would.
    """

    def __init__(
        self,
        path: str,
        title: str,
        help_text: str,
        *,
        minimum: int | None,
        maximum: int | None,
        default: int | None,
    ) -> None:
        control = WholeNumberText(
            min=minimum,
            max=maximum,
            placeholder="" if default is None else str(default),
            continuous_update=True,
            layout=ipw.Layout(width="120px"),
        )
        super().__init__(path, title, control, help_text)
        self._minimum = minimum
        self._maximum = maximum

    def read(self) -> Any:
        text = str(self.control.value).strip()
        if not text:
            return ABSENT
        if not _WHOLE_NUMBER.fullmatch(text):
            return text
        negative = text.startswith("-")
        digits = text.lstrip("+-").lstrip("0") or "0"
        if len(digits) <= MAX_INT_DIGITS:
            return -int(digits) if negative else int(digits)
        # Past Python's int() digit limit: certainly outside any range the API has, so read
        # it as the first value past the bound, and the model names the range rule; with no
        # bound on that side the text goes on unchanged ("must be a whole number").
        if negative and self._minimum is not None:
            return self._minimum - 1
        if not negative and self._maximum is not None:
            return self._maximum + 1
        return text

    def show(self, value: Any) -> None:
        self.control.value = "" if value is ABSENT else str(value)


class ChoiceRow(FieldRow):
    """A dropdown of the only values the model allows.

    ``absent_label`` adds a first option meaning "not set" (for fields without an API default);
    otherwise an absent field shows ``default`` and reads back as that value.
    """

    def __init__(
        self,
        path: str,
        title: str,
        help_text: str,
        *,
        choices: Sequence[str],
        default: str | None,
        absent_label: str | None = None,
    ) -> None:
        options: list[tuple[str, str]] = []
        if absent_label is not None:
            options.append((absent_label, NOT_SET_VALUE))
        options.extend((c, c) for c in choices)
        self._absent_value = default if absent_label is None else NOT_SET_VALUE
        control = ipw.Dropdown(
            options=options, value=self._absent_value, layout=ipw.Layout(width="180px")
        )
        super().__init__(path, title, control, help_text)

    @property
    def choices(self) -> tuple[str, ...]:
        """The values offered (without the "not set" option)."""
        return tuple(v for _, v in self.control.options if v != NOT_SET_VALUE)

    def read(self) -> Any:
        value = self.control.value
        return ABSENT if value == NOT_SET_VALUE else value

    def show(self, value: Any) -> None:
        self.control.value = self._absent_value if value is ABSENT else value


class BoolRow(FieldRow):
    """A checkbox; an absent field shows the API default (unchecked when there is none)."""

    def __init__(self, path: str, title: str, help_text: str, *, default: bool | None) -> None:
        self._default = bool(default)
        control = ipw.Checkbox(value=self._default, indent=False, layout=ipw.Layout(width="auto"))
        super().__init__(path, title, control, help_text)

    def read(self) -> Any:
        return bool(self.control.value)

    def show(self, value: Any) -> None:
        self.control.value = self._default if value is ABSENT else bool(value)


class MessageSlot:
    """A place for messages that belong to a group (a capability, the keys) and not one field."""

    def __init__(self) -> None:
        self.message = ipw.HTML(layout=ipw.Layout(margin="0 0 0 8px"))

    def set_messages(self, messages: Sequence[str]) -> None:
        """Show these error messages (none clears them)."""
        self.message.value = message_html(messages)
