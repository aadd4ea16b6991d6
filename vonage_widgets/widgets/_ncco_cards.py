"""One NCCO action as a card: its JSON object, a small form for its main keys, its problems.

Private to :mod:`vonage_widgets.widgets`. The card owns the action's JSON object and edits it
in place, key by key: keys the form does not show (``transcription``, unknown keys, ...) are
never touched, a key is written only when the person edits its input, and an emptied input
removes its key. So a loaded NCCO comes back exactly as it went in until someone edits it.

Which keys a card shows is a choice of this module (:data:`FORM_FIELDS`); what each key is
(type, choices, range, default) comes from the NCCO models through :func:`describe_field`.
"""

from __future__ import annotations

import copy
import html
import itertools
from collections.abc import Callable, Iterable
from typing import Any, Final

import ipywidgets as ipw
from pydantic import BaseModel

from vonage_widgets.errors import FieldError
from vonage_widgets.models.ncco import (
    ACTIONS,
    DTMF_DEFAULTS,
    ENDPOINT_TYPES,
    SPEECH_DEFAULTS,
    TTS_LANGUAGES,
    WAIT_MAX,
    WAIT_MIN,
    Bounds,
    Wait,
)
from vonage_widgets.widgets._ncco_fields import (
    MISSING,
    ChoiceEditor,
    FieldEditor,
    FieldSpec,
    InputProblem,
    describe_field,
    make_editor,
    messages_html,
    sub_model,
)

__all__ = ["ENDPOINT_FIELDS", "FORM_FIELDS", "NEW_ACTION_SEEDS", "ActionCard", "route"]

FORM_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "record": (
        "format",
        "split",
        "channels",
        "endOnSilence",
        "endOnKey",
        "timeOut",
        "beepStart",
        "eventUrl",
    ),
    "conversation": (
        "name",
        "startOnEnter",
        "endOnExit",
        "record",
        "mute",
        "musicOnHoldUrl",
    ),
    "connect": ("endpoint", "from", "randomFromNumber", "timeout", "limit", "eventUrl"),
    "talk": ("text", "language", "bargeIn", "loop", "level", "style", "premium"),
    "stream": ("streamUrl", "bargeIn", "loop", "level"),
    "input": (
        "type",
        "dtmf.maxDigits",
        "dtmf.timeOut",
        "dtmf.submitOnHash",
        "speech.language",
        "speech.context",
        "speech.endOnSilence",
        "speech.startTimeout",
        "speech.maxDuration",
        "speech.saveAudio",
        "speech.sensitivity",
        "eventUrl",
    ),
    "notify": ("payload", "eventUrl"),
    "wait": ("timeout",),
    "transfer": ("conversationId",),
}
"""The keys each action's card shows (dotted paths inside the action), in display order."""

ENDPOINT_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "phone": ("number", "dtmfAnswer"),
    "app": ("user",),
    "websocket": ("uri", "content-type", "headers"),
    "sip": ("uri", "user", "domain"),
    "vbc": ("extension",),
}
"""The keys shown for each connect endpoint type."""

NEW_ACTION_SEEDS: Final[dict[str, dict[str, Any]]] = {
    "connect": {"endpoint": [{"type": "phone"}]},
    "input": {"type": ["dtmf"]},
    "notify": {"payload": {}},
}
"""What a new action starts with besides ``action``: the structure its form edits (one
endpoint, an input type, a payload object), never example values. Required text keys start
absent, so their "is required" message says what is left to fill in."""

_DEFAULTS: Final[dict[str, dict[str, Any]]] = {"dtmf": DTMF_DEFAULTS, "speech": SPEECH_DEFAULTS}
# Wait's range is clamped by Vonage, not rejected, so the model states it as constants.
_EXTRA_BOUNDS: Final[dict[tuple[str, str], Bounds]] = {
    ("wait", "timeout"): Bounds(WAIT_MIN, WAIT_MAX, "seconds"),
}
_SUGGESTIONS: Final[dict[tuple[str, str], Iterable[str]]] = {("talk", "language"): TTS_LANGUAGES}
_ENDPOINT = "endpoint"
_ENDPOINT_TYPE_PATH = "endpoint.0.type"
_BUTTON = ipw.Layout(width="36px")
assert ACTIONS["wait"] is Wait  # _EXTRA_BOUNDS is about this model


