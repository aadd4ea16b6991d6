"""What the CLI prints: JSON, plain-text tables, error lines, and the exit code of each error.

One place decides how a result or a failure reaches the terminal, so every command agrees:
results go to stdout (JSON with ``--json``, else readable text), notes and errors to stderr,
and an expected error never shows a traceback or a secret. The exit codes are part of the
interface (scripts and CI test them) and are listed in every ``--help`` epilog.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from vonage_widgets.errors import (
    ApiError,
    FieldError,
    TransportError,
    ValidationError,
    VonageWidgetsError,
)
from vonage_widgets.redact import redact

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "EXIT_API",
    "EXIT_CODES_HELP",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_TRANSPORT",
    "EXIT_USAGE",
    "add_json_argument",
    "exit_code_for",
    "field_errors_json",
    "format_error",
    "note",
    "print_fields",
    "print_json",
    "print_table",
    "report_error",
    "stdout",
    "usage_error",
]

EXIT_OK = 0
"""Success."""
EXIT_INVALID = 1
"""Invalid input: a field breaks a rule, an invalid NCCO, a key or file problem, a refusal."""
EXIT_USAGE = 2
"""Usage error: what argparse rejects, and a missing ``--yes`` without a terminal."""
EXIT_API = 3
"""The API answered with a 4xx error (or a Numbers API ``error-code``)."""
EXIT_TRANSPORT = 4
"""No usable answer: network or transport failure, timeout, or a 5xx server error."""
EXIT_INTERRUPTED = 130
"""Interrupted with Ctrl-C (128 + SIGINT, the shell convention)."""

EXIT_CODES_HELP = """\
exit codes:
  0    success
  1    invalid input: a field breaks a rule (printed as "path: message"), an invalid
       NCCO, an unreadable key or file, a refused change (an existing key file without
       --force, a number linked to another application without --force)
  2    usage error: unknown command or option, a missing argument, or --yes missing
       when there is no terminal to confirm on
  3    API error: the API refused the request (HTTP 4xx); its invalid_parameters are shown
  4    network or transport failure, timeout, or a server error (HTTP 5xx)
  130  interrupted (Ctrl-C)"""
"""The exit-code table shown in ``--help`` epilogs."""

# Secrets that could reach a message through a third-party exception text; redact() also
# removes any PEM private key block, whatever its source.
_SECRET_VARIABLES = ("VONAGE_API_SECRET", "VONAGE_SANDBOX_API_SECRET", "VONAGE_SIGNATURE_SECRET")


def stdout() -> TextIO:
    """The current ``sys.stdout`` (looked up at call time, so capture in tests works)."""
    return sys.stdout


def note(message: str) -> None:
    """A message for the person at the terminal, on stderr (stdout stays machine-readable)."""
    print(redact(message, *_secrets()), file=sys.stderr, flush=True)


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``: print the result as JSON on stdout instead of readable text."""
    parser.add_argument(
        "--json",
        action="store_true",
        help="print the result as JSON (machine-readable) instead of readable text",
    )


def print_json(data: Any, out: TextIO | None = None) -> None:
    """Pretty JSON (two-space indent, UTF-8 text) and a newline."""
    target = out or stdout()
    target.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    target.flush()


def print_table(frame: pd.DataFrame, out: TextIO | None = None, *, empty: str = "(none)") -> None:
    """A DataFrame as aligned plain text without the index; ``empty`` when it has no rows."""
    target = out or stdout()
    if frame.empty:
        target.write(empty + "\n")
        return
    columns = [str(name) for name in frame.columns]
    cells = [[_cell(value) for value in row] for row in frame.itertuples(index=False)]
    widths = [max(len(text) for text in column) for column in zip(columns, *cells, strict=True)]
    for row in (columns, *cells):
        line = "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True))
        target.write(line.rstrip() + "\n")


def _cell(value: Any) -> str:
    """One table cell as text: missing values (None, NaN, pandas.NA) show as ``-``."""
    import pandas as pd

    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return "-"
    return str(value)


def print_fields(pairs: Iterable[tuple[str, Any]], out: TextIO | None = None) -> None:
    """Label/value lines with the values aligned (``Name   my app``)."""
    rows = [(label, "-" if value is None else str(value)) for label, value in pairs]
    width = max((len(label) for label, _ in rows), default=0)
    target = out or stdout()
    for label, value in rows:
        target.write(f"{label.ljust(width)}  {value}\n")


def field_errors_json(errors: Sequence[FieldError]) -> list[dict[str, str]]:
    """Field errors as JSON objects: ``{"path": ..., "message": ...}``."""
    return [{"path": e.path, "message": e.message} for e in errors]


def exit_code_for(error: BaseException) -> int:
    """The documented exit code for an error (see :data:`EXIT_CODES_HELP`)."""
    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, TransportError):
        return EXIT_TRANSPORT
    if isinstance(error, ApiError):
        return EXIT_TRANSPORT if error.status >= 500 else EXIT_API
    return EXIT_INVALID


def format_error(error: BaseException) -> str:
    """``error: ...`` text for an expected error: the field paths and rules, never a secret.

    A :class:`ValidationError` lists one ``path: message`` line per broken rule; an
    :class:`ApiError` shows its status, title, detail and ``invalid_parameters``; an
    ``OSError`` names the file and the reason.
    """
    if isinstance(error, OSError) and not isinstance(error, VonageWidgetsError):
        where = f" {error.filename!r}" if error.filename else ""
        text = f"{error.strerror or type(error).__name__}{where}"
    elif isinstance(error, ValidationError | ApiError):
        text = str(error)
    else:
        text = str(error) or type(error).__name__
    return redact(f"error: {text}", *_secrets())


def report_error(error: BaseException) -> int:
    """Print :func:`format_error` on stderr and return the error's exit code."""
    print(format_error(error), file=sys.stderr, flush=True)
    return exit_code_for(error)


def usage_error(args: argparse.Namespace, message: str) -> NoReturn:
    """Stop with a usage error (exit 2) shown the way argparse shows its own."""
    parser: argparse.ArgumentParser | None = getattr(args, "command_parser", None)
    if parser is None:
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)
    parser.error(message)


def _secrets() -> list[str]:
    environ: Mapping[str, str] = os.environ
    return [environ[name] for name in _SECRET_VARIABLES if environ.get(name)]
