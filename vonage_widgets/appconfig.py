"""Applications as code: export one to a JSON file, check a file, apply it to an account.

A file holds what ``Application.to_api()`` gives (the POST/PUT body: name, capabilities,
public key, privacy, and every field or capability the models do not know, verbatim) plus
the ``id``. It never holds a private key: :func:`export_application` cannot write one and
:func:`load_application_file` refuses a file that has one. So a file can live in a
repository, be reviewed, and be applied again (:func:`apply_application_file`) to update the
application, or to create it in another account.

Every problem with a file is a :class:`~vonage_widgets.errors.ValidationError` whose subject
names the file and whose errors name the field by its wire path (``""`` for the file as a
whole), with the line and column when the file is not JSON.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vonage_widgets._json import load_file
from vonage_widgets.appwrite import keep_returned_key, key_file_target, returned_key_file
from vonage_widgets.errors import FieldError, UnsavedKeyError, ValidationError
from vonage_widgets.models import Application, validate_application

if TYPE_CHECKING:
    from vonage_widgets.client import ApiClient

__all__ = [
    "PRIVATE_KEY_IN_FILE",
    "UnsavedKeyError",  # kept here for existing imports: it lives in vonage_widgets.errors
    "apply_application_file",
    "export_application",
    "key_file_target",  # likewise, from vonage_widgets.appwrite
    "load_application_file",
]

PRIVATE_KEY_IN_FILE = (
    "must not be in a configuration file: keep the private key in its own file (mode 0600) "
    "and remove it from here"
)
"""Why a file with ``keys.private_key`` is refused (a config file gets shared; a key must not)."""


def export_application(
    app: Application, path: str | os.PathLike[str] | None = None, *, include_keys: bool = True
) -> dict[str, Any]:
    """The application as a JSON-ready dict (``id``, ``name``, then the rest of ``to_api()``).

    Written as pretty JSON (two-space indent, UTF-8, a final newline) to ``path`` when given.
    ``include_keys=False`` leaves ``keys`` out: applying such a file never changes the
    application's key, and the file stays the same when the key is rotated. A private key is
    never exported, whatever the application holds.
    """
    body = app.to_api()
    document: dict[str, Any] = {}
    if app.id is not None:
        document["id"] = app.id
    document["name"] = body.pop("name")
    if not include_keys:
        body.pop("keys", None)
    document.update(body)
    if path is not None:
        Path(path).write_text(
            json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return document


def load_application_file(path: str | os.PathLike[str]) -> Application:
    """Read and check an application file; raise ValidationError naming the file and fields.

    Accepts what :func:`export_application` writes, a request body, or a response body
    (``_links`` is ignored on apply). Refuses a file that is missing, not UTF-8, not JSON
    (the error gives line and column), not an object, holds a private key, or breaks any
    rule of the Application API (each bad field by its wire path).
    """
    subject = f"application file {str(path)!r}"
    data = _read_json(Path(path), subject)
    problems: list[FieldError] = []
    keys = data.get("keys") if isinstance(data, dict) else None
    if isinstance(keys, dict) and keys.get("private_key") is not None:
        problems.append(FieldError("keys.private_key", PRIVATE_KEY_IN_FILE))
    try:
        app = validate_application(data)
    except ValidationError as error:
        raise ValidationError(error.errors + problems, subject=subject) from None
    if problems:
        raise ValidationError(problems, subject=subject)
    return app


def apply_application_file(
    client: ApiClient,
    path: str | os.PathLike[str],
    *,
    keys_dir: str | os.PathLike[str] | None = None,
) -> Application:
    """Make the account match the file: update the application it names, or create it.

    Which application: the file's ``id`` when it has one; else the one application with the
    file's name; else (no application has that name) a new one is created. Several
    applications with the name and no id is an error asking for the id. An update sends the
    whole file (a PUT replaces the application), so fields and capabilities the models do not
    know are kept. A file without ``keys`` leaves the key as it is on update; on create,
    Vonage then makes a key pair and returns the private key once: with ``keys_dir`` it is
    saved there (mode 0600), otherwise it is only in the returned application's
    ``keys.private_key``. When saving it in ``keys_dir`` fails, the application exists
    anyway and :class:`UnsavedKeyError` is raised: it keeps the key, and
    ``error.retry_save(path)`` saves it to a file or folder you can write to.
    """
    app = load_application_file(path)
    body = app.to_api()
    api = client.applications
    target = app.id or _id_for_name(api.list_all(), app.name, path)
    result = api.update(target, body) if target else api.create(body)
    folder = Path(keys_dir) if keys_dir is not None else None
    returned = keep_returned_key(
        result,
        None if folder is None else lambda app: returned_key_file(folder, app),
        kept_in="in this error: call error.retry_save(path)",
    )
    if returned.unsaved is not None:
        raise returned.unsaved from None
    return result


def _read_json(path: Path, subject: str) -> Any:
    # A BOM from a Windows editor is skipped; a key given twice is an error here, as the
    # first value would look set but not be (json.loads keeps the last one silently).
    return load_file(path, subject=subject, unique_keys=True)


def _id_for_name(apps: list[Application], name: str, path: str | os.PathLike[str]) -> str | None:
    matches = [app for app in apps if app.name == name and app.id]
    if len(matches) > 1:
        ids = ", ".join(str(app.id) for app in matches)
        message = (
            f'{len(matches)} applications are named {name!r} ({ids}); add the "id" of the '
            "one to update to the file"
        )
        raise ValidationError(
            [FieldError("id", message)], subject=f"application file {str(path)!r}"
        )
    return matches[0].id if matches else None
