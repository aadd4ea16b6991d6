"""``vonage-widgets sandbox``: run the local emulator in the foreground until Ctrl-C.

It prints its URL, the API key, the CA file to trust with ``--tls``, and the API secret
only when it is the documented default. It stops cleanly on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

__all__ = ["register", "run_sandbox"]

_SECRET_ENV = "VONAGE_SANDBOX_API_SECRET"  # noqa: S105 - a variable name, not a secret
_KEY_ENV = "VONAGE_SANDBOX_API_KEY"


def _seed(text: str) -> int | str:
    return int(text) if text.lstrip("-").isdigit() else text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``sandbox`` command."""
    parser = subparsers.add_parser(
        "sandbox",
        help="run the local Vonage API sandbox (Application API v2, Numbers API, Voice API calls)",
        description="Run the local emulator of the Vonage Application API v2 and Numbers "
        "API in the foreground until Ctrl-C. Both APIs share one host: point a client's "
        "API host and REST host at the printed URL.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default 0: a free port)"
    )
    parser.add_argument(
        "--db",
        default="default",
        help="SQLite file: a path, 'default' (shared: sandbox.sqlite3 in $VONAGE_WIDGETS_HOME, "
        "else in the user data folder; the default) or 'temp' (a temporary file deleted on "
        "exit)",
    )
    parser.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a local CA (needed by the official Vonage SDK)",
    )
    parser.add_argument(
        "--seed", type=_seed, default=None, help="make ids and timestamps reproducible"
    )
    parser.add_argument(
        "--latency",
        metavar="MS",
        default=None,
        help="make every request wait MS milliseconds before it is answered, like a network "
        "round trip (default $VONAGE_WIDGETS_SANDBOX_LATENCY, else 0)",
    )
    parser.add_argument(
        "--api-key",
        default=os.environ.get(_KEY_ENV),
        help=f"API key of the account (default 'sandbox', or ${_KEY_ENV})",
    )
    parser.add_argument(
        "--api-secret",
        default=os.environ.get(_SECRET_ENV),
        help=f"API secret of the account (prefer ${_SECRET_ENV}: arguments are visible "
        "to other users in process lists)",
    )
    parser.set_defaults(handler=run_sandbox, command_parser=parser)


def _database(given: str) -> Path | str | None:
    """``--db``: ``None`` for 'temp'; for 'default', the file the workbook shares (under
    ``VONAGE_WIDGETS_HOME`` when set, else the user data folder); else the path given."""
    if given == "temp":
        return None
    if given == "default":
        return "default"  # the sandbox resolves it: vonage_widgets._paths.default_home
    return given


def run_sandbox(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    """Serve until Ctrl-C or SIGTERM; 0 after a clean stop, 1 if it cannot start, 2 for
    half-given credentials or a bad ``--latency``."""
    from vonage_widgets.errors import VonageWidgetsError
    from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET, Sandbox

    if (args.api_key is None) != (args.api_secret is None):
        print("error: give both --api-key and --api-secret, or neither", file=sys.stderr)
        return 2
    accounts = None
    if args.api_key is not None:
        accounts = {args.api_key: args.api_secret}
    db = _database(args.db)
    try:
        from vonage_widgets.sandbox.latency import checked_latency, latency_from_env

        given = getattr(args, "latency", None)
        if given is None:
            latency = latency_from_env(os.environ)
        else:
            latency = checked_latency(given, "--latency")
    except VonageWidgetsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        sandbox = Sandbox(
            host=args.host,
            port=args.port,
            db=db,
            accounts=accounts,
            seed=args.seed,
            tls=args.tls,
            latency=latency,
        )
        sandbox.start()
    except (OSError, VonageWidgetsError) as error:
        print(f"error: the sandbox could not start: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_term(signum: int, frame: FrameType | None) -> None:
        stop.set()

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, on_term) if in_main_thread else None
    try:
        default_secret = sandbox.api_key == DEFAULT_API_KEY and (
            sandbox.api_secret == DEFAULT_API_SECRET
        )
        secret = (
            f"{DEFAULT_API_SECRET} (the documented default)" if default_secret else "(as given)"
        )
        lines = [
            f"Vonage sandbox running at {sandbox.url}",
            f"  API key:     {sandbox.api_key}",
            f"  API secret:  {secret}",
            f"  Database:    {sandbox.db_path if db is not None else 'temporary'}",
        ]
        if sandbox.latency:
            lines.append(f"  Latency:     {sandbox.latency:g} ms before each answer (simulated)")
        if sandbox.ca_file:
            lines.append(f"  CA file:     {sandbox.ca_file}")
            lines.append(f"  (trust it, e.g. REQUESTS_CA_BUNDLE={sandbox.ca_file})")
        lines += [
            f"Point clients at it: VONAGE_API_HOST={sandbox.url} VONAGE_REST_HOST={sandbox.url}",
            "Press Ctrl-C to stop.",
        ]
        print("\n".join(lines), file=out, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
        sandbox.close()
    print("Sandbox stopped.", file=out, flush=True)
    return 0
