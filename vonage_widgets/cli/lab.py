"""``vonage-widgets lab``: JupyterLab on the tutorial notebooks, with the sandbox unless
credentials are set (see :func:`vonage_widgets.lab.run_lab`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from vonage_widgets.cli._output import EXIT_CODES_HELP

__all__ = ["register", "run"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lab`` command."""
    parser = subparsers.add_parser(
        "lab",
        help="open the tutorial notebooks in JupyterLab (with the sandbox unless credentials)",
        description="Start JupyterLab on the tutorial notebooks. Without VONAGE_API_KEY and "
        "VONAGE_API_SECRET a sandbox runs in this process on 127.0.0.1 and every notebook "
        "uses it (VONAGE_WIDGETS_SANDBOX_URL). Ctrl-C stops JupyterLab, then the sandbox.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--port", type=int, default=8888, help="JupyterLab's port on 127.0.0.1 (default 8888)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="do not open a browser; just print the URL"
    )
    parser.add_argument(
        "--notebook-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder to open (default: the repository's notebooks/ in a checkout; else "
        "the working copies of the tutorials in $VONAGE_WIDGETS_HOME/tutorials, copied there "
        "on first run, never overwriting your edits)",
    )
    parser.set_defaults(handler=run, command_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Run JupyterLab until it exits or Ctrl-C; returns its exit code."""
    from vonage_widgets import lab

    return lab.run_lab(args.notebook_dir, port=args.port, open_browser=not args.no_browser)
