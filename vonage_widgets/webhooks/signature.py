"""Signed webhooks: turn the ``Authorization`` header into a status a person can read.

Vonage signs webhooks with an HS256 JWT whose ``payload_hash`` claim is the SHA-256 of the
query parameters (GET) or the JSON body (POST) [api-notes §3.6]. The check
itself lives in :func:`vonage_widgets.keys.verify_signed_webhook`; this module only decides
what to call the outcome, and keeps the secret out of every message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from vonage_widgets.errors import ValidationError, WebhookSignatureError
from vonage_widgets.keys import verify_signed_webhook
from vonage_widgets.redact import redact

__all__ = ["NOT_CHECKED", "UNSIGNED", "VERIFIED", "check_signature", "is_invalid"]

VERIFIED: Final = "verified"
UNSIGNED: Final = "unsigned"
NOT_CHECKED: Final = "not checked"
_INVALID_PREFIX: Final = "invalid: "


def check_signature(
    authorization: str | None, secret: str | None, payload: bytes | Mapping[str, Any] | None
) -> str:
    """``"verified"``, ``"unsigned"``, ``"invalid: <reason>"`` or ``"not checked"``.

    ``payload`` is what Vonage hashed: the query parameters in order (GET, a mapping) or the
    raw JSON body (POST, bytes, re-serialised compactly by ``payload_hash``); ``None`` when
    the body was not JSON, which cannot match any hash.
    """
    if not secret:
        return NOT_CHECKED
    if not authorization or not authorization.strip():
        return UNSIGNED
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return f"{_INVALID_PREFIX}the Authorization header is not 'Bearer <jwt>'"
    if payload is None:
        return f"{_INVALID_PREFIX}the body is not JSON, so its payload_hash cannot match"
    try:
        verify_signed_webhook(token.strip(), secret, payload=payload)
    except (WebhookSignatureError, ValidationError) as exc:
        # One line: the reason lands in a table cell and a 401 body.
        return _INVALID_PREFIX + " ".join(redact(str(exc), secret).split())
    return VERIFIED


def is_invalid(status: str) -> bool:
    """True for an ``"invalid: ..."`` status."""
    return status.startswith(_INVALID_PREFIX)
