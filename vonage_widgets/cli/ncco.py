"""``vonage-widgets ncco validate FILE``: check an NCCO file the way the sandbox and the
builder do (:func:`~vonage_widgets.models.check_ncco`), offline.

Errors break a documented rule and make the exit code 1; warnings (an unreachable action, a
deprecated key) are printed but allowed. Each line names the field by its path: ``2.eventUrl``
is the ``eventUrl`` of the third action.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from vonage_widgets._json import load_file, loads
from vonage_widgets.cli._output import (
    EXIT_CODES_HELP,
    EXIT_INVALID,
    EXIT_OK,
    add_json_argument,
    field_errors_json,
    print_json,
    stdout,
)

__all__ = ["read_json_file", "register", "run_validate"]

_ROOT_LABEL = "(the NCCO)"  # how a problem of the whole document is shown (path "")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``ncco`` command and its ``validate`` subcommand."""
    group = subparsers.add_parser(
        "ncco",
        help="check NCCO files (the JSON that answers a call)",
        description="Work with NCCOs (Call Control Objects) offline.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="ncco_command", required=True, metavar="SUBCOMMAND")
    validate = commands.add_parser(
        "validate",
        help="check an NCCO file: errors (exit 1) and warnings, each with its field path",
        description="Check an NCCO file (a JSON array of actions) against every documented "
        "rule: action names, field types, ranges and enums, cross-field and sequence rules. "
        "Exit 1 when it is invalid.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("file", metavar="FILE", help="the NCCO JSON file ('-' for stdin)")
    add_json_argument(validate)
    validate.set_defaults(handler=run_validate, command_parser=validate)


def read_json_file(name: str, subject: str) -> Any:
    """The JSON in file ``name`` (``-`` = stdin); ValidationError naming line and column.

    Decoded by :func:`vonage_widgets._json.loads`, so every refusal is a ValidationError
    whose subject is ``subject`` (a lone surrogate at the path of its string).
    """
    # Names line and column; also refuses deep nesting, huge numbers, NaN, lone surrogates.
    if name == "-":
        return loads(sys.stdin.read(), subject=subject)
    return load_file(name, subject=subject)


def run_validate(args: argparse.Namespace) -> int:
    """Check the file; print errors and warnings with their paths; exit 1 when invalid."""
    from vonage_widgets.models import check_ncco

    shown = "stdin" if args.file == "-" else args.file
    subject = f"NCCO file {shown!r}"
    result = check_ncco(read_json_file(args.file, subject))
    actions = len(result.actions)
    if args.json:
        print_json(
            {
                "file": shown,
                "valid": result.ok,
                "actions": actions,
                "errors": field_errors_json(result.errors),
                "warnings": field_errors_json(result.warnings),
            }
        )
        return EXIT_OK if result.ok else EXIT_INVALID
    out = stdout()
    if result.ok:
        summary = f"{subject} is valid ({actions} action{'s' * (actions != 1)}"
    else:
        count = len(result.errors)
        summary = f"{subject} is invalid ({count} error{'s' * (count != 1)}"
    if result.warnings:
        count = len(result.warnings)
        summary += f", {count} warning{'s' * (count != 1)}"
    out.write(summary + ").\n")
    for kind, problems in (("error", result.errors), ("warning", result.warnings)):
        for problem in problems:
            out.write(f"  {kind:<7}  {problem.path or _ROOT_LABEL}: {problem.message}\n")
    return EXIT_OK if result.ok else EXIT_INVALID
