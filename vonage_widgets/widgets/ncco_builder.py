"""NccoBuilder: write the NCCO that answers a call, one action card at a time, checked live.

The builder is a view (``docs/architecture.md``, "Layers"): every button calls a plain method
(:meth:`~NccoBuilder.add`, :meth:`~NccoBuilder.move`, :meth:`~NccoBuilder.remove`,
:meth:`~NccoBuilder.clear`, :meth:`~NccoBuilder.load`, :meth:`~NccoBuilder.load_template`)
that a notebook cell or a test calls too, and results live in trait values and attributes
(``ncco``, ``errors``, ``warnings``, ``valid``, ``summary``, ``status``, ``json_preview``).

Everything it knows about actions comes from :mod:`vonage_widgets.models.ncco`: the menu
lists ``ACTIONS``, each input's type, choices and range are read from the action models, and
after every change the whole document goes through ``check_ncco``, the function the parser
and the sandbox use, so the builder, the API emulator and ``Ncco.build()`` always agree.
The document is kept as JSON, not as models, so a loaded NCCO (unknown keys, key order,
``1`` vs ``1.0``) comes back exactly as it went in.
"""

from __future__ import annotations

import copy
import html
import json
import keyword
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, NoReturn

import ipywidgets as ipw
import traitlets

from vonage_widgets._json import loads
from vonage_widgets.errors import FieldError, ValidationError, VonageWidgetsError
from vonage_widgets.models.ncco import (
    ACTIONS,
    Ncco,
    check_ncco,
    forward_to_phone,
    ivr_menu,
    voicemail,
)
from vonage_widgets.widgets._ncco_cards import NEW_ACTION_SEEDS, ActionCard
from vonage_widgets.widgets._ncco_fields import messages_html

__all__ = ["TEMPLATES", "NccoBuilder", "NccoTemplate"]

_SUBJECT: Final = "NCCO"
_STATUS_COLOURS: Final = {"info": "#202124", "ok": "#137333", "error": "#b00020"}


@dataclass(frozen=True, slots=True)
class NccoTemplate:
    """A ready-made NCCO: a title for the menu, the models' factory and example arguments."""

    title: str
    factory: Callable[..., Ncco]
    example: Mapping[str, Any]


# Example numbers are from Ofcom's drama range (447700900xxx), never a real line; URLs are
# example.com. Load a template, then edit its cards, or pass your own values as parameters.
TEMPLATES: Final[dict[str, NccoTemplate]] = {
    "forward_to_phone": NccoTemplate(
        "Forward to a phone (talk + connect)",
        forward_to_phone,
        {"to": "447700900001", "from_": "447700900000"},
    ),
    "ivr_menu": NccoTemplate(
        "IVR menu (talk with bargeIn + input)",
        ivr_menu,
        {
            "prompt": "Welcome.",
            "options": {"1": "sales", "2": "support"},
            "event_url": "https://example.com/webhooks/ivr",
        },
    ),
    "voicemail": NccoTemplate(
        "Voicemail (talk + record)",
        voicemail,
        {
            "greeting": "Please leave a message after the tone, then press the hash key.",
            "event_url": "https://example.com/webhooks/recordings",
        },
    ),
}
"""Templates by name, as :meth:`NccoBuilder.load_template` takes them."""


