"""ApplicationForm: create, edit and delete a Vonage application without breaking it.

The form is a view (``docs/architecture.md``, "Layers"): every button calls a plain method
(:meth:`~ApplicationForm.save`, :meth:`~ApplicationForm.load`,
:meth:`~ApplicationForm.preview_changes`, :meth:`~ApplicationForm.delete`,
:meth:`~ApplicationForm.reset`, :meth:`~ApplicationForm.generate_keys`) that a notebook cell or
a test can call too, and results live in attributes and trait values (``application``,
``status``, ``errors``, ``mode``, ``save_button.disabled``), never only in an ``Output``.

Why nothing typed can break an application:

* Every field, limit, method and choice comes from ``models.catalog`` (which reads the
  models), and the document the form builds is checked by ``models.validate_application``,
  the very function the sandbox uses for its 400 answers, after every keystroke. Each
  problem shows beside the field its wire path names; Save stays disabled while any remain.
* The document is the loaded application (``Application.to_api()``, unknown capabilities and
  fields included) with only the fields the person changed written over it, so an update
  never drops what the form does not model.
* A generated private key is written to disk (mode 0600) before the request is sent, and
  kept in memory if that fails (:meth:`~ApplicationForm.retry_save_key`); no widget value,
  status text or repr ever holds it.
"""

from __future__ import annotations

import copy
import html
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import ipywidgets as ipw
import pandas as pd
import traitlets
from pydantic import SecretStr

from vonage_widgets.appwrite import keep_returned_key, returned_key_file
from vonage_widgets.client.protocol import ApiClient
from vonage_widgets.errors import (
    ApiError,
    FieldError,
    KeyHandlingError,
    ValidationError,
    VonageWidgetsError,
)
from vonage_widgets.keys import KeyPair, fingerprint, public_key_pem
from vonage_widgets.models import (
    CAPABILITIES,
    PRIVACY_SETTINGS,
    Application,
    validate_application,
)
from vonage_widgets.redact import redact
from vonage_widgets.tables.changes import changes_frame
from vonage_widgets.tables.display import styled
from vonage_widgets.widgets._document import (
    default_keys_dir,
    key_file_name,
    route_errors,
)
from vonage_widgets.widgets._keys_panel import GENERATE, KeysPanel
from vonage_widgets.widgets._rows import (
    ABSENT,
    FieldRow,
    TextRow,
    help_html,
    message_html,
)
from vonage_widgets.widgets._sections import CapabilitySection, overlay, setting_row, title_html

__all__ = ["NEW_APPLICATION", "NEW_APPLICATION_VALUE", "ApplicationForm", "ApplicationsClient"]

NEW_APPLICATION = "(new application)"
"""The label of the application picker's first option: an empty form that creates one."""

NEW_APPLICATION_VALUE = ""
"""The value of that option. Not ``None``: a dropdown whose value is ``None`` has no selected
index, and the browser then shows an empty box instead of the label."""

_STATUS_COLOURS = {"info": "#202124", "ok": "#137333", "warn": "#b06000", "error": "#b00020"}
_GENERATED_ON_SAVE = "(new key pair, generated when you save)"


ApplicationsClient = ApiClient
"""What the form needs from a client: ``VonageClient`` (:class:`ApiClient`)."""


class _MessageTarget(Protocol):
    def set_messages(self, messages: list[str]) -> None: ...


