"""Widgets as static HTML, drawn from a notebook's saved widget state (no kernel, no JS).

The docs site must build offline with PyPI packages only, and the usual way to show saved
widgets on a page (the ``@jupyter-widgets/html-manager`` script) comes from a CDN. So each
displayed widget is drawn here, from the ``application/vnd.jupyter.widget-state+json``
metadata the notebooks are stored with (``make notebook-outputs``): boxes, HTML, text boxes,
check boxes, drop-downs, buttons, accordions and progress bars, read-only, with their layout.
It is a picture of the widget as it was saved; running the notebook makes it live.

:func:`prepare` copies notebooks and replaces each widget output's data with this HTML.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"
_PREFIX = "IPY_MODEL_"
_LAYOUT_CSS = (
    "width",
    "min_width",
    "max_width",
    "height",
    "margin",
    "padding",
    "border",
    "flex",
    "align_items",
    "justify_content",
)
_BUTTON_COLOURS = {
    "primary": "#2196f3",
    "success": "#4caf50",
    "info": "#00bcd4",
    "warning": "#ff9800",
    "danger": "#f44336",
}

CSS = """
.vw-widget { font-size: 13px; line-height: 1.5; }
.vw-widget .vw-row { display: flex; flex-direction: row; align-items: center; gap: 4px; }
.vw-widget .vw-col { display: flex; flex-direction: column; }
.vw-widget label.vw-desc { min-width: 90px; margin-right: 6px; }
.vw-widget input[type=text], .vw-widget select, .vw-widget textarea {
  font-size: 13px; padding: 2px 4px; border: 1px solid #9e9e9e; background: #fff; }
.vw-widget button { font-size: 13px; padding: 3px 12px; border: 0; border-radius: 2px;
  background: #eee; color: #000; margin: 2px; }
.vw-widget details { border: 1px solid #ddd; padding: 2px 6px; margin: 2px 0; }
.vw-widget .vw-note { color: #666; font-style: italic; font-size: 12px; }
"""


class _Drawer:
    def __init__(self, models: Mapping[str, Any]) -> None:
        self.models = models

    def state(self, ref: Any) -> dict[str, Any]:
        model_id = str(ref).removeprefix(_PREFIX)
        found = self.models.get(model_id)
        if not found:
            return {}
        # Saved without the traits at their defaults: the model's name is beside its state.
        return {"_model_name": found.get("model_name", ""), **found["state"]}

    def layout_css(self, state: Mapping[str, Any]) -> tuple[bool, str]:
        layout = self.state(state.get("layout", ""))
        if layout.get("display") == "none" or layout.get("visibility") == "hidden":
            return False, ""
        css = [
            f"{key.replace('_', '-')}: {html.escape(str(layout[key]))}"
            for key in _LAYOUT_CSS
            if layout.get(key)
        ]
        return True, "; ".join(css)

    def draw(self, ref: Any) -> str:
        state = self.state(ref)
        name = str(state.get("_model_name", ""))
        shown, css = self.layout_css(state)
        if not shown:
            return ""
        draw: Callable[[dict[str, Any], str], str] = getattr(
            self, "_" + name.removesuffix("Model").lower(), self._unknown
        )
        return draw(state, css)

    def _children(self, state: Mapping[str, Any]) -> str:
        return "".join(self.draw(child) for child in state.get("children", []))

    def _vbox(self, state: dict[str, Any], css: str) -> str:
        return f'<div class="vw-col" style="{css}">{self._children(state)}</div>'

    _box = _vbox
    _gridbox = _vbox

    def _hbox(self, state: dict[str, Any], css: str) -> str:
        return f'<div class="vw-row" style="{css}">{self._children(state)}</div>'

    def _html(self, state: dict[str, Any], css: str) -> str:
        # The value is the widget's own HTML (our widgets escape what they show).
        return f'<div style="{css}">{self._desc(state)}{state.get("value", "")}</div>'

    _htmlmath = _html

    def _label(self, state: dict[str, Any], css: str) -> str:
        return f'<div style="{css}">{html.escape(str(state.get("value", "")))}</div>'

    def _desc(self, state: Mapping[str, Any]) -> str:
        text = str(state.get("description", ""))
        return f'<label class="vw-desc">{html.escape(text)}</label>' if text else ""

    def _text(self, state: dict[str, Any], css: str) -> str:
        value = html.escape(str(state.get("value", "")))
        hint = html.escape(str(state.get("placeholder", "")))
        field = f'<input type="text" value="{value}" placeholder="{hint}" disabled>'
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{field}</div>'

    _inttext = _text
    _floattext = _text
    _password = _text

    def _textarea(self, state: dict[str, Any], css: str) -> str:
        value = html.escape(str(state.get("value", "")))
        hint = html.escape(str(state.get("placeholder", "")))
        rows = int(state.get("rows") or 3)
        area = f'<textarea rows="{rows}" placeholder="{hint}" disabled>{value}</textarea>'
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{area}</div>'

    def _checkbox(self, state: dict[str, Any], css: str) -> str:
        checked = " checked" if state.get("value") else ""
        text = html.escape(str(state.get("description", "")))
        return f'<label style="{css}"><input type="checkbox"{checked} disabled> {text}</label>'

    def _options(self, state: Mapping[str, Any], chosen: set[int]) -> str:
        labels = state.get("_options_labels", [])
        return "".join(
            f"<option{' selected' if i in chosen else ''}>{html.escape(str(label))}</option>"
            for i, label in enumerate(labels)
        )

    def _dropdown(self, state: dict[str, Any], css: str) -> str:
        index = state.get("index")
        chosen = {int(index)} if isinstance(index, int) else set()
        box = f"<select disabled>{self._options(state, chosen)}</select>"
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{box}</div>'

    _select = _dropdown

    def _selectmultiple(self, state: dict[str, Any], css: str) -> str:
        chosen = {int(i) for i in state.get("index", [])}
        rows = int(state.get("rows") or 5)
        box = f'<select multiple size="{rows}" disabled>{self._options(state, chosen)}</select>'
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{box}</div>'

    def _togglebuttons(self, state: dict[str, Any], css: str) -> str:
        index = state.get("index")
        buttons = "".join(
            f'<button disabled style="{"background:#ccc" if i == index else ""}">'
            f"{html.escape(str(label))}</button>"
            for i, label in enumerate(state.get("_options_labels", []))
        )
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{buttons}</div>'

    def _button(self, state: dict[str, Any], css: str) -> str:
        colour = _BUTTON_COLOURS.get(str(state.get("button_style", "")))
        paint = f"background: {colour}; color: #fff; " if colour else ""
        faded = "opacity: 0.5; " if state.get("disabled") else ""
        text = html.escape(str(state.get("description", "")))
        return f'<button disabled style="{paint}{faded}{css}">{text}</button>'

    def _accordion(self, state: dict[str, Any], css: str) -> str:
        titles = list(state.get("titles", []))
        opened = state.get("selected_index")
        parts = []
        for i, child in enumerate(state.get("children", [])):
            title = html.escape(str(titles[i] if i < len(titles) else ""))
            is_open = " open" if i == opened else ""
            parts.append(
                f"<details{is_open}><summary>{title}</summary>{self.draw(child)}</details>"
            )
        return f'<div style="{css}">{"".join(parts)}</div>'

    def _intprogress(self, state: dict[str, Any], css: str) -> str:
        value, top = state.get("value", 0), state.get("max", 100)
        bar = f'<progress value="{value}" max="{top}"></progress>'
        return f'<div class="vw-row" style="{css}">{self._desc(state)}{bar}</div>'

    def _fileupload(self, state: dict[str, Any], css: str) -> str:
        text = html.escape(str(state.get("description", "Upload")))
        return f'<button disabled style="{css}">{text}</button>'

    def _unknown(self, state: dict[str, Any], css: str) -> str:
        name = html.escape(str(state.get("_model_name", "widget")))
        return f'<div style="{css}" class="vw-note">({name})</div>'


def widget_html(model_id: str, models: Mapping[str, Any]) -> str | None:
    """The widget ``model_id`` drawn as HTML, or ``None`` when its state was not saved."""
    if model_id not in models:
        return None
    body = _Drawer(models).draw(model_id)
    note = (
        '<div class="vw-note">A picture of the widget as saved: run the notebook in '
        "JupyterLab to use it.</div>"
    )
    return f'<div class="vw-widget"><style>{CSS}</style>{body}{note}</div>'


def prepare(source: Path, target: Path) -> int:
    """Copy the notebook ``source`` to ``target`` with each widget output drawn as HTML.

    Returns how many widgets were drawn. The widget state itself is dropped from the copy.
    """
    notebook = json.loads(source.read_text(encoding="utf-8"))
    models = notebook.get("metadata", {}).get("widgets", {}).get(STATE, {}).get("state", {})
    drawn = 0
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(VIEW)
            if not view:
                continue
            page = widget_html(str(view.get("model_id")), models)
            if page is None:
                continue
            output["data"] = {"text/html": page, "text/plain": data.get("text/plain", "")}
            drawn += 1
    notebook.get("metadata", {}).pop("widgets", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(notebook, indent=1, ensure_ascii=False), encoding="utf-8")
    return drawn
