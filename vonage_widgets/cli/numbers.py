"""``vonage-widgets numbers list`` and ``apps link`` / ``apps unlink``.

Linking goes through :mod:`vonage_widgets.linking`, so the CLI behaves like the notebook's
NumberLinker: a number linked to *another* application is never moved silently (the command
names that application and asks for ``--force``), and the number's other settings survive.
"""

from __future__ import annotations

import argparse
from typing import Any

from vonage_widgets.cli._output import (
    EXIT_API,
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
    "add_link_arguments",
    "add_unlink_arguments",
    "register",
    "run_link",
    "run_list",
    "run_unlink",
]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``numbers`` command and its ``list`` subcommand."""
    group = subparsers.add_parser(
        "numbers",
        help="list the account's numbers and what they are linked to",
        description="The numbers this account owns (Numbers API).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="numbers_command", required=True, metavar="SUBCOMMAND")
    listing = commands.add_parser(
        "list",
        help="list owned numbers (all pages), optionally filtered",
        description="List the numbers this account owns, with the application each is "
        "linked to. Use `apps link` / `apps unlink` to change links.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    listing.add_argument("--country", metavar="CC", help="only numbers of this country (GB, US)")
    listing.add_argument("--app", metavar="ID", help="only numbers linked to this application")
    linked = listing.add_mutually_exclusive_group()
    linked.add_argument(
        "--linked", action="store_true", help="only numbers linked to some application"
    )
    linked.add_argument(
        "--unlinked", action="store_true", help="only numbers linked to no application"
    )
    add_json_argument(listing)
    add_target_argument(listing)
    listing.set_defaults(handler=run_list, command_parser=listing)


def add_link_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``apps link``."""
    parser.add_argument("number", metavar="NUMBER", help="the number, E.164 without '+'")
    parser.add_argument("--app", required=True, metavar="ID", help="the application to link to")
    parser.add_argument("--country", metavar="CC", help="the number's country, if you know it")
    parser.add_argument(
        "--force",
        action="store_true",
        help="move the number even if it is linked to another application",
    )


def add_unlink_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``apps unlink``."""
    parser.add_argument("number", metavar="NUMBER", help="the number, E.164 without '+'")
    parser.add_argument("--country", metavar="CC", help="the number's country, if you know it")


def run_list(args: argparse.Namespace) -> int:
    """Print the owned numbers with their linked application (or JSON, the API's shape)."""
    from vonage_widgets.tables import numbers_table

    if args.app is not None and args.unlinked:
        usage_error(
            args, "--app lists numbers linked to that application; --unlinked contradicts it"
        )
    linked = True if args.linked else False if args.unlinked else None
    with open_target(args) as target:
        owned = target.client.numbers.list_all(
            country=args.country, application_id=args.app, has_application=linked
        )
        apps = target.client.applications.list_all() if owned else []
    if args.json:
        print_json([number.to_dict() for number in owned])
        return EXIT_OK
    print_table(numbers_table(owned, apps), empty="No numbers match.")
    if owned:
        stdout().write(f"{len(owned)} number{'s' * (len(owned) != 1)}\n")
    return EXIT_OK


def run_link(args: argparse.Namespace) -> int:
    """Link one number; a number on another application needs ``--force`` (exit 1 without)."""
    from vonage_widgets.linking import NEEDS_CONFIRMATION, link_numbers

    with open_target(args) as target:
        frame = link_numbers(target.client, _ref(args), args.app, confirm_relink=bool(args.force))
    row = _row(frame)
    outcome = str(row["outcome"])
    if outcome.startswith(NEEDS_CONFIRMATION):
        where = outcome.partition(": ")[2] or "another application"
        return _finish(
            args,
            row,
            EXIT_INVALID,
            f"{row['msisdn']} is {where}; it was left there. Pass --force to move it to "
            f"application {args.app}.",
        )
    return _finish_outcome(args, row)


def run_unlink(args: argparse.Namespace) -> int:
    """Unlink one number from whatever application it is linked to."""
    from vonage_widgets.linking import unlink_numbers

    with open_target(args) as target:
        frame = unlink_numbers(target.client, _ref(args))
    return _finish_outcome(args, _row(frame))


def _ref(args: argparse.Namespace) -> str | tuple[str, str]:
    number = args.number.strip().removeprefix("+")
    return (number, args.country) if args.country else number


def _row(frame: Any) -> dict[str, Any]:
    record: dict[str, Any] = frame.iloc[0].to_dict()
    return {key: _plain(value) for key, value in record.items()}


def _plain(value: Any) -> Any:
    """A frame cell as JSON: pandas' missing markers (NaN, NA) become None."""
    import pandas as pd

    return None if value is None or pd.isna(value) else value


def _finish_outcome(args: argparse.Namespace, row: dict[str, Any]) -> int:
    from vonage_widgets.linking import FAILED

    if row["outcome"] == FAILED:
        # The API (or the account) refused this number; linking explains how to act on it.
        return _finish(args, row, EXIT_API, str(row["message"]))
    return _finish(args, row, EXIT_OK, None)


def _finish(args: argparse.Namespace, row: dict[str, Any], code: int, problem: str | None) -> int:
    if args.json:
        print_json(row)
    elif problem is None:
        stdout().write(f"{row['outcome'].capitalize()}: {row['message']}\n")
    if problem is not None:
        note(f"error: {problem}")
    return code
