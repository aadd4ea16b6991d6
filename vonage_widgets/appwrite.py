"""Writing an application: the one service behind the workbook, the form, the CLI and files.

Every way of creating or updating an application (``Workbook.create_application``,
``ApplicationForm.save``, ``vonage-widgets apps create|update``, ``apply_application_file``)
goes through the same two steps here, so a rule changes in one place:

1. **The request body.** Form fields, CLI flags and keyword arguments all end up as webhook
   fields written over a body in wire names: :func:`overlay_webhook` writes one webhook's
   fields (``REMOVE`` deletes one; an emptied webhook goes; a new one may get its catalog
   default method) and :func:`place_webhooks` puts webhooks into a capability (an emptied
   ``webhooks`` object goes, one that was empty already stays). Values of the wrong type
   are left where they are, for :func:`~vonage_widgets.models.validate_application` to
   report by their path.
2. **The private key.** A key pair made here is saved (mode 0600) *before* the request
   (:func:`new_key_pair`), so it cannot be lost between Vonage answering and the file being
   written; :func:`send` removes that file again when the API refuses for sure (4xx). A
   private key Vonage generates comes back once, in the create answer:
   :func:`keep_returned_key` saves it, and when that fails keeps it in an
   :class:`~vonage_widgets.errors.UnsavedKeyError` whose ``retry_save`` writes it elsewhere.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from vonage_widgets.errors import ApiError, KeyHandlingError, UnsavedKeyError
from vonage_widgets.models import Application

if TYPE_CHECKING:
    from pydantic import SecretStr

    from vonage_widgets.keys import KeyPair

# The keys package (cryptography) loads when a key is first handled, not with this module:
# the CLI reads its flags (and webhook overlay) from here at start-up.

__all__ = [
    "REMOVE",
    "ReturnedKey",
    "keep_returned_key",
    "key_file_target",
    "new_key_pair",
    "object_at",
    "overlay_webhook",
    "place_webhooks",
    "returned_key_file",
    "send",
]


class _Remove:
    def __repr__(self) -> str:
        return "REMOVE"


REMOVE: Final[Any] = _Remove()
"""A field value meaning "take this field out" (a cleared form field, ``--x-url ''``)."""


# -- the request body ---------------------------------------------------------------------------


def object_at(body: dict[str, Any], path: Sequence[str]) -> dict[str, Any]:
    """The object at ``path`` in ``body``, creating empty ones on the way.

    A value of the wrong type on the way is left alone (a detached empty object is returned,
    so writing into it changes nothing): validation will name that path, where writing
    over it would hide the problem.
    """
    node = body
    for key in path:
        child = node.get(key)
        if child is None:
            child = node[key] = {}
        if not isinstance(child, dict):
            return {}
        node = child
    return node


def overlay_webhook(
    base: Mapping[str, Any] | None,
    fields: Mapping[str, Any],
    *,
    default_method: str | None = None,
) -> dict[str, Any] | None:
    """One webhook object: ``fields`` written over a copy of ``base`` (``None``: no webhook).

    A field whose value is :data:`REMOVE` is taken out. The result is ``None`` (remove the
    webhook) when it has no address and no field other than the address was given a value;
    a method or timeout given without an address keeps the webhook, so the model reports
    the missing address. A new webhook given an address but no method gets
    ``default_method`` (the catalog's), so the body says what Vonage will do.
    """
    hook = copy.deepcopy(dict(base)) if base is not None else {}
    for key, value in fields.items():
        if value is REMOVE:
            hook.pop(key, None)
        else:
            hook[key] = value
    address_given = fields.get("address", REMOVE) is not REMOVE
    if base is None and default_method and address_given and "http_method" not in fields:
        hook.setdefault("http_method", default_method)
    if "address" in hook:
        return hook
    edited = any(value is not REMOVE for key, value in fields.items() if key != "address")
    return hook if edited else None


def place_webhooks(capability: dict[str, Any], hooks: Mapping[str, dict[str, Any] | None]) -> None:
    """Write webhook objects into ``capability["webhooks"]``; ``None`` removes one.

    An emptied ``webhooks`` object is removed; one that was already empty stays as it was.
    A ``webhooks`` value that is not an object is left for validation to report.
    """
    loaded = capability.get("webhooks")
    if loaded is not None and not isinstance(loaded, dict):
        return
    current: dict[str, Any] = dict(loaded) if loaded else {}
    for name, hook in hooks.items():
        if hook is None:
            current.pop(name, None)
        else:
            current[name] = hook
    if current or loaded == {}:
        capability["webhooks"] = current
    else:
        capability.pop("webhooks", None)


# -- the private key ----------------------------------------------------------------------------


def new_key_pair(
    path_for: Callable[[KeyPair], Path], *, overwrite: bool = False
) -> tuple[str, Path]:
    """Make a key pair and save its private key *before* the request; (public PEM, file).

    ``path_for(pair)`` says where (the file name usually holds the key's fingerprint).
    Raises KeyHandlingError, and nothing is sent, when the file cannot be written.
    """
    from vonage_widgets.keys import generate_key_pair, save_private_key

    pair = generate_key_pair()
    return pair.public_pem, save_private_key(pair.private_pem, path_for(pair), overwrite=overwrite)


def send(
    request: Callable[[], Application],
    key_file: Path | None,
    *,
    removed: Callable[[Path], None] | None = None,
) -> Application:
    """Send the create or update; when the API refuses for sure (4xx), remove ``key_file``.

    ``key_file`` is the private key saved for this request: refused, it belongs to nothing.
    ``removed(key_file)`` is told (the CLI prints a note). The error is raised as it came.
    """
    try:
        return request()
    except ApiError as error:
        if key_file is not None and 400 <= error.status < 500:
            key_file.unlink(missing_ok=True)
            if removed is not None:
                removed(key_file)
        raise


def key_file_target(
    path: str | os.PathLike[str] | None, default: Path, name: str, public_pem: str | None
) -> Path:
    """Where to save a key: ``default`` when ``path`` is None, inside ``path`` when it is a
    folder (the usual ``<name>-<id>.key`` file name), else ``path`` itself."""
    if path is None:
        return default
    from vonage_widgets.keys import key_file_name

    target = Path(path).expanduser()
    return target / key_file_name(name, public_pem) if target.is_dir() else target


@dataclass(frozen=True, slots=True)
class ReturnedKey:
    """What became of a private key Vonage returned (see :func:`keep_returned_key`).

    ``application`` is the saved application without its private key; ``key_file`` the
    file the key went to (``None`` when there was none or it could not be saved);
    ``unsaved`` the error keeping the key when saving failed (raise it, or keep it).
    """

    application: Application
    key_file: Path | None = None
    unsaved: UnsavedKeyError | None = None


def keep_returned_key(
    result: Application,
    target: Path | Callable[[Application], Path] | None,
    *,
    kept_in: str,
    overwrite: bool = False,
    save: Callable[[SecretStr, Path], Path] | None = None,
) -> ReturnedKey:
    """Save the one-time private key in a create answer; keep it when it cannot be saved.

    ``target`` is the file (or a function of the application giving it); ``None`` leaves
    the key in the returned application. ``save(key, path)`` writes it (default: mode
    0600, refusing to overwrite unless ``overwrite``). When saving fails, ``unsaved`` is an
    :class:`UnsavedKeyError` whose message says the key is kept ``kept_in`` (for example
    ``"in this error: call error.retry_save(path)"``) and whose ``retry_save`` writes it to
    a file or folder.
    """
    private = result.keys.private_key if result.keys is not None else None
    if private is None or target is None:
        return ReturnedKey(result)
    from vonage_widgets.keys import save_private_key

    clean = Application.from_api(result.to_dict())  # the key lives on only where it is saved
    default = target(result) if callable(target) else target
    write = save or (lambda key, path: save_private_key(key, path, overwrite=overwrite))
    try:
        return ReturnedKey(clean, write(private, default))
    except KeyHandlingError as error:
        public = clean.keys.public_key if clean.keys is not None else None

        def retry(key: SecretStr, path: str | os.PathLike[str] | None) -> Path:
            return write(key, key_file_target(path, default, clean.name, public))

        unsaved = UnsavedKeyError(
            f"application {clean.name!r} was created (id {clean.id}), but its private key "
            f"was not saved: {error} Vonage returns this key only once, so it is kept "
            f"{kept_in} with a file or folder you can write to.",
            application=clean,
            private_key=private,
            default_path=default,
            save=retry,
            reason=error,
        )
        return ReturnedKey(clean, None, unsaved)


def returned_key_file(folder: Path, app: Application) -> Path:
    """The usual file for the private key Vonage returned with ``app``, in ``folder``."""
    from vonage_widgets.keys import key_file_name, public_key_pem

    private = app.keys.private_key if app.keys is not None else None
    public = public_key_pem(private) if private is not None else None
    return folder / key_file_name(app.name, public)
