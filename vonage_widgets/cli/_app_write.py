"""``apps create`` and ``apps update``: flags or a file in, one checked request out.

Both build a request body in wire names, check it with the models (every problem at once,
each named by its wire path and the flag that set it) *before* anything is generated or sent,
and print the result. Private keys:

* ``create`` makes the key pair here and saves the private key (mode 0600) *before* the
  request, so it cannot be lost between Vonage answering and the file being written; if the
  API refuses the request (4xx) the new file is removed again. The path is printed, never
  the key. An existing file is refused unless ``--force``.
* ``update --rotate-key`` does the same for a new pair on an existing application.

``update`` reads the application, writes the flags (or the file) over it and PUTs the whole
document back, so capabilities and fields the models do not know are kept ([api-notes §1.7]:
an update replaces the application). Nothing changed: nothing is sent.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vonage_widgets._diff import changed_fields
from vonage_widgets.cli._app_flags import add_app_flags, annotate, flags_given, overlay
from vonage_widgets.cli._app_show import show_application
from vonage_widgets.cli._output import EXIT_OK, note, print_json, stdout, usage_error
from vonage_widgets.cli._target import open_target
from vonage_widgets.errors import FieldError, KeyHandlingError, ValidationError

if TYPE_CHECKING:
    from vonage_widgets.models import Application

__all__ = ["add_write_arguments", "run_create", "run_update"]


def add_write_arguments(parser: argparse.ArgumentParser, *, creating: bool) -> None:
    """Add the name, file, key and generated capability flags of create or update."""
    parser.add_argument("--name", help="the application's name (need not be unique)")
    parser.add_argument(
        "--from-file",
        type=Path,
        metavar="FILE",
        help="start from an application file (JSON, as `apps show --json` or the workbook's "
        "export writes it; never a private key); flags then change it further",
    )
    parser.add_argument(
        "--public-key-file",
        metavar="PATH",
        help="use your own key pair: upload this public key (PEM; a private key file works "
        "too, only its public half is sent)",
    )
    which = "the new private key" if creating else "the new private key of --rotate-key"
    parser.add_argument(
        "--private-key-file",
        metavar="PATH",
        help=f"where to save {which} (mode 0600); default: the workbook's keys folder",
    )
    parser.add_argument(
        "--force", action="store_true", help="overwrite an existing --private-key-file"
    )
    if not creating:
        parser.add_argument(
            "--rotate-key",
            action="store_true",
            help="make a new key pair here, save its private key and upload the public key",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would change, send nothing",
        )
    add_app_flags(parser)


# -- create -----------------------------------------------------------------------------------


def run_create(args: argparse.Namespace) -> int:
    """Create an application from flags and/or a file; print it and the key file's path."""
    from vonage_widgets.appconfig import load_application_file
    from vonage_widgets.appwrite import keep_returned_key, new_key_pair, returned_key_file, send
    from vonage_widgets.keys import key_file_name

    body: dict[str, Any] = {}
    if args.from_file is not None:
        loaded = load_application_file(args.from_file)
        if loaded.id:
            note(
                f"Ignoring the id {loaded.id} in {args.from_file}: create makes a new application."
            )
        body = loaded.to_api()
    if args.name is not None:
        body["name"] = args.name
    body = overlay(body, args)
    if not body.get("name"):
        raise ValidationError(
            [FieldError("name", "is required: pass --name NAME (or a --from-file that has one)")],
            subject="application",
        )
    public = _public_key(args)
    if public is not None:
        body["keys"] = {"public_key": public}
    _check(body, args)
    own_key = bool((body.get("keys") or {}).get("public_key"))
    if own_key and args.private_key_file is not None:
        usage_error(
            args,
            "--private-key-file is where a key pair made here goes; with your own public key "
            "(--public-key-file or the file's keys) you already hold the private key",
        )
    explicit = _writable_key_path(args)

    with open_target(args) as target:
        keys_dir = target.keys_dir
        key_file: Path | None = None
        if not own_key:
            public_pem, key_file = new_key_pair(
                lambda pair: explicit or keys_dir / key_file_name(body["name"], pair.public_pem),
                overwrite=args.force,
            )
            body["keys"] = {"public_key": public_pem}
        created = send(lambda: target.client.applications.create(body), key_file, removed=_removed)
        # Vonage made the pair after all: its private key is shown this once [api-notes §1.6].
        returned = keep_returned_key(
            created,
            explicit or (lambda app: returned_key_file(keys_dir, app)),
            kept_in="nowhere: this command ends here",
            overwrite=args.force,
        )
        if returned.unsaved is not None and returned.unsaved.reason is not None:
            raise returned.unsaved.reason
        key_file = returned.key_file or key_file
    app = _without_private_key(created)
    if args.json:
        print_json({"application": app.to_dict(), "private_key_file": _shown(key_file)})
        return EXIT_OK
    out = stdout()
    out.write(f"Created application {app.name!r} ({app.id}).\n")
    if key_file is not None:
        out.write(
            f"Private key saved to {key_file} (mode 0600). It is the only copy: Vonage keeps "
            "the public key only. You need it to sign JWTs.\n"
        )
    out.write("\n")
    show_application(app)
    return EXIT_OK


# -- update -----------------------------------------------------------------------------------


