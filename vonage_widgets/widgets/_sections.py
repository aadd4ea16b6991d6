"""Capability sections of the application form, built entirely from ``models.catalog``.

Private to :mod:`vonage_widgets.widgets`. A :class:`CapabilitySection` is a toggle that
reveals one capability's fields: per webhook an address, a method dropdown offering only the
catalog's methods and (voice) the two timeouts with their ranges; then the capability's
settings. Nothing here types a limit, a method or an enum value: all of it comes from the
catalog, which reads the models. A section builds its fields only when they are first
needed (switched on, filled from a loaded application, or asked for by code), so an empty
form costs a third of the widgets.

Building a document is an overlay (see :func:`overlay`): start from the loaded capability
(unknown fields included) and write only the fields the person changed, so a round trip
through the form never drops or invents anything.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as ipw

from vonage_widgets.appwrite import REMOVE, overlay_webhook, place_webhooks
from vonage_widgets.models import CapabilitySpec, Range, SettingSpec, WebhookSpec
from vonage_widgets.widgets._rows import (
    ABSENT,
    BoolRow,
    ChoiceRow,
    FieldRow,
    IntRow,
    MessageSlot,
    TextRow,
    help_html,
)

__all__ = ["CapabilitySection", "WebhookRows", "overlay", "setting_row", "title_html"]

NOT_SET = "(not set)"
"""Dropdown label for "leave this field out" on fields without an API default."""


def overlay(target: dict[str, Any], rows: Iterable[FieldRow]) -> None:
    """Write each changed row's value into ``target``; an absent value removes the key.

    Unchanged rows leave ``target`` as loaded, so a field the person never touched keeps its
    exact wire value (or stays absent and Vonage keeps applying its default).
    """
    for row in rows:
        if not row.changed:
            continue
        value = row.read()
        if value is ABSENT:
            target.pop(row.key, None)
        else:
            target[row.key] = value


def _field_value(row: FieldRow) -> Any:
    """A changed row's value for the body: its value, or REMOVE when it reads as absent."""
    value = row.read()
    return REMOVE if value is ABSENT else value


def _humanise(wire_name: str) -> str:
    return wire_name.replace("_", " ").capitalize()


def _range_help(description: str, limits: Range) -> str:
    unit = f" {limits.unit}" if limits.unit else ""
    default = f"; empty = Vonage's default, {limits.default}" if limits.default is not None else ""
    return f"{description} Allowed: {limits.minimum} to {limits.maximum}{unit}{default}."


def setting_row(prefix: str, spec: SettingSpec) -> FieldRow:
    """The row for one catalog setting: checkbox, whole-number box, dropdown or text box."""
    path = f"{prefix}.{spec.name}"
    title = spec.title or _humanise(spec.name)
    if spec.kind == "bool":
        return BoolRow(path, title, spec.description, default=spec.default)
    if spec.kind == "int":
        limits = Range(spec.minimum or 0, spec.maximum or 0, spec.default, spec.unit)
        help_text = (
            _range_help(spec.description, limits)
            if spec.minimum is not None and spec.maximum is not None
            else spec.description
        )
        return IntRow(
            path,
            title,
            help_text,
            minimum=spec.minimum,
            maximum=spec.maximum,
            default=spec.default,
        )
    if spec.kind == "enum":
        return ChoiceRow(
            path,
            title,
            spec.description,
            choices=spec.choices,
            default=spec.default,
            absent_label=NOT_SET if spec.default is None else None,
        )
    return TextRow(path, title, spec.description)


