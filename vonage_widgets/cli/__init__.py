"""The ``vonage-widgets`` console script: applications, numbers, NCCOs and JWTs from a terminal.

Commands, one module each: ``sandbox`` (run the emulator), ``lab`` (JupyterLab on the
tutorials), ``apps`` (list/show/create/update/delete, link/unlink numbers), ``numbers``
(list), ``ncco`` (validate a file), ``jwt`` (create/decode), ``calls``
(create/list/show/hangup Voice API calls as an application). Each module has a
``register(subparsers)`` that adds its parser and sets ``handler(args) -> exit code``; add a
command by writing one and listing it in :data:`_COMMANDS`. Heavy modules load inside the
handlers.

API commands talk to the real Vonage API when ``VONAGE_API_KEY``/``VONAGE_API_SECRET`` are
set, otherwise to a sandbox (``--sandbox-url``, ``VONAGE_WIDGETS_SANDBOX_URL``, or one
embedded for the command); see :mod:`vonage_widgets.cli._target`. Results go to stdout
(``--json`` for machine-readable output), notes and errors to stderr; exit codes are listed
in ``--help`` (:data:`vonage_widgets.cli._output.EXIT_CODES_HELP`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from vonage_widgets.cli import apps, calls, jwt, lab, ncco, numbers, sandbox
from vonage_widgets.cli._output import EXIT_CODES_HELP, report_error
from vonage_widgets.errors import VonageWidgetsError

__all__ = ["build_parser", "main"]

_COMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    apps.register,
    numbers.register,
    ncco.register,
    jwt.register,
    calls.register,
    lab.register,
    sandbox.register,
)

_DESCRIPTION = """\
Learn, set up and test Vonage API applications: manage applications and numbers, check
NCCOs, make JWTs, run the offline sandbox and the tutorial notebooks.

Target of API commands (said on stderr): --sandbox-url URL; else the real Vonage API when
VONAGE_API_KEY and VONAGE_API_SECRET are set (hosts VONAGE_API_HOST, VONAGE_REST_HOST); else
the sandbox in VONAGE_WIDGETS_SANDBOX_URL; else an embedded sandbox for the command, whose
state (in VONAGE_WIDGETS_HOME) carries over to the next command."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    from vonage_widgets._version import __version__

    parser = argparse.ArgumentParser(
        prog="vonage-widgets",
        description=_DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in _COMMANDS:
        add(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``vonage-widgets`` script; returns the process exit code.

    Usage errors leave through argparse's ``SystemExit(2)``. Expected failures (bad input,
    API refusals, network trouble, unreadable files, Ctrl-C) print one ``error: ...`` block on
    stderr, without a traceback or a secret, and return their documented code.
    """
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt as interrupt:
        return report_error(_Interrupted(interrupt))
    except (VonageWidgetsError, OSError) as error:
        return report_error(error)


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C, with the message people see."""

    def __init__(self, cause: KeyboardInterrupt) -> None:
        super().__init__("interrupted")
        self.__cause__ = cause
