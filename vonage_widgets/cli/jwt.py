"""``vonage-widgets jwt create`` / ``jwt decode``: application JWTs (RS256,
[api-notes §4]), made and read with :func:`~vonage_widgets.keys.mint_jwt` and
:func:`~vonage_widgets.keys.decode_jwt`, offline.

``create`` prints only the token on stdout, so ``$(vonage-widgets jwt create ...)`` works.
``decode`` shows the claims; they are **not verified** unless ``--public-key-file`` is given
(then the signature, ``exp`` and ``nbf`` are checked and a failure exits 1).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vonage_widgets.cli._output import (
    EXIT_CODES_HELP,
    EXIT_OK,
    add_json_argument,
    note,
    print_fields,
    print_json,
    stdout,
    usage_error,
)

__all__ = ["register", "run_create", "run_decode"]

_APP_ID_ENV = "VONAGE_APPLICATION_ID"
_KEY_PATH_ENV = "VONAGE_PRIVATE_KEY_PATH"
_FROM_STDIN = "-"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``jwt`` command and its ``create`` and ``decode`` subcommands."""
    from vonage_widgets.keys import JWT_TTL_DEFAULT, JWT_TTL_MAX, JWT_TTL_MIN

    group = subparsers.add_parser(
        "jwt",
        help="make and read application JWTs (RS256)",
        description="Application JWTs for Vonage APIs that use them (Voice, Client SDK).",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = group.add_subparsers(dest="jwt_command", required=True, metavar="SUBCOMMAND")
    create = commands.add_parser(
        "create",
        help="sign a JWT with an application's private key; prints the token",
        description="Sign an application JWT with the application's private key and print it.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument(
        "--app-id",
        default=os.environ.get(_APP_ID_ENV) or None,
        metavar="ID",
        help=f"the application id (default ${_APP_ID_ENV})",
    )
    create.add_argument(
        "--private-key-file",
        default=os.environ.get(_KEY_PATH_ENV) or None,
        metavar="PATH",
        help=f"the application's private key file (default ${_KEY_PATH_ENV})",
    )
    create.add_argument(
        "--ttl",
        type=int,
        default=JWT_TTL_DEFAULT,
        metavar="SECONDS",
        help=f"lifetime, {JWT_TTL_MIN}-{JWT_TTL_MAX} seconds (default {JWT_TTL_DEFAULT})",
    )
    create.add_argument("--sub", metavar="USER", help="the Client SDK user name (sub claim)")
    create.add_argument(
        "--acl-client-sdk",
        action="store_true",
        help="add the full Client SDK acl claim (users, conversations, sessions, ...)",
    )
    add_json_argument(create)
    create.set_defaults(handler=run_create, command_parser=create)

    decode = commands.add_parser(
        "decode",
        help="show a JWT's claims (verified only with --public-key-file)",
        description="Show a JWT's claims. Without --public-key-file nothing is verified: "
        "never trust claims read that way.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    decode.add_argument("token", metavar="TOKEN", help="the JWT ('-' reads it from stdin)")
    decode.add_argument(
        "--public-key-file",
        metavar="PATH",
        help="verify the signature, exp and nbf with this public key (or the private key file)",
    )
    add_json_argument(decode)
    decode.set_defaults(handler=run_decode, command_parser=decode)


def run_create(args: argparse.Namespace) -> int:
    """Print a new token (stdout holds the token only; JSON adds its claims)."""
    from vonage_widgets.keys import client_sdk_acl, decode_jwt, mint_jwt

    missing = [
        f"{flag} (or ${env})"
        for flag, env, value in (
            ("--app-id", _APP_ID_ENV, args.app_id),
            ("--private-key-file", _KEY_PATH_ENV, args.private_key_file),
        )
        if not value
    ]
    if missing:
        usage_error(args, "missing " + " and ".join(missing))
    token = mint_jwt(
        args.app_id,
        Path(args.private_key_file).expanduser(),
        ttl=args.ttl,
        sub=args.sub,
        acl=client_sdk_acl() if args.acl_client_sdk else None,
    )
    claims = decode_jwt(token)
    if args.json:
        print_json({"token": token, "claims": claims})
    else:
        stdout().write(token + "\n")
        note(f"Expires {_when(claims.get('exp'))}.")
    return EXIT_OK


def run_decode(args: argparse.Namespace) -> int:
    """Print the claims, and whether the signature was verified."""
    from vonage_widgets.keys import decode_jwt

    given: str = args.token
    text = sys.stdin.read().strip() if given == _FROM_STDIN else given
    key = Path(args.public_key_file).expanduser() if args.public_key_file else None
    claims = decode_jwt(text, key)
    verified = key is not None
    if args.json:
        print_json({"verified": verified, "claims": claims})
        return EXIT_OK
    out = stdout()
    if verified:
        out.write(f"Signature verified with {args.public_key_file}; exp and nbf checked.\n")
    else:
        out.write("NOT verified (pass --public-key-file PATH to check the signature).\n")
    print_fields([(name, _claim(name, value)) for name, value in claims.items()], out)
    return EXIT_OK


def _claim(name: str, value: Any) -> Any:
    if name in ("iat", "exp", "nbf") and isinstance(value, int | float):
        return f"{value} ({_when(value)})"
    if name == "acl" and isinstance(value, dict):
        paths = value.get("paths")
        return f"{len(paths)} paths" if isinstance(paths, dict) else value
    return value


def _when(seconds: object) -> str:
    if not isinstance(seconds, int | float) or isinstance(seconds, bool):
        return "never"
    moment = datetime.fromtimestamp(seconds, tz=UTC).isoformat(timespec="seconds")
    delta = int(seconds - time.time())
    relative = f"in {delta} s" if delta >= 0 else f"{-delta} s ago"
    return f"{moment}, {relative}"