class WebhookRows:
    """The rows of one webhook: address, method and (when the catalog has them) timeouts."""

    def __init__(self, prefix: str, spec: WebhookSpec) -> None:
        self.spec = spec
        self.path = f"{prefix}.webhooks.{spec.name}"
        fields = spec.model.model_fields
        self.address = TextRow(
            f"{self.path}.address",
            spec.title or _humanise(spec.name),
            spec.description,
            placeholder="https://example.com/" + spec.name.removesuffix("_url"),
            strip=True,
        )
        self.method = ChoiceRow(
            f"{self.path}.http_method",
            "HTTP method",
            fields["http_method"].description or "",
            choices=spec.methods,
            default=spec.default_method,
            absent_label=NOT_SET if spec.default_method is None else None,
        )
        method = self.method.control
        method.layout.width = "110px"
        method.tooltip = f"HTTP method. {fields['http_method'].description or ''}".strip()
        # Address and method share one line: they are read together ("POST to this URL").
        address = self.address
        self.line = ipw.VBox(
            [
                ipw.HBox(
                    [address.label, address.control, method, address.message, self.method.message],
                    layout=ipw.Layout(align_items="center"),
                ),
                *([address.help] if address.help is not None else []),
            ],
            layout=ipw.Layout(margin="2px 0"),
        )
        self.timeouts: list[IntRow] = []
        for name in ("connect_timeout", "socket_timeout"):
            limits: Range | None = getattr(spec, name)
            if limits is None:
                continue
            description = fields[name].description or ""
            self.timeouts.append(
                IntRow(
                    f"{self.path}.{name}",
                    _humanise(name),
                    _range_help(description, limits),
                    minimum=limits.minimum,
                    maximum=limits.maximum,
                    default=limits.default,
                )
            )

    @property
    def rows(self) -> list[FieldRow]:
        """Every row of this webhook, address first."""
        return [self.address, self.method, *self.timeouts]

    def build(self, base: dict[str, Any] | None) -> dict[str, Any] | None:
        """The webhook object, or ``None`` when the person left (or made) it empty.

        Clearing the address removes the webhook, unless another of its fields was changed
        to a value: then the webhook stays and the model reports the missing address.
        """
        fields = {row.key: _field_value(row) for row in self.rows if row.changed}
        return overlay_webhook(base, fields)

    def show(self, hook: dict[str, Any] | None) -> None:
        """Fill the rows from a webhook object (``None``: the webhook is not set)."""
        hook = hook or {}
        for row in self.rows:
            row.show(hook.get(row.key, ABSENT))