def _parts(path: str) -> list[str | int]:
    return [int(p) if p.isdigit() else p for p in path.split(".")]


def get_path(document: Any, path: str, old_keys: Iterable[str] = ()) -> Any:
    """The value at dotted ``path`` (an older spelling of the last key counts), or MISSING."""
    *parents, last = _parts(path)
    node = document
    for part in parents:
        node = _child(node, part)
    if not isinstance(node, dict):
        return MISSING
    for key in (last, *old_keys):
        if key in node:
            return node[key]
    return MISSING


def _child(node: Any, part: str | int) -> Any:
    if isinstance(part, int):
        return node[part] if isinstance(node, list) and part < len(node) else MISSING
    return node.get(part, MISSING) if isinstance(node, dict) else MISSING


def set_path(document: dict[str, Any], path: str, value: Any, old_keys: Iterable[str] = ()) -> None:
    """Write ``value`` at dotted ``path`` (MISSING removes the key and empty parent objects)."""
    parts = _parts(path)
    chain: list[Any] = [document]
    for part, following in itertools.pairwise(parts):
        node = chain[-1]
        child = _child(node, part)
        if not isinstance(child, list if isinstance(following, int) else dict):
            if value is MISSING:
                return  # nothing to remove
            child = [] if isinstance(following, int) else {}
            _assign(node, part, child)
        chain.append(child)
    last = parts[-1]
    node = chain[-1]
    for old in old_keys:  # the model renames these to `last`: keep only one spelling
        node.pop(old, None)
    if value is not MISSING:
        node[last] = value
        return
    node.pop(last, None)
    # An object emptied by this edit goes too (dtmf: {} would still be sent).
    for depth in range(len(chain) - 1, 0, -1):
        if chain[depth] == {} and isinstance(chain[depth - 1], dict):
            chain[depth - 1].pop(parts[depth - 1], None)
        else:
            break


def _assign(node: Any, part: str | int, child: Any) -> None:
    if isinstance(part, int):
        while len(node) <= part:
            node.append({})
    node[part] = child


