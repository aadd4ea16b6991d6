"""Field editors of the NCCO builder: one input per NCCO key, described by the models.

Private to :mod:`vonage_widgets.widgets`. :func:`describe_field` reads a key's JSON type,
choices and range from the NCCO models (the one place they are typed), and
:func:`make_editor` picks the input that fits. An editor never clamps or corrects: what the
person types goes into the NCCO as typed, so the models' own check names the rule beside the
field. Only text that cannot be JSON at all (a half-typed payload) stays out of the NCCO, and
is reported as an input problem instead.
"""

from __future__ import annotations

import html
import json
import math
import re
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Union, get_args, get_origin

import ipywidgets as ipw
import traitlets
from pydantic import BaseModel

from vonage_widgets._json import loads
from vonage_widgets.errors import ValidationError
from vonage_widgets.models.ncco import Bounds, field_bounds

__all__ = [
    "MISSING",
    "FieldEditor",
    "FieldKind",
    "FieldSpec",
    "InputProblem",
    "RangeText",
    "describe_field",
    "make_editor",
    "messages_html",
    "python_name",
    "sub_model",
]

FieldKind = Literal["text", "number", "bool", "choice", "multi", "lines", "json"]
"""How a key is edited: by the JSON type the model gives it."""

LABEL_WIDTH: Final = "150px"
_ERROR_STYLE: Final = "color:#b00020"
_WARNING_STYLE: Final = "color:#8a6d00"
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


class _Missing:
    """The value of a key that is not in the action (Vonage then applies its default)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Final = _Missing()
"""Sentinel: the key is absent from the action."""


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Text that cannot become a JSON value (e.g. half-typed JSON): kept out of the NCCO."""

    message: str


@dataclass(frozen=True, slots=True)
class _Raw:
    """A loaded value a dropdown does not offer (``"yes"`` for a bool): shown, kept as is."""

    value: Any


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One NCCO key as the models describe it.

    ``key`` is the wire name (``from``, ``content-type``), ``old_keys`` older spellings the
    model still accepts and renames, ``bounds`` the model's range, ``default`` the value
    Vonage applies when the key is absent (only where the models state it).
    """

    key: str
    kind: FieldKind
    required: bool
    choices: tuple[Any, ...] = ()
    bounds: Bounds | None = None
    default: Any = MISSING
    old_keys: tuple[str, ...] = ()


def _core(annotation: Any) -> Any:
    """The JSON type behind ``Optional[...]`` and ``Annotated[...]`` wrappers."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def python_name(model: type[BaseModel], key: str) -> str:
    """The model's attribute for wire ``key`` (``from`` -> ``from_``); KeyError if unknown."""
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return name
    raise KeyError(f"{model.__name__} has no key {key!r}")


def sub_model(model: type[BaseModel], key: str) -> type[BaseModel]:
    """The model of the object held under ``key`` (``dtmf`` -> ``Dtmf``)."""
    found = _core(model.model_fields[python_name(model, key)].annotation)
    if not (isinstance(found, type) and issubclass(found, BaseModel)):
        raise KeyError(f"{model.__name__}.{key} is not an object")
    return found


def _kind(annotation: Any) -> tuple[FieldKind, tuple[Any, ...]]:
    core = _core(annotation)
    origin = get_origin(core)
    if origin is Literal:
        return "choice", get_args(core)
    if core is bool:
        return "bool", ()
    if core in (int, float) or (
        origin in (Union, types.UnionType) and set(get_args(core)) <= {int, float}
    ):
        return "number", ()
    if core is str:
        return "text", ()
    if origin is list or core is list:
        item = _core(get_args(core)[0]) if get_args(core) else str
        if get_origin(item) is Literal:
            return "multi", get_args(item)
        return "lines", ()
    if origin is dict or core is dict:
        return "json", ()
    raise TypeError(f"no editor for fields of type {annotation!r}")


def describe_field(
    model: type[BaseModel],
    key: str,
    *,
    default: Any = MISSING,
    bounds: Bounds | None = None,
) -> FieldSpec:
    """What the models say about ``model``'s wire ``key``: kind, choices, range, required.

    ``bounds`` is for a range the model states as constants rather than on the field (the
    wait action's clamped timeout).
    """
    name = python_name(model, key)
    info = model.model_fields[name]
    kind, choices = _kind(info.annotation)
    renames: dict[str, str] = getattr(model, "KEY_RENAMES", {})
    return FieldSpec(
        key=key,
        kind=kind,
        required=info.is_required(),
        choices=choices,
        bounds=field_bounds(model, name) or bounds,
        default=default,
        old_keys=tuple(old for old, new in renames.items() if new == key),
    )


