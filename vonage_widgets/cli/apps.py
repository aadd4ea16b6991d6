"""``vonage-widgets apps``: list, show, create, update and delete applications; link numbers.

This module registers the ``apps`` subcommands and runs the read and delete ones; creating
and updating live in :mod:`vonage_widgets.cli._app_write`, linking numbers in
:mod:`vonage_widgets.cli.numbers`. Every subcommand prints readable text, or JSON with
``--json``; the target (Vonage, a sandbox, an embedded sandbox) is said on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TypeAlias

from vonage_widgets.cli import _app_write, numbers
from vonage_widgets.cli._app_show import show_application
from vonage_widgets.cli._output import (
    EXIT_CODES_HELP,
    EXIT_INVALID,
    EXIT_OK,
    add_json_argument,
    note,
    print_json,
    print_table,
    stdout,
    usage_error,
)
from vonage_widgets.cli._target import add_target_argument, open_target

__all__ = [
    "confirm",
    "register",
    "run_delete",
    "run_list",
    "run_show",
    "show_application",  # lives in cli._app_show (shared with create and update)
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
    from vonage_widgets.tables import applications_list

    with open_target(args) as target:
        apps = target.client.applications.list_all()
    if args.json:
        print_json([app.to_dict() for app in apps])
        return EXIT_OK
    print_table(
        applications_list(apps),
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