class ApplicationForm(ipw.VBox):  # type: ignore[misc]
    """An ipywidgets form that creates, edits and deletes one Vonage application.

    ``client`` is a :class:`~vonage_widgets.client.VonageClient` (or ``None`` to only build and
    check documents). ``keys_dir`` is where generated private keys are saved (default
    ``<VONAGE_WIDGETS_HOME>/keys``). ``application`` (an :class:`Application` or an id) opens
    the form in edit mode on it. ``path_label`` turns a key file's path into the text shown
    (default: the path as it is; the workbook shows ``<home>/keys/...``). Show it with
    ``display(form)`` or as a cell's last value.
    """

    mode = traitlets.Enum(("create", "edit"), default_value="create", help="create or edit")
    application = traitlets.Instance(
        Application, allow_none=True, help="The application last loaded or saved."
    )
    errors = traitlets.Dict(help="Wire path -> messages of every current problem.")
    valid = traitlets.Bool(False, help="Whether the document passes every rule.")

    def __init__(
        self,
        client: ApplicationsClient | None = None,
        *,
        keys_dir: str | Path | None = None,
        application: Application | str | None = None,
        path_label: Callable[[Path | str], str] | None = None,
    ) -> None:
        super().__init__(layout=ipw.Layout(width="100%", max_width="1000px"))
        self.client = client
        self.keys_dir = Path(keys_dir).expanduser() if keys_dir is not None else default_keys_dir()
        self._path_label: Callable[[Path | str], str] = path_label or str
        self.key_path: Path | None = None
        """The private key file this form saved last (shown in the status, never read)."""
        self._base: dict[str, Any] = {}
        self._api_errors: list[FieldError] = []
        self._armed = False
        self._busy = False
        self._quiet = 0
        self._build_widgets()
        self._connect()
        if application is None:
            self.new()
        elif isinstance(application, Application):
            self._show_application(application)
            self._say(f"Editing application {self._label(application)}.", "info")
        else:
            self.load(application)

    # -- layout ----------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.app_picker = ipw.Dropdown(
            options=[(NEW_APPLICATION, NEW_APPLICATION_VALUE)],
            value=NEW_APPLICATION_VALUE,
            description="Application",
            layout=ipw.Layout(width="460px"),
        )
        self.refresh_button = ipw.Button(description="Refresh list", icon="refresh")
        name_field = Application.model_fields["name"]
        self.name_row = TextRow(
            "name",
            "Name",
            name_field.description or "",
            placeholder="My Vonage application",
            keep_empty=True,
        )
        # Each section builds its fields when first switched on (or asked for): see
        # CapabilitySection. _section_built wires them up when that happens.
        self.sections: dict[str, CapabilitySection] = {
            spec.name: CapabilitySection(spec, on_build=self._section_built)
            for spec in CAPABILITIES
        }
        self.privacy_rows: list[FieldRow] = [setting_row("privacy", s) for s in PRIVACY_SETTINGS]
        self.key_panel = KeysPanel()
        self.key_panel.show_path = self._path_label
        self.general = ipw.HTML()
        self.save_button = ipw.Button(
            description="Save",
            icon="save",
            button_style="primary",
            disabled=True,
            layout=_whole_button(),
        )
        self.preview_button = ipw.Button(
            description="Preview changes", icon="list", layout=_whole_button()
        )
        self.reset_button = ipw.Button(description="Reset", icon="undo", layout=_whole_button())
        self.delete_button = ipw.Button(
            description="Delete", icon="trash", disabled=True, layout=_whole_button()
        )
        self.preview = ipw.HTML()
        self.status = ipw.HTML()
        self.save_summary = ipw.HTML(layout=ipw.Layout(flex="1 1 auto", margin="0 0 0 8px"))
        """Beside Save: while Save is disabled, which fields stop it and why (else empty)."""
        picker_row = ipw.HBox([self.app_picker, self.refresh_button])
        buttons = ipw.HBox(
            [
                self.save_button,
                self.preview_button,
                self.reset_button,
                self.delete_button,
                self.save_summary,
            ],
            layout=ipw.Layout(align_items="center"),
        )
        self.children = [
            ipw.HTML(title_html("Vonage application")),
            picker_row,
            self.name_row.widget,
            ipw.HTML(title_html("Capabilities")),
            ipw.HTML(help_html("Switch on what the application does.", indent=False)),
            *(section.widget for section in self.sections.values()),
            ipw.HTML(title_html("Privacy")),
            *(row.widget for row in self.privacy_rows),
            ipw.HTML(title_html("Keys")),
            self.key_panel.widget,
            self.general,
            buttons,
            self.preview,
            self.status,
        ]
        self._targets = self._message_targets()

    def _message_targets(self) -> dict[str, _MessageTarget]:
        targets: dict[str, _MessageTarget] = {"name": self.name_row}
        for section in self.sections.values():
            targets.update(section.message_targets())
        targets.update({row.path: row for row in self.privacy_rows})
        targets["keys"] = self.key_panel.slot
        targets["keys.public_key"] = self.key_panel.slot
        return targets

    @property
    def widget(self) -> ApplicationForm:
        """The widget to display: the form itself (for code expecting a ``.widget``)."""
        return self

    @property
    def rows(self) -> Mapping[str, FieldRow]:
        """Every field row by wire path (name, capability fields, privacy).

        Looking up one path builds only its capability's fields if they do not exist yet;
        iterating builds them all.
        """
        return _FormRows(self)

    def _built_rows(self) -> list[FieldRow]:
        """The rows that exist now: name, the built capability sections, privacy."""
        found: list[FieldRow] = [self.name_row]
        for section in self.sections.values():
            found += section.built_rows
        return found + self.privacy_rows

    def _section_built(self, section: CapabilitySection) -> None:
        """A section just made its fields: validate on their edits, route messages to them."""
        for row in section.rows:
            row.control.observe(self._on_edit, names="value")
        if hasattr(self, "_targets"):  # else _build_widgets computes them with this section
            self._targets.update(section.message_targets())

    def _connect(self) -> None:
        for row in self._built_rows():
            row.control.observe(self._on_edit, names="value")
        for section in self.sections.values():
            section.toggle.observe(self._on_edit, names="value")
        panel = self.key_panel
        panel.choice.observe(self._on_edit, names="value")
        panel.public_key_text.observe(self._on_edit, names="value")
        panel.generate_button.on_click(self._clicked(self.generate_keys))
        panel.check_button.on_click(self._clicked(self.check_private_key))
        self.save_button.on_click(self._clicked(self.save))
        self.preview_button.on_click(self._clicked(self.preview_changes))
        self.reset_button.on_click(self._clicked(self.reset))
        self.delete_button.on_click(self._clicked(self.delete))
        self.refresh_button.on_click(self._clicked(self.refresh_applications))
        self.app_picker.observe(self._on_pick, names="value")

    def _clicked(self, action: Callable[[], Any]) -> Callable[[ipw.Button], None]:
        def handler(_button: ipw.Button) -> None:
            try:
                action()
            except VonageWidgetsError:
                pass  # the method already put the problem in the status
            except Exception as error:  # a bug: still tell the person, without secrets
                self._say(f"Unexpected error: {type(error).__name__}: {error}", "error")

        return handler

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Fill widgets without each change re-validating the whole form."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # -- the document ----------------------------------------------------------------------

    def document(self) -> dict[str, Any]:
        """The request body the form would send now (POST or PUT), unchecked.

        The loaded application's ``to_api()`` with the person's changes written over it:
        capabilities and fields the form does not model are carried through unchanged.
        """
        base = self._base
        doc = copy.deepcopy(base)
        doc["name"] = str(self.name_row.control.value)
        loaded_caps = base.get("capabilities")
        caps: dict[str, Any] = copy.deepcopy(loaded_caps) if isinstance(loaded_caps, dict) else {}
        for name, section in self.sections.items():
            built = section.build(caps.get(name))
            if built is None:
                caps.pop(name, None)
            else:
                caps[name] = built
        self._place(doc, "capabilities", caps)
        loaded_privacy = base.get("privacy")
        privacy = copy.deepcopy(loaded_privacy) if isinstance(loaded_privacy, dict) else {}
        overlay(privacy, self.privacy_rows)
        self._place(doc, "privacy", privacy)
        keys = self.key_panel.build(base.get("keys"))
        self._place(doc, "keys", keys or {})
        return doc

    def _place(self, doc: dict[str, Any], key: str, value: dict[str, Any]) -> None:
        # An empty object is sent only when the loaded application had that object.
        if value or key in self._base:
            doc[key] = value
        else:
            doc.pop(key, None)

    def validate(self) -> dict[str, list[str]]:
        """Check the document now; show each problem beside its field; return ``errors``."""
        problems = list(self.key_panel.errors())
        try:
            validate_application(self.document())
        except ValidationError as error:
            problems = error.errors + problems
        problems += self._api_errors
        self._show_problems(problems)
        self.key_panel.describe(self._prospective_key_path())
        return dict(self.errors)

    def _show_problems(self, problems: list[FieldError]) -> None:
        routed, general = route_errors(problems, self._targets)
        per_target: dict[int, tuple[_MessageTarget, list[str]]] = {}
        for path, target in self._targets.items():
            entry = per_target.setdefault(id(target), (target, []))
            entry[1].extend(routed.get(path, []))
        for target, messages in per_target.values():
            target.set_messages(messages)
            if messages and isinstance(target, FieldRow):
                for section in self.sections.values():
                    section.reveal(target)
        self.general.value = message_html([str(e) for e in general])
        collected: dict[str, list[str]] = {}
        for problem in problems:
            collected.setdefault(problem.path, []).append(problem.message)
        self.errors = collected
        self.valid = not problems
        self.save_summary.value = _summary_html(collected)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.disabled = self._busy or not self.valid
        self.delete_button.disabled = self._busy or self.mode != "edit"
        self.delete_button.description = "Confirm delete" if self._armed else "Delete"
        self.delete_button.button_style = "danger" if self._armed else ""
        can_list = self.client is not None
        self.refresh_button.disabled = not can_list

    def _on_edit(self, _change: dict[str, Any]) -> None:
        if self._quiet:
            return
        self._api_errors = []  # the person is fixing things: the API's verdict is stale
        self._armed = False
        self.validate()
        if self.preview.value:  # a preview on screen must never be stale
            self.preview_changes()
        self._say_state()

    def _say_state(self) -> None:
        """After an edit: the status tells where the form is now, never an earlier outcome."""
        if not self.valid:
            count = sum(len(messages) for messages in self.errors.values())
            self._say(
                f"Not ready to save: {count} problem{'s' * (count != 1)} (listed beside Save "
                "and shown at each field).",
                "warn",
            )
        elif self.mode == "create":
            self._say("Ready to create the application: press Save.", "info")
        elif self.application is not None:
            label = self._label(self.application)
            if self._has_changes():
                self._say(f"Unsaved changes to {label}: press Save (or Reset).", "info")
            else:
                self._say(f"Editing {label}: no unsaved changes.", "info")

    def _has_changes(self) -> bool:
        if self.key_panel.mode == GENERATE:
            return True
        return not changes_frame(self._base, self.document()).empty

    # -- create / edit ---------------------------------------------------------------------

    def new(self) -> None:
        """Empty the form to create a new application (mode ``"create"``)."""
        self._base = {}
        self.application = None
        self.mode = "create"
        with self._quietly():
            self.name_row.show("")
            for section in self.sections.values():
                section.show(None)
            for row in self.privacy_rows:
                row.show(ABSENT)
            self.key_panel.start(editing=False, current_public_key=None)
            self.app_picker.value = NEW_APPLICATION_VALUE
            self.preview.value = ""
        self._settle()
        self._say("New application: fill in the fields, then Save.", "info")

    def load(self, application: str | Application) -> Application:
        """Open an application for editing: by id (fetched with the client) or as a model."""
        if isinstance(application, Application):
            app = application
        else:
            client = self._require_client()
            try:
                app = client.applications.get(application)
            except VonageWidgetsError as error:
                self._say(f"Could not load application {application!r}: {error}", "error")
                raise
        loaded = self._show_application(app)
        self._say(f"Loaded application {self._label(loaded)}. Change fields, then Save.", "info")
        return loaded

    def _show_application(self, app: Application) -> Application:
        clean = Application.from_api(app.to_dict())  # never keep a private key around
        self._base = clean.to_api()
        self.application = clean
        self.mode = "edit"
        with self._quietly():
            self._fill_from_base()
            public = clean.keys.public_key if clean.keys is not None else None
            self.key_panel.start(editing=True, current_public_key=public)
            self._select_in_picker(clean)
            self.preview.value = ""
        self._settle()
        return clean

    def _fill_from_base(self) -> None:
        base = self._base
        self.name_row.show(base.get("name", ""))
        caps = base.get("capabilities")
        caps = caps if isinstance(caps, dict) else {}
        for name, section in self.sections.items():
            section.show(caps.get(name))
        privacy = base.get("privacy")
        privacy = privacy if isinstance(privacy, dict) else {}
        for row in self.privacy_rows:
            row.show(privacy.get(row.key, ABSENT))

    def _settle(self) -> None:
        """After filling: remember every input as unchanged and re-check."""
        for row in self._built_rows():  # fields built later start unchanged anyway
            row.mark_pristine()
        self._api_errors = []
        self._armed = False
        self.validate()

    def reset(self) -> None:
        """Discard unsaved changes: back to the loaded application, or to an empty form."""
        if self.mode == "edit" and self.application is not None:
            self._show_application(self.application)
            self._say(f"Changes discarded; showing {self._label(self.application)}.", "info")
        else:
            self.new()

    def preview_changes(self) -> pd.DataFrame:
        """The changes Save would send: one row per field (wire path, before, after).

        ``None`` means absent. Shown under the buttons too. In create mode "before" is empty.
        """
        extra: list[tuple[str, Any]] = []
        if self.key_panel.mode == GENERATE and self.key_panel.pair is None:
            extra.append(("keys.public_key", _GENERATED_ON_SAVE))
        frame = changes_frame(self._base, self.document(), extra)
        if frame.empty:
            self.preview.value = "<i>No changes.</i>"
        else:
            shown = frame.map(_cell)
            self.preview.value = styled(shown, caption="Changes to save")._repr_html_()
        return frame

    def save(self) -> Application:
        """Create (mode ``"create"``) or update (mode ``"edit"``) the application.

        Checks the document first; a generated private key is saved before the request.
        Returns the saved application; on failure the status and the fields say why and the
        package error is raised (a ValidationError, KeyHandlingError or ApiError ...).
        """
        client = self._require_client()
        problems = self.validate()
        if problems:
            count = sum(len(m) for m in problems.values())
            self._say(
                f"Not saved: fix the {count} problem{'s' * (count != 1)} shown beside the "
                "fields first.",
                "error",
            )
            raise ValidationError(
                [FieldError(p, m) for p, ms in problems.items() for m in ms], subject="application"
            )
        saved_key: Path | None = None
        if self.key_panel.mode == GENERATE:
            saved_key = self._save_generated_key()
        document = self.document()
        self._busy = True
        self._update_buttons()
        self.save_button.description = "Saving…"
        try:
            result = self._send_request(client, document)
        finally:
            self._busy = False
            self.save_button.description = "Save"
            self._update_buttons()
        returned_key, unsaved_error = self._keep_returned_private_key(result)
        pending = self.key_panel.pair if unsaved_error is not None else None
        created = self.mode == "create"
        saved = self._show_application(result)  # resets the key panel ...
        if pending is not None:  # ... but a one-time key that is not on disk must survive
            self.key_panel.pair = pending
            self.key_panel.saved_path = None
        self._remember_in_picker(saved)
        key_file = saved_key or returned_key
        if key_file is not None:
            self.key_path = key_file
        verb = "Created" if created else "Updated"
        if unsaved_error is not None:
            self._say(
                f"{verb} application {self._label(saved)}, but its private key is NOT saved "
                f"yet: {unsaved_error} Vonage returns this key only once; it is kept in memory:"
                " call form.retry_save_key(path) with a file or folder you can write to.",
                "error",
            )
            return saved
        shown = self._path_label(key_file) if key_file else ""
        note = f" Private key saved to {shown} (mode 0600)." if key_file else ""
        self._say(f"{verb} application {self._label(saved)}.{note}", "ok")
        return saved

    def _send_request(self, client: ApplicationsClient, document: dict[str, Any]) -> Application:
        api = client.applications
        try:
            if self.mode == "create":
                return api.create(document)
            assert self.application is not None
            assert self.application.id is not None
            return api.update(self.application.id, document)
        except ApiError as error:
            self._api_errors = list(error.invalid_parameters)
            if self._api_errors:
                self._show_problems(self._api_errors + self.key_panel.errors())
            head = f"Vonage refused the request (HTTP {error.status}"
            head += f": {error.title})" if error.title else ")"
            detail = f" {error.detail}" if error.detail else ""
            where = " See the messages beside the fields." if self._api_errors else ""
            self._say(f"{head}.{detail}{where}", "error")
            raise
        except ValidationError as error:
            self._show_problems(error.errors)
            self._say("Not saved: the application is invalid (see the fields).", "error")
            raise
        except VonageWidgetsError as error:
            self._say(f"Not saved: {error}", "error")
            raise

    # -- keys ------------------------------------------------------------------------------

    def generate_keys(self) -> str:
        """Generate a new key pair locally; returns its public key (PEM).

        The private key stays in memory until Save writes it to ``keys_dir`` (mode 0600)
        before the request. In edit mode, saving then rotates the application's key.
        """
        pair = self.key_panel.generate()
        self.validate()
        self._say(
            f"Generated a new key pair ({fingerprint(pair.public_pem)}). The private key will "
            f"be saved to {self._path_label(self._prospective_key_path())} when you save.",
            "info",
        )
        return pair.public_pem

    def retry_save_key(self, path: str | Path | None = None) -> Path:
        """Save the private key that is still only in memory (after a failed save).

        ``path`` is a file or a folder (default: ``keys_dir``); the file name defaults to
        ``<safe-name>-<short-id>.key``. Raises KeyHandlingError when it cannot be saved.
        """
        panel = self.key_panel
        if not panel.unsaved or panel.pair is None:
            self._say("There is no unsaved private key.", "info")
            raise KeyHandlingError("there is no unsaved private key to save")
        target = Path(path).expanduser() if path is not None else self._prospective_key_path()
        if target.is_dir():
            target = target / key_file_name(str(self.name_row.control.value), panel.pair.public_pem)
        try:
            saved = panel.save_pending(target)
        except KeyHandlingError as error:
            self._say(f"{error}", "error")
            raise
        self.key_path = saved
        self.validate()
        after = " Save again to send the request." if panel.mode == GENERATE else ""
        self._say(f"Private key saved to {self._path_label(saved)} (mode 0600).{after}", "ok")
        return saved

    def check_private_key(self, path: str | Path | None = None) -> bool:
        """Whether a private key file matches the application's public key (✓/✗ shown)."""
        return self.key_panel.check(path)

    def _prospective_key_path(self) -> Path:
        pair = self.key_panel.pair
        name = str(self.name_row.control.value)
        return self.keys_dir / key_file_name(name, pair.public_pem if pair else None)

    def _save_generated_key(self) -> Path:
        panel = self.key_panel
        if panel.pair is None:
            panel.generate()
        if not panel.unsaved:
            assert panel.saved_path is not None
            return panel.saved_path
        target = self._prospective_key_path()
        try:
            return panel.save_pending(target)
        except KeyHandlingError as error:
            self.key_panel.describe(target)
            self._say(
                f"Not saved: {error} The request was not sent. The key pair is kept in memory:"
                " call form.retry_save_key(path) with a file or folder you can write to, then "
                "Save again.",
                "error",
            )
            raise

    def _keep_returned_private_key(
        self, result: Application
    ) -> tuple[Path | None, KeyHandlingError | None]:
        """Save a private key Vonage generated (only when a request carried no public key).

        Returns the saved file, or the error when saving failed: the key is then kept in
        the key panel for :meth:`retry_save_key` (Vonage never shows it again).
        """
        panel = self.key_panel

        def hold_and_save(key: SecretStr, path: Path) -> Path:
            panel.pair = KeyPair(private_pem=key, public_pem=public_key_pem(key))
            panel.saved_path = None
            return panel.save_pending(path)  # on failure the pair stays in the panel

        returned = keep_returned_key(
            result,
            lambda app: returned_key_file(self.keys_dir, app),
            kept_in="in memory: call form.retry_save_key(path)",
            save=hold_and_save,
        )
        unsaved = returned.unsaved
        return returned.key_file, unsaved.reason if unsaved is not None else None

    # -- listing and deleting --------------------------------------------------------------

    def refresh_applications(self) -> list[Application]:
        """Fill the application picker from the account; returns the applications."""
        client = self._require_client()
        try:
            apps = client.applications.list_all()
        except VonageWidgetsError as error:
            self._say(f"Could not list applications: {error}", "error")
            raise
        self.show_applications(apps)
        self._say(f"Found {len(apps)} application{'s' * (len(apps) != 1)}.", "info")
        return apps

    def show_applications(self, apps: list[Application]) -> None:
        """Put these applications in the picker, keeping the form's own state and status.

        What :class:`~vonage_widgets.Workbook` calls after each change it makes, so the
        dropdown of a form shown earlier lists applications created later.
        """
        current = self.application.id if self.application is not None else None
        with self._quietly():
            self.app_picker.options = [(NEW_APPLICATION, NEW_APPLICATION_VALUE)] + [
                (self._option_label(app), app.id) for app in apps if app.id
            ]
            ids = {app.id for app in apps}
            self.app_picker.value = current if current in ids else NEW_APPLICATION_VALUE

    def follow_saved(self, app: Application) -> bool:
        """Another form or the code saved ``app``: show its new state if this form edits it.

        Only when this form has no unsaved changes (they are never thrown away); returns
        whether the form now shows the saved application.
        """
        current = self.application
        if self.mode != "edit" or current is None or current.id != app.id:
            return False
        if self._has_changes():
            self._say(
                f"{self._label(current)} was changed elsewhere since you opened it; Save would "
                "write your version over it (Reset shows the saved one).",
                "warn",
            )
            return False
        self._show_application(app)
        self._say(f"Showing {self._label(app)} as saved elsewhere just now.", "info")
        return True

    def delete(self, confirm: bool = False) -> bool:
        """Delete the loaded application, in two steps: arm, then confirm.

        The first call (or click) only asks for confirmation; a second click, or
        ``confirm=True``, deletes. Returns whether the application was deleted.
        """
        app = self.application
        if self.mode != "edit" or app is None or app.id is None:
            self._say("Nothing to delete: load an application first.", "warn")
            return False
        if not (confirm or self._armed):
            self._armed = True
            self._update_buttons()
            self._say(
                f"Delete application {self._label(app)}? This cannot be undone: click "
                "'Confirm delete' (or call form.delete(confirm=True)).",
                "warn",
            )
            return False
        client = self._require_client()
        try:
            client.applications.delete(app.id)
        except VonageWidgetsError as error:
            self._armed = False
            self._update_buttons()
            self._say(f"Could not delete {self._label(app)}: {error}", "error")
            raise
        with self._quietly():
            self.app_picker.options = [o for o in self.app_picker.options if o[1] != app.id]
        self.new()
        self._say(f"Deleted application {self._label(app)}.", "ok")
        return True

    def _on_pick(self, change: dict[str, Any]) -> None:
        if self._quiet:
            return
        try:
            if not change["new"]:
                self.new()
            else:
                self.load(str(change["new"]))
        except VonageWidgetsError:
            pass  # the status says what went wrong

    def _select_in_picker(self, app: Application) -> None:
        if app.id in {value for _, value in self.app_picker.options}:
            self.app_picker.value = app.id

    def _remember_in_picker(self, app: Application) -> None:
        with self._quietly():
            options = [o for o in self.app_picker.options if o[1] != app.id]
            options.append((self._option_label(app), app.id))
            self.app_picker.options = options
            self.app_picker.value = app.id

    # -- helpers ---------------------------------------------------------------------------

    def _require_client(self) -> ApplicationsClient:
        if self.client is None:
            self._say("No client: create the form with ApplicationForm(client).", "error")
            raise VonageWidgetsError("the form has no client; pass one: ApplicationForm(client)")
        return self.client

    def _say(self, text: str, kind: str) -> None:
        colour = _STATUS_COLOURS.get(kind, _STATUS_COLOURS["info"])
        safe = html.escape(redact(text), quote=False)
        self.status.value = f'<span style="color:{colour}">{safe}</span>'

    @staticmethod
    def _label(app: Application) -> str:
        return f"'{app.name}' ({app.id})"

    @staticmethod
    def _option_label(app: Application) -> str:
        # The id's first characters tell apart applications of one name and fit the box.
        short = f"{app.id[:8]}…" if app.id and len(app.id) > 9 else app.id
        return f"{app.name} · {short}"

    def __repr__(self) -> str:
        app = self.application
        target = f", application={app.name!r} ({app.id})" if app is not None else ""
        return f"ApplicationForm(mode={self.mode!r}{target}, valid={self.valid})"