class CapabilitySection:
    """One capability: a toggle, a description, and the fields the toggle reveals.

    The fields are built the first time they are needed: when the toggle is first switched
    on (by a person, or by :meth:`show` filling a loaded capability), or when code asks for
    :attr:`webhooks`, :attr:`settings`, :attr:`rows` or :attr:`advanced`. Most capabilities
    stay off, and their ~100 widgets each are most of a form's build time. ``on_build`` is
    called once, with this section, right after its fields exist (the form wires them up).
    """

    def __init__(
        self, spec: CapabilitySpec, on_build: Callable[[CapabilitySection], None] | None = None
    ) -> None:
        self.spec = spec
        self.path = f"capabilities.{spec.name}"
        self.on_build = on_build
        self.toggle = ipw.Checkbox(
            value=False,
            description=spec.title or spec.name,
            indent=False,
            layout=ipw.Layout(width="auto"),
        )
        self.slot = MessageSlot()
        self._webhooks: dict[str, WebhookRows] | None = None
        self._settings: dict[str, FieldRow] = {}
        self._advanced_rows: list[FieldRow] = []
        self._advanced: ipw.Accordion | None = None
        self.body = ipw.VBox(layout=ipw.Layout(display="none", margin="0 0 0 24px"))
        header = ipw.HBox([self.toggle, self.slot.message], layout=ipw.Layout(align_items="center"))
        description = ipw.HTML(help_html(spec.description, indent=False))
        self.widget = ipw.VBox(
            [header, description, self.body],
            layout=ipw.Layout(border="1px solid #dadce0", padding="4px 8px", margin="4px 0"),
        )
        self.toggle.observe(self._on_toggle, names="value")

    @property
    def built(self) -> bool:
        """Whether the fields exist yet (see the class notes)."""
        return self._webhooks is not None

    @property
    def webhooks(self) -> dict[str, WebhookRows]:
        """The rows of each webhook, by the catalog's webhook name (built on first use)."""
        return self._built_webhooks()

    @property
    def settings(self) -> dict[str, FieldRow]:
        """The row of each setting, by wire name (built on first use)."""
        self._built_webhooks()
        return self._settings

    @property
    def advanced(self) -> ipw.Accordion | None:
        """The collapsed "Advanced settings" group, when the capability has timeouts."""
        self._built_webhooks()
        return self._advanced

    @property
    def advanced_rows(self) -> list[FieldRow]:
        """The rows inside "Advanced settings" (timeouts, then settings); empty without it."""
        self._built_webhooks()
        return self._advanced_rows

    @property
    def enabled(self) -> bool:
        """Whether the capability is switched on (and so in the document)."""
        return bool(self.toggle.value)

    @property
    def rows(self) -> list[FieldRow]:
        """Every field row of the section, in display order (built on first use)."""
        hooks = [r for h in self.webhooks.values() for r in h.rows]
        return [*hooks, *self.settings.values()]

    @property
    def built_rows(self) -> list[FieldRow]:
        """:attr:`rows` if the fields exist, else none (never builds them)."""
        return self.rows if self.built else []

    def ensure_built(self) -> None:
        """Build the fields now if they do not exist yet."""
        self._built_webhooks()

    def message_targets(self) -> dict[str, Any]:
        """Wire path → where its errors show: each field, each webhook (its address row)
        and the capability itself (beside the toggle). Fields not built yet have none."""
        targets: dict[str, Any] = {self.path: self.slot, f"{self.path}.webhooks": self.slot}
        if self.built:
            for hook in self.webhooks.values():
                targets[hook.path] = hook.address
            targets.update({row.path: row for row in self.rows})
        return targets

    def reveal(self, row: FieldRow) -> None:
        """Make sure a row is on screen: open "Advanced settings" when the row is inside."""
        if self._advanced is not None and row in self._advanced_rows:
            self._advanced.selected_index = 0

    def show(self, capability: dict[str, Any] | None) -> None:
        """Fill the section from a capability object; ``None`` switches it off."""
        capability = capability if isinstance(capability, dict) else None
        self.toggle.value = capability is not None
        if not self.built:
            return  # off and never built: fresh fields will show "absent" already
        data = capability or {}
        hooks = data.get("webhooks")
        hooks = hooks if isinstance(hooks, dict) else {}
        for name, hook_rows in self.webhooks.items():
            hook = hooks.get(name)
            hook_rows.show(hook if isinstance(hook, dict) else None)
        for row in self.settings.values():
            row.show(data.get(row.key, ABSENT))

    def build(self, base: dict[str, Any] | None) -> dict[str, Any] | None:
        """The capability object (the loaded one with the changes overlaid), or ``None``
        when the toggle is off."""
        if not self.enabled:
            return None
        capability = copy.deepcopy(base) if isinstance(base, dict) else {}
        overlay(capability, self.settings.values())
        loaded = capability.get("webhooks")
        hooks = loaded if isinstance(loaded, dict) else {}
        place_webhooks(
            capability,
            {
                name: hook_rows.build(hook if isinstance(hook := hooks.get(name), dict) else None)
                for name, hook_rows in self.webhooks.items()
            },
        )
        return capability

    def _built_webhooks(self) -> dict[str, WebhookRows]:
        if self._webhooks is None:
            self._webhooks = self._build_fields()
            if self.on_build is not None:
                self.on_build(self)
        return self._webhooks

    def _build_fields(self) -> dict[str, WebhookRows]:
        """Make every field of the capability and put them in :attr:`body`."""
        spec = self.spec
        webhooks = {hook.name: WebhookRows(self.path, hook) for hook in spec.webhooks}
        self._settings = {s.name: setting_row(self.path, s) for s in spec.settings}
        main: list[ipw.Widget] = [hook_rows.line for hook_rows in webhooks.values()]
        advanced_rows = [t for h in webhooks.values() for t in h.timeouts]
        # Timeouts are rarely changed; when a capability has them, its settings join them in
        # a collapsed "Advanced settings" group so the common fields stay in view.
        if advanced_rows:
            self._advanced_rows = [*advanced_rows, *self._settings.values()]
            group: list[ipw.Widget] = []
            for hook_rows in webhooks.values():
                if hook_rows.timeouts:
                    heading = f"<i>{html.escape(hook_rows.spec.title, quote=False)}</i>"
                    group.append(ipw.HTML(heading))
                    group += [t.widget for t in hook_rows.timeouts]
            if self._settings:
                group.append(ipw.HTML(f"<i>{html.escape(spec.title, quote=False)} settings</i>"))
                group += [r.widget for r in self._settings.values()]
            self._advanced = ipw.Accordion(
                children=[ipw.VBox(group)], titles=("Advanced settings",), selected_index=None
            )
            main.append(self._advanced)
        else:
            main += [r.widget for r in self._settings.values()]
        self.body.children = main
        return webhooks

    def _on_toggle(self, change: dict[str, Any]) -> None:
        if change["new"]:
            self.ensure_built()  # before the form's own observer validates the document
        self.body.layout.display = "" if change["new"] else "none"


def title_html(text: str) -> str:
    """A section heading."""
    return f'<h4 style="margin:8px 0 2px 0">{html.escape(text, quote=False)}</h4>'