def route(
    problems: Iterable[FieldError], targets: Iterable[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Send each problem to the field whose path is its longest prefix; the rest stay general.

    Returns (messages per field path, general messages). A problem below a field
    (``eventUrl.1``) says which part of the field it is about.
    """
    known = set(targets)
    routed: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        parts = problem.path.split(".") if problem.path else []
        target = next(
            (".".join(parts[:n]) for n in range(len(parts), 0, -1) if ".".join(parts[:n]) in known),
            None,
        )
        if target is None:
            general.append(str(problem))
        elif target == problem.path:
            routed.setdefault(target, []).append(problem.message)
        else:
            rest = problem.path[len(target) + 1 :]
            routed.setdefault(target, []).append(f"{rest}: {problem.message}")
    return routed, general


class ActionCard:
    """One action of the builder: header with move/remove buttons, messages, a small form.

    ``document`` is the action's JSON object, edited in place. ``on_change(card)`` is called
    after every edit the person makes. ``fields`` maps each input's path to its editor.
    """

    def __init__(self, document: dict[str, Any], on_change: Callable[[ActionCard], None]) -> None:
        self.document = document
        name = document.get("action")
        self.kind: str = name if isinstance(name, str) else ""
        self.model: type[BaseModel] | None = ACTIONS.get(self.kind)
        self._base_fields: dict[str, FieldEditor] = {}
        self._endpoint_fields: dict[str, dict[str, FieldEditor]] = {}
        self.input_problems: dict[str, str] = {}
        """Inputs whose text cannot be JSON (kept out of the NCCO), by path."""
        self._on_change = on_change
        self._stash: dict[Any, dict[str, Any]] = {}
        self._groups: dict[str, ipw.VBox] = {}
        self._endpoint_boxes: dict[str, ipw.VBox] = {}
        self.endpoint_type: ChoiceEditor | None = None
        """The connect card's endpoint type chooser (path ``endpoint.0.type``)."""
        self.index = 0
        """Where the card stands in the NCCO (set by the builder)."""
        self._badge = ""
        self.title = ipw.HTML()
        self.up_button = ipw.Button(icon="arrow-up", tooltip="Move up", layout=_BUTTON)
        self.down_button = ipw.Button(icon="arrow-down", tooltip="Move down", layout=_BUTTON)
        self.remove_button = ipw.Button(icon="trash", tooltip="Remove", layout=_BUTTON)
        self.messages = ipw.HTML()
        """Problems of this action that belong to no input shown (or to the whole action)."""
        header = ipw.HBox(
            [self.title, self.up_button, self.down_button, self.remove_button],
            layout=ipw.Layout(align_items="center"),
        )
        self.widget = ipw.VBox(
            [header, self.messages, *self._build_rows()],
            layout=ipw.Layout(border="1px solid #dadce0", padding="4px 8px", margin="4px 0"),
        )
        self.show_document()

    # -- building --------------------------------------------------------------------------

    def _build_rows(self) -> list[ipw.Widget]:
        if self.model is None:
            return []
        rows: list[ipw.Widget] = []
        for path in FORM_FIELDS[self.kind]:
            if path == _ENDPOINT:
                rows.append(self._endpoint_section())
                continue
            group, _, key = path.rpartition(".")
            model = sub_model(self.model, group) if group else self.model
            default = _DEFAULTS.get(group, {}).get(key, MISSING)
            spec = describe_field(
                model, key, default=default, bounds=_EXTRA_BOUNDS.get((self.kind, key))
            )
            editor = self._add_editor(path, spec, _SUGGESTIONS.get((self.kind, path), ()))
            if not group:
                rows.append(editor.widget)
                continue
            if group not in self._groups:
                heading = ipw.HTML(f"<i>{html.escape(group)} settings</i>")
                self._groups[group] = ipw.VBox([heading], layout=ipw.Layout(margin="0 0 0 16px"))
                rows.append(self._groups[group])
            box = self._groups[group]
            box.children = (*box.children, editor.widget)
        return rows

    def _add_editor(
        self, path: str, spec: FieldSpec, suggestions: Iterable[str] = ()
    ) -> FieldEditor:
        editor = make_editor(path, spec, self._edited, suggestions=suggestions)
        self._base_fields[path] = editor
        return editor

    @property
    def fields(self) -> dict[str, FieldEditor]:
        """The inputs that edit this action now, by path (the current endpoint type's only)."""
        current = self._endpoint_type()
        endpoint = self._endpoint_fields.get(current, {}) if isinstance(current, str) else {}
        return {**self._base_fields, **endpoint}

    def _endpoint_section(self) -> ipw.VBox:
        types = tuple(ENDPOINT_TYPES)
        spec = FieldSpec(key="type", kind="choice", required=True, choices=types)
        chooser = ChoiceEditor(
            _ENDPOINT_TYPE_PATH, spec, self._endpoint_type_edited, [(t, t) for t in types]
        )
        self.endpoint_type = chooser
        self._base_fields[_ENDPOINT_TYPE_PATH] = chooser
        # One editor per type and key: sip and websocket both have a uri, with other rules.
        for kind, keys in ENDPOINT_FIELDS.items():
            model = ENDPOINT_TYPES[kind]
            editors = {
                f"endpoint.0.{key}": make_editor(
                    f"endpoint.0.{key}", describe_field(model, key), self._edited
                )
                for key in keys
            }
            self._endpoint_fields[kind] = editors
            self._endpoint_boxes[kind] = ipw.VBox([e.widget for e in editors.values()])
        return ipw.VBox(
            [ipw.HTML("<i>endpoint</i>"), chooser.widget, *self._endpoint_boxes.values()],
            layout=ipw.Layout(margin="0 0 0 16px"),
        )

    # -- showing ---------------------------------------------------------------------------

    def show_document(self) -> None:
        """Put the action's current values into every input (edits nothing)."""
        for path, editor in self.fields.items():
            editor.show(get_path(self.document, path, editor.spec.old_keys))
        self.input_problems.clear()
        self._update_visibility()

    def _endpoint_type(self) -> Any:
        return get_path(self.document, _ENDPOINT_TYPE_PATH)

    def _update_visibility(self) -> None:
        chosen = self.document.get("type")
        types = chosen if isinstance(chosen, list) else []
        for name, box in self._groups.items():
            shown = name in types or name in self.document
            box.layout.display = "" if shown else "none"
        current = self._endpoint_type()
        for kind, box in self._endpoint_boxes.items():
            box.layout.display = "" if kind == current else "none"

    def set_position(self, index: int, count: int) -> None:
        """Number the card as its index in the NCCO (as messages do) and enable its moves."""
        self.index = index
        self.up_button.disabled = index == 0
        self.down_button.disabled = index >= count - 1
        self._render_title(self._badge)

    def _render_title(self, badge: str) -> None:
        self._badge = badge
        kind = (
            html.escape(self.kind)
            if self.model is not None
            else "? " + html.escape(self.kind or "(no action)")
        )
        self.title.value = f"<b>[{self.index}] {kind}</b> {badge}"
        self.title.layout.width = "auto"

    def show_problems(self, errors: list[FieldError], warnings: list[FieldError]) -> None:
        """Show problems (paths inside this action) beside their inputs, the rest on top."""
        error_map, general_errors = route(errors, self.fields)
        warning_map, general_warnings = route(warnings, self.fields)
        for path, editor in self.fields.items():
            editor.set_messages(error_map.get(path, []), warning_map.get(path, []))
        self.messages.value = messages_html(general_errors, general_warnings)
        if errors:
            badge = f'<span style="color:#b00020">✗ {len(errors)}</span>'
        elif warnings:
            badge = f'<span style="color:#8a6d00">⚠ {len(warnings)}</span>'
        else:
            badge = '<span style="color:#137333">✓</span>'
        self._render_title(badge)

    # -- editing ---------------------------------------------------------------------------

    def _edited(self, editor: FieldEditor, value: Any) -> None:
        if isinstance(value, InputProblem):
            self.input_problems[editor.path] = value.message
        else:
            self.input_problems.pop(editor.path, None)
            set_path(self.document, editor.path, value, editor.spec.old_keys)
        self._update_visibility()
        self._on_change(self)

    def _endpoint_type_edited(self, _editor: FieldEditor, value: Any) -> None:
        # Switching type starts that type's endpoint afresh (or from what it held before
        # in this card), so phone fields never leak into a websocket endpoint.
        endpoints = self.document.get(_ENDPOINT)
        current = endpoints[0] if isinstance(endpoints, list) and endpoints else None
        if isinstance(current, dict):
            self._stash[current.get("type")] = copy.deepcopy(current)
        fresh = {} if value is MISSING else {"type": value}
        replacement = copy.deepcopy(self._stash.get(value, fresh))
        if isinstance(endpoints, list) and endpoints:
            endpoints[0] = replacement
        else:
            self.document[_ENDPOINT] = [replacement]
        for path, editor in self.fields.items():
            if path.startswith("endpoint.0.") and path != _ENDPOINT_TYPE_PATH:
                editor.show(get_path(self.document, path))
                self.input_problems.pop(path, None)
        self._update_visibility()
        self._on_change(self)