class _FormRows(Mapping[str, FieldRow]):
    """:attr:`ApplicationForm.rows`: builds a capability's fields only when one is asked for."""

    def __init__(self, form: ApplicationForm) -> None:
        self._form = form

    def __getitem__(self, path: str) -> FieldRow:
        for section in self._form.sections.values():
            if path.startswith(f"{section.path}."):
                section.ensure_built()
                break
        for row in self._form._built_rows():
            if row.path == path:
                return row
        raise KeyError(path)

    def _all(self) -> list[FieldRow]:
        for section in self._form.sections.values():
            section.ensure_built()
        return self._form._built_rows()

    def __iter__(self) -> Iterator[str]:
        return iter([row.path for row in self._all()])

    def __len__(self) -> int:
        return len(self._all())


_SUMMARY_FIELDS = 3


def _whole_button() -> ipw.Layout:
    """A button as wide as its label, never squeezed by the text beside it ("Preview c…")."""
    return ipw.Layout(width="auto", min_width="90px", flex="0 0 auto")


def _summary_html(errors: Mapping[str, list[str]]) -> str:
    """The short list beside a disabled Save: the first few fields at fault and why."""
    if not errors:
        return ""
    parts = []
    for path, messages in list(errors.items())[:_SUMMARY_FIELDS]:
        field = _short_path(path) or "application"
        why = html.escape(redact(messages[0]))
        parts.append(f'<b title="{html.escape(path)}">{html.escape(field)}</b>: {why}')
    more = len(errors) - _SUMMARY_FIELDS
    if more > 0:
        parts.append(f"and {more} more field{'s' * (more != 1)}")
    colour = _STATUS_COLOURS["error"]
    return (
        f'<span class="vw-save-summary" style="color:{colour}; font-size: 0.9em">'
        f"Save is off until fixed: {'; '.join(parts)}</span>"
    )


def _short_path(path: str) -> str:
    """``capabilities.voice.webhooks.answer_url.socket_timeout`` -> ``voice / answer_url /
    socket_timeout``: the words that tell fields apart, short enough for a line beside Save."""
    parts = [p for p in path.split(".") if p not in {"capabilities", "webhooks"}]
    return " / ".join(parts)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value)