def messages_html(errors: Iterable[str], warnings: Iterable[str] = ()) -> str:
    """Errors (red) and warnings (amber, softer) as the HTML shown beside a field."""
    parts = [f'<span style="{_ERROR_STYLE}">✗ {html.escape(m, quote=False)}</span>' for m in errors]
    parts += [
        f'<span style="{_WARNING_STYLE}">⚠ {html.escape(m, quote=False)}</span>' for m in warnings
    ]
    return "<br>".join(parts)


class RangeText(ipw.Text):  # type: ignore[misc]
    """A text box for a number, carrying the model's range as ``min``/``max`` traits.

    It does not clamp: 500 in a 1-120 box reaches the NCCO and the model's message says why
    it is wrong, where a clamping box would silently send 120.
    """

    min = traitlets.Float(None, allow_none=True, help="Smallest value the models accept.")
    max = traitlets.Float(None, allow_none=True, help="Largest value the models accept.")


def _fmt(number: float) -> str:
    return f"{number:g}"


def _range_hint(spec: FieldSpec) -> str:
    hints: list[str] = []
    bounds = spec.bounds
    if bounds is not None:
        unit = f" {bounds.unit}" if bounds.unit else ""
        if bounds.maximum is None:
            hints.append(f"≥ {_fmt(bounds.minimum)}{unit}")
        else:
            hints.append(f"{_fmt(bounds.minimum)} to {_fmt(bounds.maximum)}{unit}")
    if spec.default is not MISSING:
        hints.append(f"default {json.dumps(spec.default)}")
    return ", ".join(hints)


def _parse_number(text: str) -> Any:
    # Whole numbers stay ints (a round trip keeps 45 as 45); anything else that is a finite
    # number becomes a float; other text is passed on so the model names the rule.
    if _WHOLE_NUMBER.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return text
    return number if math.isfinite(number) else text


class FieldEditor:
    """One NCCO key: label, input (``control``) and the messages beside it.

    ``path`` is the key's dotted path inside its action (``dtmf.maxDigits``), as in the
    validator's messages. ``on_edit(editor, value)`` is called when the person changes the
    input, with the new wire value, ``MISSING`` (empty input) or an :class:`InputProblem`.
    """

    def __init__(
        self,
        path: str,
        spec: FieldSpec,
        control: ipw.ValueWidget,
        on_edit: Callable[[FieldEditor, Any], None],
    ) -> None:
        self.path = path
        self.spec = spec
        self.control = control
        self.message = ipw.HTML(layout=ipw.Layout(flex="1 1 auto", margin="0 0 0 8px"))
        mark = " *" if spec.required else ""
        label = ipw.HTML(
            f"<code>{html.escape(spec.key)}</code>{mark}",
            layout=ipw.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH),
        )
        self.widget = ipw.HBox(
            [label, control, self.message], layout=ipw.Layout(align_items="center")
        )
        self._on_edit = on_edit
        self._showing = False
        control.observe(self._changed, names="value")

    def _changed(self, _change: dict[str, Any]) -> None:
        if not self._showing:
            self._on_edit(self, self.read())

    def show(self, value: Any) -> None:
        """Put a wire value (or ``MISSING``) into the input without editing the NCCO."""
        self._showing = True
        try:
            self._show(value)
        finally:
            self._showing = False

    def _show(self, value: Any) -> None:
        self.control.value = "" if value is MISSING else str(value)

    def read(self) -> Any:
        """The input as a wire value, ``MISSING`` when empty, or an :class:`InputProblem`."""
        text = str(self.control.value)
        return text if text else MISSING

    def set_messages(self, errors: Sequence[str], warnings: Sequence[str] = ()) -> None:
        """Show these problems beside the input (none clears them)."""
        self.message.value = messages_html(errors, warnings)


class NumberEditor(FieldEditor):
    """A number typed as text in a :class:`RangeText` (no clamping, see there)."""

    def read(self) -> Any:
        text = str(self.control.value).strip()
        return _parse_number(text) if text else MISSING