def run_update(args: argparse.Namespace) -> int:
    """Read the application, apply the flags or file, PUT it back whole; print what changed."""
    from vonage_widgets.appconfig import load_application_file
    from vonage_widgets.appwrite import new_key_pair, send
    from vonage_widgets.keys import key_file_name
    from vonage_widgets.models import validate_application

    public = _public_key(args)
    if args.rotate_key and public is not None:
        usage_error(args, "--rotate-key makes a new pair here; --public-key-file uploads yours")
    if args.private_key_file is not None and not args.rotate_key:
        usage_error(args, "--private-key-file is only used with --rotate-key")
    loaded = load_application_file(args.from_file) if args.from_file is not None else None
    if loaded is not None and loaded.id and loaded.id != args.id:
        raise ValidationError(
            [FieldError("id", f"the file is for application {loaded.id}, not {args.id}")],
            subject=f"application file {str(args.from_file)!r}",
        )
    anything = flags_given(args) or args.name is not None or loaded or public or args.rotate_key
    if not anything:
        usage_error(
            args,
            "nothing to change: give flags such as --name or --voice-answer-url, "
            "--from-file, --public-key-file or --rotate-key",
        )
    explicit = _writable_key_path(args) if args.rotate_key else None

    with open_target(args) as target:
        keys_dir = target.keys_dir
        current = target.client.applications.get(args.id)
        before = current.to_api()
        body = loaded.to_api() if loaded is not None else dict(before)
        if "keys" not in body and "keys" in before:
            body["keys"] = before["keys"]  # a file without keys keeps the application's key
        if args.name is not None:
            body["name"] = args.name
        body = overlay(body, args)
        if public is not None:
            body["keys"] = {"public_key": public}
        body = _check(body, args).to_api()
        changes = _changes(before, body)
        if args.dry_run:
            return _report_dry_run(args, current, changes)
        key_file = None
        if args.rotate_key:
            public_pem, key_file = new_key_pair(
                lambda pair: explicit or keys_dir / key_file_name(body["name"], pair.public_pem),
                overwrite=args.force,
            )
            body["keys"] = {"public_key": public_pem}
            changes = _changes(before, body)
        if not changes:
            note(f"No changes: application {current.name!r} ({current.id}) is already like that.")
            updated = current
        else:
            updated = send(
                lambda: target.client.applications.update(args.id, body), key_file, removed=_removed
            )
    app = _without_private_key(validate_application(updated.to_dict()))
    if args.json:
        print_json(
            {
                "application": app.to_dict(),
                "changes": [{"path": p, "before": b, "after": a} for p, b, a in changes],
                "private_key_file": _shown(key_file),
            }
        )
        return EXIT_OK
    out = stdout()
    if changes:
        out.write(f"Updated application {app.name!r} ({app.id}):\n")
        _print_changes(changes)
    if key_file is not None:
        out.write(
            f"New private key saved to {key_file} (mode 0600); the old one no longer works.\n"
        )
    if changes or key_file is not None:
        out.write("\n")
    show_application(app)
    return EXIT_OK


def _report_dry_run(
    args: argparse.Namespace, current: Application, changes: list[tuple[str, Any, Any]]
) -> int:
    if args.json:
        print_json(
            {
                "application": current.to_dict(),
                "changes": [{"path": p, "before": b, "after": a} for p, b, a in changes],
                "dry_run": True,
            }
        )
        return EXIT_OK
    out = stdout()
    if not changes:
        out.write("Dry run: nothing would change.\n")
        return EXIT_OK
    out.write(f"Dry run: these changes would be sent to {current.name!r} ({current.id}):\n")
    _print_changes(changes)
    return EXIT_OK


# -- helpers ----------------------------------------------------------------------------------


def _check(body: dict[str, Any], args: argparse.Namespace) -> Application:
    """The body checked by the models; problems name the flag that set the field."""
    from vonage_widgets.models import validate_application

    try:
        return validate_application(body)
    except ValidationError as error:
        raise annotate(error, flags_given(args)) from None


def _public_key(args: argparse.Namespace) -> str | None:
    if args.public_key_file is None:
        return None
    from vonage_widgets.keys import public_key_pem

    return public_key_pem(Path(args.public_key_file).expanduser())


def _writable_key_path(args: argparse.Namespace) -> Path | None:
    """``--private-key-file`` checked before anything is made or sent (None when not given)."""
    if args.private_key_file is None:
        return None
    path = Path(args.private_key_file).expanduser()
    if path.is_dir():
        raise KeyHandlingError(
            f"--private-key-file {str(path)!r} is a folder: give a file name, such as "
            f"{str(path / 'private.key')!r}"
        )
    if (path.exists() or path.is_symlink()) and not args.force:
        raise KeyHandlingError(
            f"not overwriting {str(path)!r}: it already exists (maybe another application's "
            "key). Pass --force to replace it, or choose another --private-key-file"
        )
    return path


def _removed(key_file: Path) -> None:
    note(f"The request was refused, so the new key file {key_file} was removed.")


def _without_private_key(app: Application) -> Application:
    from vonage_widgets.models import validate_application

    return validate_application(app.to_dict())


def _shown(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Every leaf that differs, by wire path: (path, before, after); None marks absent."""
    return [
        (path, _readable(path, was), _readable(path, now))
        for path, was, now in changed_fields(before, after)
    ]


def _readable(path: str, value: Any) -> Any:
    # A PEM public key is long and unreadable in a terminal; its fingerprint identifies it.
    if path == "keys.public_key" and isinstance(value, str):
        from vonage_widgets.errors import VonageWidgetsError
        from vonage_widgets.keys import fingerprint

        try:
            return f"public key {fingerprint(value)}"
        except VonageWidgetsError:
            return "(a public key)"
    return value


def _print_changes(changes: list[tuple[str, Any, Any]]) -> None:
    out = stdout()
    for path, old, new in changes:
        shown_old = "(absent)" if old is None else repr(old) if isinstance(old, str) else old
        shown_new = "(absent)" if new is None else repr(new) if isinstance(new, str) else new
        out.write(f"  {path}: {shown_old} -> {shown_new}\n")
