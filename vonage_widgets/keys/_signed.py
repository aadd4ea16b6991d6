"""Signed webhooks: HS256 JWTs made with the account's signature secret.

:func:`sign_webhook` is what the sandbox sends, :func:`verify_signed_webhook` what a webhook
server checks [api-notes §3.6]; :func:`payload_hash` is the digest both agree on
[api-notes §3.6].
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from jwt.exceptions import InvalidSignatureError, PyJWTError
from pydantic import SecretStr

from vonage_widgets._json import loads, lone_surrogate_errors
from vonage_widgets.errors import FieldError, ValidationError, WebhookSignatureError
from vonage_widgets.keys._tokens import (
    HS256,
    claims_from,
    encode_token,
    strip_bearer,
    time_problems,
    unix_seconds,
)

__all__ = ["payload_hash", "sign_webhook", "verify_signed_webhook"]

_WEBHOOK_ISSUER = "Vonage"  # the `iss` claim of every signed webhook [api-notes §3.6]


def payload_hash(payload: bytes | str | Mapping[str, Any] | list[Any]) -> str:
    """The hex SHA-256 that a signed webhook's ``payload_hash`` claim carries [api-notes §3.6].

    Vonage hashes the request's data as compact JSON, keeping the order it was sent in:

    * ``bytes``/``str``: a JSON request body (POST). It is parsed and re-serialised with no
      whitespace (``separators=(",", ":")``), keys in their original order, non-ASCII
      characters as UTF-8 rather than ``\\u`` escapes; the digest covers those UTF-8 bytes.
      A body that is already compact hashes to the digest of its own bytes.
    * a mapping: the query parameters of a GET webhook, in the order given (one value per
      name, as a mapping holds), serialised the same way.
    * any other JSON value (an already parsed list): serialised the same way.

    Raises :class:`ValidationError` naming the rule for a body that is not JSON (pass GET
    parameters as a mapping instead), or that :func:`vonage_widgets._json.loads` refuses:
    nesting deeper than 100 levels, huge numbers, ``NaN``, lone surrogates (which could not
    be hashed as UTF-8 anyway).
    """
    value: Any
    if isinstance(payload, bytes | bytearray | str):
        try:
            value = loads(
                bytes(payload) if isinstance(payload, bytearray) else payload,
                subject="webhook payload",
                path="payload",
            )
        except ValidationError as error:
            hint = "pass a JSON body, or the query parameters as a mapping"
            raise ValidationError(
                [
                    FieldError(e.path, f"{e.message} ({hint})") if e.path == "payload" else e
                    for e in error.errors
                ],
                subject=error.subject,
            ) from None
    elif isinstance(payload, Mapping):
        value = dict(payload.items())
    else:
        value = payload
    try:
        compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a mapping or list given as such
        problems = lone_surrogate_errors(value, "payload")
        raise ValidationError(
            problems or [FieldError("payload", "must be valid Unicode text")],
            subject="webhook payload",
        ) from None
    except (TypeError, ValueError, RecursionError) as error:
        raise ValidationError(
            [FieldError("payload", f"cannot be serialised as JSON: {error}")],
            subject="webhook payload",
        ) from None
    return hashlib.sha256(compact).hexdigest()


def _secret_bytes(secret: str | bytes | SecretStr) -> bytes:
    if isinstance(secret, SecretStr):
        secret = secret.get_secret_value()
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    if not isinstance(secret, bytes) or not secret:
        raise ValidationError(
            [FieldError("signature_secret", "is empty: set the account's signature secret")],
            subject="signed webhook",
        )
    return secret


def sign_webhook(
    payload: bytes | str | Mapping[str, Any] | list[Any],
    signature_secret: str | bytes | SecretStr,
    *,
    api_key: str,
    application_id: str | None,
    now: float | datetime | None = None,
) -> str:
    """Make the HS256 JWT Vonage puts in a signed webhook's ``Authorization: Bearer`` header.

    Claims [api-notes §3.6]: ``iat`` (``now``, default the current time), ``jti`` (UUID4),
    ``iss`` = ``"Vonage"``, ``payload_hash`` (see :func:`payload_hash`), ``api_key`` (the
    account owning the secret) and ``application_id``. No ``exp``: the documented claim set
    has none, so receivers bound the age with ``max_age``. Used by the sandbox; handy in tests.
    ``application_id=None`` leaves that claim out (it is optional: a message sent with Basic
    auth has no application).
    """
    secret = _secret_bytes(signature_secret)
    claims = {
        "iat": unix_seconds(now, "now"),
        "jti": str(uuid.uuid4()),
        "iss": _WEBHOOK_ISSUER,
        "payload_hash": payload_hash(payload),
        "api_key": api_key,
    }
    if application_id is not None:
        claims["application_id"] = application_id
    return encode_token(claims, secret, HS256, "HS256")


def verify_signed_webhook(
    token: str | bytes | None,
    signature_secret: str | bytes | SecretStr,
    *,
    payload: bytes | str | Mapping[str, Any] | list[Any] | None = None,
    max_age: float | None = None,
    now: float | datetime | None = None,
    leeway: float = 0,
) -> dict[str, Any]:
    """Check a signed webhook's JWT and return its claims.

    ``token`` is the ``Authorization`` header value (``Bearer <jwt>``) or the bare JWT. Raises
    :class:`WebhookSignatureError` when: the token is missing or malformed; it is not HS256;
    the signature does not match ``signature_secret`` (wrong secret or altered token); ``exp``
    (if present) has passed or ``nbf`` (if present) is in the future; ``max_age`` is given and
    ``iat`` is missing or older than that many seconds; ``payload`` is given and its
    :func:`payload_hash` differs from the ``payload_hash`` claim. The payload is only checked
    when given (optional over HTTPS [api-notes §3.6]). Messages never contain the secret.
    """
    secret = _secret_bytes(signature_secret)
    text = strip_bearer(token)
    if not text:
        raise WebhookSignatureError(
            "no token: the webhook request carried no 'Authorization: Bearer <jwt>' header"
        )
    try:
        header = HS256.get_unverified_header(text)
    except PyJWTError as error:
        raise WebhookSignatureError(f"malformed webhook token: {error}") from None
    if header.get("alg") != "HS256":
        raise WebhookSignatureError(
            f"webhook token uses algorithm {header.get('alg')!r}; signed webhooks use HS256"
        )
    try:
        decoded = HS256.decode_complete(text, secret, algorithms=["HS256"])
        claims = claims_from(decoded["payload"])
    except InvalidSignatureError:
        raise WebhookSignatureError(
            "webhook signature does not match: the token was not signed with this signature "
            "secret (wrong secret, another account, or an altered token)"
        ) from None
    except (PyJWTError, ValueError) as error:
        raise WebhookSignatureError(f"malformed webhook token: {error}") from None

    problems = time_problems(claims, unix_seconds(now, "now"), leeway=leeway, max_age=max_age)
    if problems:
        raise WebhookSignatureError(
            "webhook token rejected: " + "; ".join(str(problem) for problem in problems)
        )
    if payload is not None:
        claimed = claims.get("payload_hash")
        if not isinstance(claimed, str):
            raise WebhookSignatureError(
                "webhook token has no payload_hash claim, so the payload cannot be checked"
            )
        if not hmac.compare_digest(claimed.lower(), payload_hash(payload)):
            raise WebhookSignatureError(
                "webhook payload does not match the token's payload_hash: "
                "the request was changed in transit (or hashed differently)"
            )
    return claims