class ChoiceEditor(FieldEditor):
    """A dropdown of the values the model allows, plus "(not set)" for an absent key.

    A loaded value the model does not allow gets its own "(not allowed)" option, so it is
    shown as it is and kept until the person picks another.
    """

    def __init__(
        self,
        path: str,
        spec: FieldSpec,
        on_edit: Callable[[FieldEditor, Any], None],
        labels: Sequence[tuple[str, Any]],
    ) -> None:
        self._base: list[tuple[str, Any]] = [("(not set)", MISSING), *labels]
        control = ipw.Dropdown(options=self._base, value=MISSING, layout=ipw.Layout(width="auto"))
        super().__init__(path, spec, control, on_edit)

    @property
    def choices(self) -> tuple[Any, ...]:
        """The values offered, without "(not set)"."""
        return tuple(v for _, v in self._base[1:])

    def _show(self, value: Any) -> None:
        offered = value is MISSING or any(
            type(v) is type(value) and v == value for v in self.choices
        )
        options = list(self._base)
        if not offered:
            value = _Raw(value)
            options.append((f"{json.dumps(value.value)} (not allowed)", value))
        if list(self.control.options) != options:
            self.control.options = options
        self.control.value = value

    def read(self) -> Any:
        value = self.control.value
        return value.value if isinstance(value, _Raw) else value


class MultiEditor(FieldEditor):
    """A list of values from a fixed set (input ``type``); nothing selected is absent."""

    def _show(self, value: Any) -> None:
        items = value if isinstance(value, list) else []
        self.control.value = tuple(v for v in self.spec.choices if v in items)

    def read(self) -> Any:
        chosen = [v for v in self.spec.choices if v in self.control.value]
        return chosen or MISSING


class LinesEditor(FieldEditor):
    """A list of strings, one per line (URLs, speech hints): always an array on the wire."""

    def _show(self, value: Any) -> None:
        if value is MISSING:
            self.control.value = ""
        elif isinstance(value, list):
            self.control.value = "\n".join(str(v) for v in value)
        else:  # e.g. a bare string: shown as its one line, reported by the models
            self.control.value = value if isinstance(value, str) else json.dumps(value)

    def read(self) -> Any:
        lines = [line.strip() for line in str(self.control.value).splitlines()]
        return [line for line in lines if line] or MISSING


class JsonEditor(FieldEditor):
    """A JSON value typed as text (notify payload, websocket headers)."""

    def _show(self, value: Any) -> None:
        self.control.value = "" if value is MISSING else json.dumps(value, ensure_ascii=False)

    def read(self) -> Any:
        text = str(self.control.value).strip()
        if not text:
            return MISSING
        try:
            return loads(text, subject="field")
        except ValidationError as exc:
            return InputProblem("; ".join(problem.message for problem in exc.errors))


def make_editor(
    path: str,
    spec: FieldSpec,
    on_edit: Callable[[FieldEditor, Any], None],
    *,
    suggestions: Iterable[str] = (),
) -> FieldEditor:
    """The editor that fits ``spec.kind``; ``suggestions`` turn a text box into a combobox."""
    hint = _range_hint(spec)
    if spec.kind == "number":
        bounds = spec.bounds
        control = RangeText(
            placeholder=hint,
            min=None if bounds is None else bounds.minimum,
            max=None if bounds is None or bounds.maximum is None else bounds.maximum,
            layout=ipw.Layout(width="160px"),
        )
        return NumberEditor(path, spec, control, on_edit)
    if spec.kind == "bool":
        labels = [("true", True), ("false", False)]
        return ChoiceEditor(path, spec, on_edit, labels)
    if spec.kind == "choice":
        return ChoiceEditor(path, spec, on_edit, [(str(c), c) for c in spec.choices])
    if spec.kind == "multi":
        control = ipw.SelectMultiple(
            options=list(spec.choices), rows=len(spec.choices), layout=ipw.Layout(width="160px")
        )
        return MultiEditor(path, spec, control, on_edit)
    if spec.kind == "lines":
        control = ipw.Textarea(placeholder="one per line", rows=2, layout=ipw.Layout(width="420px"))
        return LinesEditor(path, spec, control, on_edit)
    if spec.kind == "json":
        control = ipw.Textarea(
            placeholder='a JSON object, e.g. {"key": "value"}',
            rows=2,
            layout=ipw.Layout(width="420px"),
        )
        return JsonEditor(path, spec, control, on_edit)
    options = sorted(suggestions)
    layout = ipw.Layout(width="420px" if spec.key == "text" else "260px")
    if options:
        combo = ipw.Combobox(options=options, ensure_option=False, placeholder=hint, layout=layout)
        return FieldEditor(path, spec, combo, on_edit)
    return FieldEditor(path, spec, ipw.Text(placeholder=hint, layout=layout), on_edit)
