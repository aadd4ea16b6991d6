"""Which API a command talks to: the real Vonage API, a running sandbox, or an embedded one.

The choice follows the :class:`~vonage_widgets.workbook.Workbook` (the contract's order),
with one rule for an explicit flag:

1. ``--sandbox-url URL``: that sandbox. An explicit flag wins over credentials in the
   environment, as ``Workbook(sandbox=url)`` does, so a command meant for a sandbox can
   never reach a real account by accident.
2. ``VONAGE_API_KEY`` and ``VONAGE_API_SECRET``: the real Vonage API, hosts from
   ``VONAGE_API_HOST`` / ``VONAGE_REST_HOST``.
3. ``VONAGE_WIDGETS_SANDBOX_URL``: the sandbox ``vonage-widgets lab`` (or ``sandbox``) runs.
4. Otherwise an embedded sandbox for the length of the command, on the persistent default
   database (``<home>/sandbox.sqlite3`` unless ``VONAGE_WIDGETS_SANDBOX_DB`` says otherwise),
   so ``apps create`` and a later ``apps list`` see the same account.

A running sandbox is called with ``VONAGE_SANDBOX_API_KEY`` / ``VONAGE_SANDBOX_API_SECRET``
when both are set (the account ``vonage-widgets sandbox`` was started with), else with the
sandbox defaults. The choice is said on stderr; the secret never is.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from vonage_widgets.cli._output import note

if TYPE_CHECKING:
    from vonage_widgets.client import VonageClient

__all__ = ["Target", "add_target_argument", "open_target"]

_CREDENTIALS = ("VONAGE_API_KEY", "VONAGE_API_SECRET")
_SANDBOX_ACCOUNT = ("VONAGE_SANDBOX_API_KEY", "VONAGE_SANDBOX_API_SECRET")


@dataclass(frozen=True, slots=True)
class Target:
    """What a command talks to: a ready client, where keys go, and a line saying which."""

    client: VonageClient
    keys_dir: Path
    description: str


def add_target_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--sandbox-url`` to a command that calls the API."""
    parser.add_argument(
        "--sandbox-url",
        metavar="URL",
        default=None,
        help="use the sandbox running at URL (wins over VONAGE_API_KEY/SECRET); default: "
        "$VONAGE_WIDGETS_SANDBOX_URL, else an embedded sandbox for this command",
    )


@contextmanager
def open_target(args: argparse.Namespace) -> Iterator[Target]:
    """Connect as the module docstring says, say which on stderr, and clean up afterwards."""
    from vonage_widgets.workbook import ENV_SANDBOX_URL, Workbook

    env = os.environ
    flag_url = (getattr(args, "sandbox_url", None) or "").strip()
    env_url = env.get(ENV_SANDBOX_URL, "").strip()
    present = [name for name in _CREDENTIALS if env.get(name)]
    if flag_url and present:
        note("--sandbox-url given: using that sandbox, not the credentials in VONAGE_API_KEY.")
    elif len(present) == 1:
        missing = next(name for name in _CREDENTIALS if name not in present)
        note(f"{present[0]} is set but {missing} is not: using a sandbox. Set both for Vonage.")

    if flag_url or (env_url and len(present) < len(_CREDENTIALS)):
        url, source = (flag_url, "--sandbox-url") if flag_url else (env_url, ENV_SANDBOX_URL)
        key, secret = (env.get(name) for name in _SANDBOX_ACCOUNT)
        account = (key, secret) if key and secret else (None, None)
        workbook = Workbook(api_key=account[0], api_secret=account[1], sandbox=url)
        described = f"sandbox at {workbook.url} (from {source}), API key {workbook.client.api_key}"
    elif len(present) == len(_CREDENTIALS):
        workbook = Workbook(sandbox=False)
        client = workbook.client
        described = (
            f"Vonage API at {client.api_host} (numbers at {client.rest_host}), API key "
            f"{client.api_key} from VONAGE_API_KEY (secret not shown)"
        )
    else:
        workbook = Workbook(sandbox=True)
        sandbox = workbook.sandbox
        where = getattr(sandbox, "target_description", "its database")
        described = (
            f"embedded sandbox at {workbook.url} (offline; state in {where}; it stops when "
            "this command ends)"
        )
    with workbook:
        note(f"Target: {described}")
        yield Target(workbook.client, workbook.keys_dir, described)
