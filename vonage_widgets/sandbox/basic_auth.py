"""HTTP Basic authentication with an account's API key and secret, as the sandbox checks it.

The Application API, the simulated-call route and the sandbox's call-trace route all take
``Authorization: Basic base64(key:secret)``; a refusal is the Application API's 401 problem
with a ``WWW-Authenticate`` challenge [api-notes §1.8]. The secret is compared in constant
time and never appears in a reply.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping

from starlette.responses import JSONResponse

from vonage_widgets.sandbox.problems import problem

__all__ = ["basic_account", "basic_credentials", "check_secret", "unauthorized"]


def basic_credentials(header: str) -> tuple[str, str] | None:
    """``(key, secret)`` from a Basic ``Authorization`` header, or None when it is not one."""
    scheme, _, token = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    key, sep, secret = decoded.partition(":")
    return (key, secret) if sep else None


def check_secret(accounts: Mapping[str, str], key: str, secret: str) -> str | None:
    """``key`` when ``secret`` is its account's secret (constant-time), else None."""
    expected = accounts.get(key)
    if expected is None:
        return None
    ok = hmac.compare_digest(expected.encode("utf-8"), secret.encode("utf-8"))
    return key if ok else None


def basic_account(accounts: Mapping[str, str], header: str) -> str | None:
    """The account a Basic ``Authorization`` header proves, or None."""
    credentials = basic_credentials(header)
    return check_secret(accounts, *credentials) if credentials else None


def unauthorized(instance: str) -> JSONResponse:
    """The 401 problem for missing or wrong credentials, with a Basic challenge."""
    return problem(
        401,
        "unauthorized",
        "Invalid credentials supplied",
        "You did not provide correct credentials.",
        instance,
        headers={"WWW-Authenticate": 'Basic realm="Vonage sandbox"'},
    )