class NccoBuilder(ipw.VBox):  # type: ignore[misc]
    """An ipywidgets editor for one NCCO: action cards, live checks, JSON preview, templates.

    ``ncco`` is what to start from: a list of actions, an :class:`~vonage_widgets.models.Ncco`
    or JSON text (raises :class:`~vonage_widgets.errors.ValidationError` if it is not an array
    of objects). Show it with ``display(builder)`` or as a cell's last value; read the result
    from :attr:`ncco` (or :meth:`build`, which refuses an NCCO with problems).
    """

    ncco: traitlets.List[dict[str, Any]] = traitlets.List(
        read_only=True, help="The current NCCO as JSON-ready data."
    )
    errors: traitlets.List[FieldError] = traitlets.List(
        read_only=True, help="FieldErrors: every rule the NCCO breaks."
    )
    warnings: traitlets.List[FieldError] = traitlets.List(
        read_only=True, help="FieldErrors: allowed but suspicious."
    )
    valid = traitlets.Bool(False, read_only=True, help="Whether the NCCO breaks no rule.")

    def __init__(self, ncco: Sequence[Any] | Ncco | str | None = None, **kwargs: Any) -> None:
        self._cards: list[ActionCard] = []
        self.action_menu = ipw.Dropdown(
            options=list(ACTIONS), value=next(iter(ACTIONS)), layout=ipw.Layout(width="150px")
        )
        self.add_button = ipw.Button(description="Add", icon="plus", layout=_AUTO)
        self.template_menu = ipw.Dropdown(
            options=[(t.title, name) for name, t in TEMPLATES.items()],
            layout=ipw.Layout(width="300px"),
        )
        self.template_button = ipw.Button(description="Load template", layout=_AUTO)
        self.clear_button = ipw.Button(description="Clear", icon="times", layout=_AUTO)
        self.summary = ipw.HTML()
        """One line: "valid NCCO, 3 actions" or "2 problems", and problems of the whole NCCO."""
        self.status = ipw.HTML()
        """What the last load, template or refused command did; emptied by a card edit."""
        self.cards_box = ipw.VBox()
        self.json_preview = ipw.Textarea(disabled=True, rows=12, layout=ipw.Layout(width="100%"))
        """The NCCO as pretty JSON: exactly ``json.dumps(builder.ncco, indent=2)``."""
        self.json_input = ipw.Textarea(
            placeholder="Paste an NCCO (a JSON array of actions) here, then Load JSON",
            rows=4,
            layout=ipw.Layout(width="100%"),
        )
        self.load_json_button = ipw.Button(description="Load JSON", layout=_AUTO)
        toolbar = ipw.HBox(
            [
                self.action_menu,
                self.add_button,
                ipw.HTML("&emsp;"),
                self.template_menu,
                self.template_button,
                ipw.HTML("&emsp;"),
                self.clear_button,
            ],
            layout=ipw.Layout(flex_flow="row wrap", align_items="center"),
        )
        json_panel = ipw.Accordion(
            [
                self.json_preview,
                ipw.VBox([self.json_input, self.load_json_button, self.status]),
            ],
            titles=("JSON preview", "Load JSON"),
        )
        super().__init__([toolbar, self.summary, self.status, self.cards_box, json_panel], **kwargs)
        self._connect()
        if ncco is not None:
            self.load(ncco)
        else:
            self._refresh()

    def _connect(self) -> None:
        self.add_button.on_click(self._clicked(lambda: self.add(self.action_menu.value)))
        self.template_button.on_click(
            self._clicked(lambda: self.load_template(self.template_menu.value))
        )
        self.clear_button.on_click(self._clicked(self.clear))
        self.load_json_button.on_click(self._clicked(lambda: self.load(self.json_input.value)))

    def _clicked(self, action: Callable[[], Any]) -> Callable[[ipw.Button], None]:
        def handler(_button: ipw.Button) -> None:
            try:
                action()
            except VonageWidgetsError:
                pass  # the method already said why in the status line
            except Exception as error:  # a bug: still tell the person
                self._say(f"Unexpected error: {type(error).__name__}: {error}", "error")

        return handler

    # -- reading ---------------------------------------------------------------------------

    @property
    def cards(self) -> tuple[ActionCard, ...]:
        """The action cards in NCCO order (``cards[i]`` edits ``ncco[i]``)."""
        return tuple(self._cards)

    @property
    def errors_by_action(self) -> dict[int, list[FieldError]]:
        """The current errors grouped by the index of the action they belong to."""
        grouped: dict[int, list[FieldError]] = {}
        for error in self.errors:
            head = error.path.split(".", 1)[0]
            if head.isdigit():
                grouped.setdefault(int(head), []).append(error)
        return grouped

    def to_json(self, *, indent: int | None = 2) -> str:
        """The current NCCO as JSON text (what an answer webhook returns)."""
        return json.dumps(self.ncco, indent=indent, ensure_ascii=False)

    def build(self) -> list[dict[str, Any]]:
        """The current NCCO, or :class:`ValidationError` listing every problem it has."""
        if self.errors:
            raise ValidationError(self.errors, subject=_SUBJECT)
        return copy.deepcopy(self.ncco)

    # -- commands (each button calls one) --------------------------------------------------

    def add(self, action_name: str, **fields: Any) -> None:
        """Append an action; ``fields`` are its JSON keys (``from_`` for ``from``).

        Nothing is rejected here but an unknown action name: the new card shows what is
        missing or wrong, as any other edit would.
        """
        if action_name not in ACTIONS:
            known = ", ".join(ACTIONS)
            self._refuse(FieldError("action", f"'{action_name}' is not an action ({known})"))
        document: dict[str, Any] = {"action": action_name}
        document.update(copy.deepcopy(NEW_ACTION_SEEDS.get(action_name, {})))
        document.update({_wire_key(k): copy.deepcopy(v) for k, v in fields.items()})
        self._require_json(document)
        self._cards.append(self._new_card(document))
        self._say(f"Added a {action_name} action as [{len(self._cards) - 1}].", "info")
        self._relayout()

    def move(self, index: int, offset: int) -> None:
        """Move action ``index`` by ``offset`` places (-1 = up); stops at either end."""
        self._check_index(index)
        target = min(max(index + offset, 0), len(self._cards) - 1)
        card = self._cards.pop(index)
        self._cards.insert(target, card)
        self._relayout()

    def remove(self, index: int) -> None:
        """Remove action ``index``."""
        self._check_index(index)
        card = self._cards.pop(index)
        self._say(f"Removed the {card.kind or 'unknown'} action [{index}].", "info")
        self._relayout()

    def clear(self) -> None:
        """Remove every action."""
        self._cards = []
        self._say("Cleared.", "info")
        self._relayout()

    def load(self, ncco: Sequence[Any] | Ncco | str) -> None:
        """Replace the NCCO with ``ncco``: a list of actions, an ``Ncco`` or JSON text.

        Actions with problems load (their cards show the problems). What cannot be shown as
        cards at all (text that is not JSON, a value that is not an array of objects) is
        refused: the status says why, the current NCCO stays, and ValidationError is raised.
        """
        data = self._as_json(ncco)
        if isinstance(data, _NotJson):
            self._refuse(FieldError("", data.message))
        if not isinstance(data, list):
            self._refuse(*check_ncco(data).errors)  # "must be a JSON array of actions"
        self._require_json(data)
        # An item that is not an object cannot be a card (the models' message says so).
        not_objects = [e for e in check_ncco(data).errors if e.path.isdigit()]
        if not_objects:
            self._refuse(*not_objects)
        self._cards = [self._new_card(copy.deepcopy(item)) for item in data]
        count = len(self._cards)
        self._say(f"Loaded {count} action{'' if count == 1 else 's'}.", "ok")
        self._relayout()

    def load_template(self, name: str, **params: Any) -> None:
        """Replace the NCCO with a template (see :data:`TEMPLATES`), ``params`` over its example.

        For example ``load_template("forward_to_phone", to="447700900123")``.
        """
        template = TEMPLATES.get(name)
        if template is None:
            known = ", ".join(TEMPLATES)
            self._refuse(FieldError("template", f"'{name}' is not a template ({known})"))
        try:
            ncco = template.factory(**{**template.example, **params})
        except ValidationError as error:
            self._refuse(*error.errors)
        except TypeError as error:  # a parameter the template does not take
            self._refuse(FieldError("template", str(error)))
        self.load(ncco)
        self.template_menu.value = name  # the menu names what is loaded (no handler on it)
        self._say(f"Loaded the template '{template.title}'.", "ok")

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _as_json(ncco: Sequence[Any] | Ncco | str) -> Any:
        if isinstance(ncco, Ncco):
            return ncco.to_list()
        if isinstance(ncco, str | bytes):
            try:
                return loads(ncco, subject=_SUBJECT)
            except ValidationError as exc:
                return _NotJson("; ".join(problem.message for problem in exc.errors))
        return list(ncco) if isinstance(ncco, Sequence) else ncco

    def _require_json(self, data: Any) -> None:
        try:
            json.dumps(data, allow_nan=False)
        except (TypeError, ValueError) as exc:
            self._refuse(FieldError("", f"must contain only JSON values: {exc}"))

    def _refuse(self, *errors: FieldError) -> NoReturn:
        self._say("Not changed: " + "; ".join(_describe(e) for e in errors), "error")
        raise ValidationError(errors, subject=_SUBJECT)

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self._cards):
            last = len(self._cards) - 1
            rule = f"must be between 0 and {last}" if last >= 0 else "is invalid: no actions"
            self._refuse(FieldError("index", rule))

    def _new_card(self, document: dict[str, Any]) -> ActionCard:
        card = ActionCard(document, lambda _card: self._edited())
        card.up_button.on_click(self._clicked(lambda: self.move(self._cards.index(card), -1)))
        card.down_button.on_click(self._clicked(lambda: self.move(self._cards.index(card), 1)))
        card.remove_button.on_click(self._clicked(lambda: self.remove(self._cards.index(card))))
        return card

    def _relayout(self) -> None:
        count = len(self._cards)
        for index, card in enumerate(self._cards):
            card.set_position(index, count)
        self.cards_box.children = [card.widget for card in self._cards]
        self._refresh()

    def _edited(self) -> None:
        """A field of a card changed: the last command's message is history now."""
        self.status.value = ""  # the summary line above tells the current state
        self._refresh()

    def _refresh(self) -> None:
        """Check the whole NCCO and show every problem where it belongs."""
        document = [copy.deepcopy(card.document) for card in self._cards]
        result = check_ncco(document)
        errors = list(result.errors)
        for index, card in enumerate(self._cards):
            errors += [FieldError(f"{index}.{p}", m) for p, m in card.input_problems.items()]
        for index, card in enumerate(self._cards):
            card.show_problems(_inside(errors, index), _inside(result.warnings, index))
        general = [e for e in errors if not e.path.split(".", 1)[0].isdigit()]
        self.summary.value = _summary(len(document), errors, result.warnings, general)
        self.json_preview.value = json.dumps(document, indent=2, ensure_ascii=False)
        with self.hold_trait_notifications():
            self.set_trait("errors", errors)
            self.set_trait("warnings", list(result.warnings))
            self.set_trait("valid", not errors)
            self.set_trait("ncco", document)

    def _say(self, text: str, kind: str) -> None:
        colour = _STATUS_COLOURS.get(kind, _STATUS_COLOURS["info"])
        self.status.value = f'<span style="color:{colour}">{html.escape(text, quote=False)}</span>'

    def __repr__(self) -> str:
        return f"NccoBuilder(actions={len(self._cards)}, valid={self.valid})"


