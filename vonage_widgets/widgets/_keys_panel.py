"""The keys part of the application form: generate a pair, bring a public key, or keep one.

Private to :mod:`vonage_widgets.widgets`. Rules that keep a private key from leaking or
getting lost:

* A generated pair lives in memory as a :class:`~vonage_widgets.keys.KeyPair` (its private
  half a ``SecretStr``) until :meth:`KeysPanel.save_pending` writes it with mode 0600; the
  form does that before it sends the request, and keeps the pair if saving fails.
* No widget value ever holds a private key: a private key pasted (or uploaded) where a public
  key belongs is replaced by its public half at once; PEM text pasted into the "private key
  file" box is cleared, since that box takes a path.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import ipywidgets as ipw
from pydantic import SecretStr

from vonage_widgets.errors import FieldError, KeyHandlingError
from vonage_widgets.keys import (
    KeyPair,
    fingerprint,
    generate_key_pair,
    keys_match,
    public_key_pem,
    save_private_key,
)
from vonage_widgets.widgets._rows import LABEL_WIDTH, MessageSlot, help_html

__all__ = ["GENERATE", "KEEP", "KEY_CHOICES_CREATE", "KEY_CHOICES_EDIT", "OWN", "KeysPanel"]

GENERATE: Final = "generate"
OWN: Final = "own"
KEEP: Final = "keep"

KEY_CHOICES_CREATE: Final = (("Generate a key pair", GENERATE), ("Bring your own public key", OWN))
"""Key choices when creating: Vonage then never sees a private key either way."""
KEY_CHOICES_EDIT: Final = (
    ("Keep the current key", KEEP),
    ("Generate a new key pair", GENERATE),
    ("Bring your own public key", OWN),
)
"""Key choices when editing: keeping the key is the default, so saving never rotates it."""

PUBLIC_KEY_PATH: Final = "keys.public_key"
_OK_STYLE = "color:#137333"
_BAD_STYLE = "color:#b00020"
_MAX_PATH_CHARS = 1024


def _esc(text: object) -> str:
    return html.escape(str(text), quote=False)


def _ok(text: str) -> str:
    return f'<span style="{_OK_STYLE}">✓ {_esc(text)}</span>'


def _bad(text: str) -> str:
    return f'<span style="{_BAD_STYLE}">✗ {_esc(text)}</span>'


def _looks_like_key_text(text: str) -> bool:
    return "-----BEGIN" in text or "\n" in text or len(text) > _MAX_PATH_CHARS


class KeysPanel:
    """Widgets and state for the application's key; the form asks it for ``keys`` and errors."""

    def __init__(self) -> None:
        self.choice = ipw.ToggleButtons(
            options=KEY_CHOICES_CREATE, value=GENERATE, style={"button_width": "auto"}
        )
        self.slot = MessageSlot()
        self.pair: KeyPair | None = None
        self.saved_path: Path | None = None
        self.show_path: Callable[[Path | str], str] = str
        """How a key file's path is shown (the workbook shows ``<home>/keys/...``)."""
        self.current_public_key: str | None = None

        self.generate_button = ipw.Button(
            description="Generate key pair",
            icon="key",
            # Never shrunk by the text beside it: the label stays whole ("Gener…" otherwise).
            layout=ipw.Layout(width="auto", min_width="170px", flex="0 0 auto"),
        )
        self.generate_info = ipw.HTML()
        self.generate_box = ipw.VBox(
            [ipw.HBox([self.generate_button, self.generate_info])],
        )

        self.public_key_text = ipw.Textarea(
            placeholder="-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----",
            rows=7,
            continuous_update=True,
            layout=ipw.Layout(width="560px"),
        )
        self.upload = ipw.FileUpload(
            accept=".pem,.pub,.key,.txt", multiple=False, description="Upload .pem"
        )
        self.own_status = ipw.HTML()
        self.own_box = ipw.VBox(
            [
                self.public_key_text,
                ipw.HBox([self.upload, self.own_status], layout=ipw.Layout(align_items="center")),
            ],
            layout=ipw.Layout(display="none"),
        )

        self.keep_info = ipw.HTML()
        self.keep_box = ipw.VBox([self.keep_info], layout=ipw.Layout(display="none"))

        self.check_path = ipw.Text(
            placeholder="path/to/private.key",
            continuous_update=True,  # a pasted key is cleared at once, not on blur
            layout=ipw.Layout(width="360px"),
        )
        self.check_button = ipw.Button(description="Check", icon="check")
        self.check_message = ipw.HTML(layout=ipw.Layout(margin="0 0 0 8px"))
        check_label = ipw.HTML(
            "<b>Private key check</b>", layout=ipw.Layout(width=LABEL_WIDTH, min_width=LABEL_WIDTH)
        )
        check_row = ipw.VBox(
            [
                ipw.HBox(
                    [check_label, self.check_path, self.check_button, self.check_message],
                    layout=ipw.Layout(align_items="center"),
                ),
                ipw.HTML(
                    help_html(
                        "Optional: the path of a private key file, to confirm it belongs to "
                        "this application's public key. The key itself is never shown."
                    )
                ),
            ]
        )
        self.widget = ipw.VBox(
            [
                ipw.HBox([self.choice, self.slot.message], layout=ipw.Layout(align_items="center")),
                self.generate_box,
                self.own_box,
                self.keep_box,
                check_row,
            ]
        )
        self.choice.observe(self._on_choice, names="value")
        self.public_key_text.observe(self._on_public_key_text, names="value")
        self.upload.observe(self._on_upload, names="value")
        self.check_path.observe(self._on_check_path, names="value")
        self._on_choice({"new": self.choice.value})

    # -- state -----------------------------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"generate"``, ``"own"`` or ``"keep"``."""
        return str(self.choice.value)

    def start(self, *, editing: bool, current_public_key: str | None) -> None:
        """Reset for a new form (create) or a loaded application (edit)."""
        self.pair = None
        self.saved_path = None
        self.current_public_key = current_public_key
        self.choice.options = KEY_CHOICES_EDIT if editing else KEY_CHOICES_CREATE
        self.choice.value = KEEP if editing else GENERATE
        self.public_key_text.value = ""
        self.own_status.value = ""
        self.check_message.value = ""
        self.slot.set_messages([])
        self._on_choice({"new": self.choice.value})

    def generate(self) -> KeyPair:
        """Make a new pair in memory and select "generate"; it is saved when the form saves."""
        self.pair = generate_key_pair()
        self.saved_path = None
        self.choice.value = GENERATE
        return self.pair

    def own_public_key(self) -> tuple[str | None, str | None]:
        """The pasted public key as clean PEM, or the reason it cannot be used."""
        text = str(self.public_key_text.value).strip()
        if not text:
            return None, "paste a public key (PEM) or upload a .pem file"
        try:
            # SecretStr: always read the box as key text, never as a file path.
            return public_key_pem(SecretStr(text)), None
        except KeyHandlingError as error:
            return None, str(error)

    def public_key(self) -> str | None:
        """The public key the application will have after saving, if known yet."""
        if self.mode == OWN:
            return self.own_public_key()[0]
        if self.mode == GENERATE:
            return self.pair.public_pem if self.pair is not None else None
        return self.current_public_key

    def errors(self) -> list[FieldError]:
        """What stops the keys part from being saved (only a bad or missing own key)."""
        if self.mode != OWN:
            return []
        reason = self.own_public_key()[1]
        return [FieldError(PUBLIC_KEY_PATH, reason)] if reason else []

    def build(self, base: dict[str, Any] | None) -> dict[str, Any] | None:
        """The ``keys`` object: the loaded one, with the new public key when there is one."""
        result = dict(base) if isinstance(base, dict) else {}
        result.pop("private_key", None)  # never sent, whatever was loaded
        new_key = self.public_key() if self.mode in (OWN, GENERATE) else None
        if new_key is not None:
            result["public_key"] = new_key
        return result or None

    @property
    def unsaved(self) -> bool:
        """Whether a generated private key exists only in memory."""
        return self.pair is not None and self.saved_path is None

    def save_pending(self, path: Path) -> Path:
        """Write the generated private key to ``path`` (0600); raises KeyHandlingError."""
        if self.pair is None:
            raise KeyHandlingError("there is no generated private key to save")
        self.saved_path = save_private_key(self.pair.private_pem, path)
        return self.saved_path

    # -- display ---------------------------------------------------------------------------

    def describe(self, target: Path | str) -> None:
        """Refresh the info texts; ``target`` is where the private key will be saved."""
        where = _esc(self.show_path(target))
        if self.pair is None:
            self.generate_info.value = (
                "A new RSA key pair is generated on this computer when you save (or now, with "
                f"the button). The private key is saved to <code>{where}</code> (mode 0600) "
                "before the request is sent, and never shown."
            )
        elif self.saved_path is None:
            self.generate_info.value = (
                f"Key pair ready (public key {_esc(fingerprint(self.pair.public_pem))})."
                f" The private key will be saved to <code>{where}</code> before the request."
            )
        else:
            self.generate_info.value = (
                f"Key pair ready (public key {_esc(fingerprint(self.pair.public_pem))})."
                f" Private key saved to <code>{_esc(self.show_path(self.saved_path))}</code>."
            )
        if self.current_public_key:
            self.keep_info.value = (
                "The application keeps its current public key "
                f"({_esc(fingerprint(self.current_public_key))})."
            )
        else:
            self.keep_info.value = "The application has no public key on record."

    def check(self, path: str | Path | None = None) -> bool:
        """Whether the private key file at ``path`` (default: the box) matches the public key.

        Shows ✓ or ✗ beside the box; never reads the key into any widget.
        """
        if path is not None:
            self.check_path.value = str(path)
        text = str(self.check_path.value).strip()
        if not text:
            self.check_message.value = _bad("enter the path of your private key file")
            return False
        public = self.public_key()
        if public is None:
            self.check_message.value = _bad(
                "there is no public key to compare with yet: generate a pair or paste one"
            )
            return False
        try:
            matched = keys_match(Path(text).expanduser(), public)
        except KeyHandlingError as error:
            self.check_message.value = _bad(str(error))
            return False
        name = fingerprint(public)
        self.check_message.value = (
            _ok(f"this private key matches the public key {name}")
            if matched
            else _bad(f"this private key does NOT match the public key {name}")
        )
        return matched

    # -- observers -------------------------------------------------------------------------

    def _on_choice(self, change: dict[str, Any]) -> None:
        mode = change["new"]
        self.generate_box.layout.display = "" if mode == GENERATE else "none"
        self.own_box.layout.display = "" if mode == OWN else "none"
        self.keep_box.layout.display = "" if mode == KEEP else "none"
        self.check_message.value = ""

    def _on_public_key_text(self, change: dict[str, Any]) -> None:
        text = str(change["new"])
        if "PRIVATE KEY-----" in text:
            self._replace_private_key(text)
            return
        pem = self.own_public_key()[0]
        if pem is not None:
            self.own_status.value = _ok(f"RSA public key {fingerprint(pem)}")
        else:
            self.own_status.value = ""  # the reason shows beside the choice, as a field error

    def _replace_private_key(self, text: str) -> None:
        # A private key must never stay in a widget: keep only its public half.
        try:
            public = public_key_pem(SecretStr(text))
        except KeyHandlingError as error:
            self.public_key_text.value = ""
            self.own_status.value = _bad(
                f"that was a private key and it could not be read ({error}); it was removed "
                "from the box. Paste the public key instead"
            )
            return
        self.public_key_text.value = public
        self.own_status.value = _ok(
            f"you pasted a private key: it was replaced by its public half {fingerprint(public)}"
            " and not kept anywhere"
        )

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        entry = files[0]
        try:
            text = bytes(entry["content"]).decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        # Empty the upload at once: its value would otherwise hold the file (maybe a private
        # key) for as long as the widget lives.
        self.upload.value = ()
        if text is None:
            self.own_status.value = _bad(
                f"{entry.get('name', 'the file')} is not PEM text (binary or DER?)"
            )
            return
        self.choice.value = OWN
        self.public_key_text.value = text.strip() + "\n"

    def _on_check_path(self, change: dict[str, Any]) -> None:
        text = str(change["new"])
        if _looks_like_key_text(text):
            self.check_path.value = ""
            self.check_message.value = _bad(
                "this box takes the path of a private key file, not the key itself; "
                "the text was cleared"
            )
