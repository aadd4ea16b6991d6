"""``vonage-widgets apps``: list, show, create, update and delete applications; link numbers.

This module registers the ``apps`` subcommands and runs the read and delete ones; creating
and updating live in :mod:`vonage_widgets.cli._app_write`, linking numbers in
:mod:`vonage_widgets.cli.numbers`. Every subcommand prints readable text, or JSON with
``--json``; the target (Vonage, a sandbox, an embedded sandbox) is said on stderr.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, TextIO, TypeAlias

from vonage_widgets.cli import _app_write, numbers
from vonage_widgets.cli._output import (
    EXIT_CODES_HELP,
    EXIT_INVALID,
    EXIT_OK,
    add_json_argument,
    note,
    print_fields,
    print_json,
    print_table,
    stdout,
    usage_error,
)
from vonage_widgets.cli._target import add_target_argument, open_target

if TYPE_CHECKING:
    from vonage_widgets.models import Application

__all__ = [
    "confirm",
    "register",
    "run_delete",
    "run_list",
    "run_show",
    "show_application",
    "stdin_is_terminal",
]

_Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(subparsers: _Subparsers) -> None:
    """Add the ``apps`` command and its subcommands."""
    apps = subparsers.add_parser(
        "apps",
        help="list, show, create, update and delete applications; link numbers",
        description="Manage Vonage applications (Application API v2) and their numbers.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = apps.add_subparsers(dest="apps_command", required=True, metavar="SUBCOMMAND")

    _leaf(commands, "list", "list every application (all pages)", run_list)
    show = _leaf(
        commands, "show", "show one application: capabilities, settings, webhooks", run_show
    )
    show.add_argument("id", metavar="ID", help="the application id")

    create = _leaf(
        commands,
        "create",
        "create an application; a key pair is made here and the private key saved (0600)",
        _app_write.run_create,
    )
    _app_write.add_write_arguments(create, creating=True)

    update = _leaf(
        commands,
        "update",
        "change an application: read it, apply the flags or file, write it back whole",
        _app_write.run_update,
    )
    update.add_argument("id", metavar="ID", help="the application id")
    _app_write.add_write_arguments(update, creating=False)

    delete = _leaf(
        commands, "delete", "delete an application (asks first unless --yes)", run_delete
    )
    delete.add_argument("id", metavar="ID", help="the application id")
    delete.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="do not ask for confirmation (required when stdin is not a terminal)",
    )

    link = _leaf(
        commands,
        "link",
        "link a number to an application (--force to move it from another one)",
        numbers.run_link,
    )
    numbers.add_link_arguments(link)
    unlink = _leaf(
        commands,
        "unlink",
        "unlink a number from whatever application it is linked to",
        numbers.run_unlink,
    )
    numbers.add_unlink_arguments(unlink)


def _leaf(commands: _Subparsers, name: str, summary: str, handler: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_json_argument(parser)
    add_target_argument(parser)
    parser.set_defaults(handler=handler, command_parser=parser)
    return parser


# -- list and show ----------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    """Print every application: id, name and capabilities (or JSON, the API's shape)."""
    import pandas as pd

    from vonage_widgets.tables import present_capabilities

    with open_target(args) as target:
        apps = target.client.applications.list_all()
    if args.json:
        print_json([app.to_dict() for app in apps])
        return EXIT_OK
    rows = [
        (app.id, app.name, ", ".join(name for name, _ in present_capabilities(app)) or "-")
        for app in apps
    ]
    print_table(
        pd.DataFrame(rows, columns=["id", "name", "capabilities"]),
        empty="No applications yet: create one with `vonage-widgets apps create --name NAME`.",
    )
    if apps:
        stdout().write(f"{len(apps)} application{'s' * (len(apps) != 1)}\n")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    """Print one application (or JSON, the API's shape; never a private key)."""
    with open_target(args) as target:
        app = target.client.applications.get(args.id)
    if args.json:
        print_json(app.to_dict())
    else:
        show_application(app)
    return EXIT_OK


def show_application(app: Application, out: TextIO | None = None) -> None:
    """An application as readable text: summary, settings, then the webhooks table."""
    from vonage_widgets.models import PRIVACY_SETTINGS, capability_names
    from vonage_widgets.tables import present_capabilities, webhooks_table

    target = out or stdout()
    known = set(capability_names())
    names = [
        n if n in known else f"{n} (not modelled; kept as is)" for n, _ in present_capabilities(app)
    ]
    improve_ai = app.privacy.improve_ai if app.privacy is not None else None
    default = PRIVACY_SETTINGS[0].default if PRIVACY_SETTINGS else None
    shown_ai = (
        _yes_no(improve_ai) if improve_ai is not None else f"not set (Vonage: {_yes_no(default)})"
    )
    public = app.keys.public_key if app.keys is not None else None
    print_fields(
        [
            ("Name", app.name),
            ("ID", app.id),
            ("Capabilities", ", ".join(names) or "(none)"),
            ("Improve AI", shown_ai),
            ("Public key", _key_label(public)),
        ],
        target,
    )
    capabilities = app.to_api().get("capabilities") or {}
    settings = list(_settings(capabilities))
    if settings:
        target.write("\nSettings:\n")
        print_fields([(f"  {path}", value) for path, value in settings], target)
    hooks = webhooks_table([app])
    if not hooks.empty:
        target.write("\nWebhooks:\n")
        columns = [
            "capability",
            "webhook",
            "address",
            "http_method",
            "connect_timeout",
            "socket_timeout",
        ]
        print_table(hooks[columns], target)


def _yes_no(value: object) -> str:
    return {True: "yes", False: "no"}.get(value, "-") if isinstance(value, bool) else "-"


def _key_label(public: str | None) -> str:
    if not public:
        return "(none)"
    from vonage_widgets.errors import VonageWidgetsError
    from vonage_widgets.keys import fingerprint

    try:
        return fingerprint(public)
    except VonageWidgetsError:
        return "(set, but not a readable RSA public key)"


def _settings(capabilities: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every non-webhook leaf under ``capabilities`` by dotted path (webhooks have a table)."""
    for key, value in capabilities.items():
        if key == "webhooks" and prefix:
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, Mapping) and value:
            yield from _settings(value, path)
        elif prefix or value != {}:
            yield path, value if not isinstance(value, Mapping) else "{}"


# -- delete -----------------------------------------------------------------------------------


def run_delete(args: argparse.Namespace) -> int:
    """Delete an application after confirmation (``--yes`` skips it; required without a tty)."""
    if not args.yes and not stdin_is_terminal():
        usage_error(
            args,
            "stdin is not a terminal, so nobody can confirm the deletion: pass --yes to "
            f"delete application {args.id} without asking",
        )
    with open_target(args) as target:
        app = target.client.applications.get(args.id)
        question = f"Delete application {app.name!r} ({app.id})? This cannot be undone. [y/N] "
        if not args.yes and not confirm(question):
            note("Nothing deleted.")
            return EXIT_INVALID
        target.client.applications.delete(args.id)
    if args.json:
        print_json({"deleted": app.id, "name": app.name})
    else:
        stdout().write(f"Deleted application {app.name!r} ({app.id}).\n")
    return EXIT_OK


def stdin_is_terminal() -> bool:
    """True when stdin is an interactive terminal (someone can answer a question)."""
    stream = sys.stdin
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # closed, or replaced by something without a tty
        return False


def confirm(question: str) -> bool:
    """Ask on stderr, read one line from stdin: True only for ``y`` or ``yes``."""
    sys.stderr.write(question)
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except (OSError, ValueError):
        return False
    return answer.strip().lower() in ("y", "yes")