_AUTO: Final = ipw.Layout(width="auto")


@dataclass(frozen=True, slots=True)
class _NotJson:
    message: str


def _wire_key(name: str) -> str:
    # Python cannot say from="..."; the builder's fluent API uses from_ for it too.
    stripped = name.rstrip("_")
    return stripped if name.endswith("_") and keyword.iskeyword(stripped) else name


def _describe(error: FieldError) -> str:
    """A problem as a sentence: the NCCO, an action by index, or a field by path."""
    if not error.path:
        return f"the NCCO {error.message}"
    if error.path.isdigit():
        return f"action [{error.path}] {error.message}"
    return str(error)


def _inside(problems: list[FieldError], index: int) -> list[FieldError]:
    prefix = f"{index}."
    out: list[FieldError] = []
    for problem in problems:
        if problem.path == str(index):
            out.append(FieldError("", problem.message))
        elif problem.path.startswith(prefix):
            out.append(FieldError(problem.path[len(prefix) :], problem.message))
    return out


def _summary(
    count: int, errors: list[FieldError], warnings: list[FieldError], general: list[FieldError]
) -> str:
    actions = f"{count} action{'' if count == 1 else 's'}"
    notes = f", {len(warnings)} warning{'' if len(warnings) == 1 else 's'}" if warnings else ""
    if not errors:
        head = f'<b style="color:#137333">✓ valid NCCO, {actions}{notes}</b>'
    else:
        problems = f"{len(errors)} problem{'' if len(errors) == 1 else 's'}"
        head = f'<b style="color:#b00020">✗ {problems}</b> ({actions}{notes})'
    detail = messages_html([_describe(e) for e in general])
    return head + (f"<br>{detail}" if detail else "")
